/** The `dsmr-p1` command line: commands and their dispatch (bin.ts runs it). */
import { DECRYPT_HELP, decryptCommand } from './decrypt-command.js';
import { CliError, type CliIo } from './io.js';
import { PARSE_HELP, parseCommand } from './parse-command.js';
import { SIMULATE_HELP, simulateCommand } from './simulate-command.js';
import { WATCH_HELP, watchCommand } from './watch-command.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

interface CommandInfo {
  run: Command;
  summary: string;
  help: string;
}

const COMMANDS: Record<string, CommandInfo> = {
  parse: { run: parseCommand, summary: 'telegrams from files or stdin to JSON or a table', help: PARSE_HELP },
  watch: { run: watchCommand, summary: 'live readings of a meter (serial port, TCP bridge, stdin)', help: WATCH_HELP },
  simulate: { run: simulateCommand, summary: 'a simulated meter writing telegrams to stdout', help: SIMULATE_HELP },
  decrypt: { run: decryptCommand, summary: 'encrypted frames (Luxembourg Smarty) to plaintext telegrams', help: DECRYPT_HELP },
};

export const MAIN_HELP = `Usage: dsmr-p1 <command> [options]

Reads the P1 port of smart electricity meters (DSMR 2.2–5, Belgian e-MUCS, Luxembourg Smarty).

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run "dsmr-p1 <command> --help" (or "dsmr-p1 help <command>") for the options of a command.`;

/** Runs the command line; returns the exit code (errors are reported on `io.stderr`). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args[0] !== undefined && COMMANDS[args[0]] !== undefined) {
    io.stdout.write(`${COMMANDS[args[0]]!.help}\n`);
    return 0;
  }
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`dsmr-p1: unknown command ${JSON.stringify(name)}\n\n${MAIN_HELP}\n`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof CliError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`dsmr-p1 ${name}: ${(error as Error).message}\nRun "dsmr-p1 ${name} --help" for usage.\n`);
      return error instanceof CliError ? error.exitCode : 2;
    }
    if ((error as { name?: unknown }).name === 'DsmrError') {
      io.stderr.write(`dsmr-p1 ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
