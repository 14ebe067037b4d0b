/** The `dsmr-p1` command line: commands and their dispatch (bin.ts runs it). */
import { DECRYPT_HELP, decryptCommand } from './decrypt-command.js';
import { CliError, type CliIo } from './io.js';
import { MQTT_HELP, mqttCommand } from './mqtt-command.js';
import { PARSE_HELP, parseCommand } from './parse-command.js';
import { SERVE_HELP, serveCommand } from './serve-command.js';
import { SIMULATE_HELP, simulateCommand } from './simulate-command.js';
import { packageVersion } from './version.js';
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
  mqtt: { run: mqttCommand, summary: 'the readings to an MQTT broker, with Home Assistant discovery', help: MQTT_HELP },
  serve: { run: serveCommand, summary: 'a live dashboard of the meter in the browser', help: SERVE_HELP },
  simulate: { run: simulateCommand, summary: 'a simulated meter writing telegrams to stdout', help: SIMULATE_HELP },
  decrypt: { run: decryptCommand, summary: 'encrypted frames (Luxembourg Smarty) to plaintext telegrams', help: DECRYPT_HELP },
};

const MAIN_HELP = `Usage: dsmr-p1 <command> [options]

Reads the P1 port of smart electricity meters (DSMR 2.2–5, Belgian e-MUCS, Luxembourg Smarty)
and the HAN port of DLMS/COSEM meters (Norway, Sweden, Denmark, Austria, Switzerland, …).

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run "dsmr-p1 <command> --help" (or "dsmr-p1 help <command>") for the options of a command,
"dsmr-p1 --version" for the version.`;

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
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
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
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
      const guess = closestOption(option, command.help);
      io.stderr.write(`dsmr-p1 ${name}: unknown option ${option}${guess === null ? '' : ` (did you mean ${guess}?)`}\nRun "dsmr-p1 ${name} --help" for usage.\n`);
      return 2;
    }
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

/** The option of a command's help nearest to a mistyped one (at most 2 edits away), or null. */
function closestOption(typed: string, help: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const option of new Set(help.match(/--[a-z][a-z-]*/g))) {
    const distance = editDistance(typed, option);
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = row;
  }
  return previous[b.length]!;
}
