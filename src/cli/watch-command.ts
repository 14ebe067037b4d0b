/**
 * `dsmr-p1 watch <source>`: live readings of a meter on a serial port, a TCP bridge, a file or stdin,
 * redrawn in place on a terminal (one block per telegram otherwise), or NDJSON with --json.
 */
import { parseArgs } from 'node:util';
import { EXIT_HELP, HELP_ROW, exitCode, isSetupError, optionList } from './common.js';
import { FieldSelection } from './fields.js';
import { CliError, write, type CliIo } from './io.js';
import { ONE_SOURCE, SOURCE_DESCRIPTION, SOURCE_HELP, SOURCE_OPTIONS, openSource } from './source.js';
import { toJson } from './render.js';
import { renderView, type ViewState } from './view.js';

export const WATCH_HELP = `Usage: dsmr-p1 watch [options] <source>

Shows the live readings of a meter: time, tariff, power imported and exported, per-phase values,
gas and water. ${SOURCE_DESCRIPTION}

Options:
${optionList([
  ['--json', 'one JSON telegram per line instead of the view'],
  ['--fields PATHS', 'with --json: only these fields (timestamp,electricity.power.imported)'],
  ...SOURCE_HELP,
  HELP_ROW,
])}

Stop with Ctrl-C. ${EXIT_HELP}`;

export async function watchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      fields: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...SOURCE_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, `${WATCH_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(ONE_SOURCE);
  const target = positionals[0]!;
  if (values.fields !== undefined && values.json !== true) throw new CliError('--fields goes with --json (the view has its own readings)');
  const fields = values.fields === undefined ? null : FieldSelection.parse(values.fields);

  const source = await openSource(target, values, io);
  let setupErrors = 0;
  let fieldsError: CliError | null = null;
  const state: ViewState = { source: target, telegram: null, telegrams: 0, invalid: 0, lastError: null, status: 'connected' };
  const terminal = io.stdout.isTTY === true && values.json !== true;
  let pending = Promise.resolve();
  const draw = (): void => {
    if (values.json) return;
    const block = `${renderView(state).join('\n')}\n`;
    // redraw in place on a terminal (home, clear to end); elsewhere one block per update
    pending = pending.then(() => write(io.stdout, terminal ? `\x1b[H\x1b[J${block}` : `${block}\n`));
  };
  source.on('telegram', (t) => {
    state.telegram = t;
    state.telegrams++;
    if (values.json) {
      let line: string;
      try {
        line = fields === null ? toJson(t) : fields.json(t);
      } catch (error) {
        // a --fields path the telegram does not have: said once, the command ends (exit 2)
        fieldsError ??= error as CliError;
        void source.close();
        return;
      }
      pending = pending.then(() => write(io.stdout, `${line}\n`));
    }
    draw();
  });
  source.on('invalid', (e) => {
    state.invalid++;
    if (isSetupError(e.code)) setupErrors++;
    state.lastError = `${e.code} at byte ${e.frameOffset ?? '?'}: ${e.message.split('\n')[0]}`;
    if (values.json) io.stderr.write(`dsmr-p1 watch: ${state.lastError}\n`);
    draw();
  });
  source.on('reconnect', (info) => {
    state.status = `reconnecting (attempt ${info.attempt}, ${info.error?.message ?? 'connection lost'})`;
    if (values.json) io.stderr.write(`dsmr-p1 watch: ${state.status}\n`);
    draw();
  });
  source.on('idle', (info) => {
    state.status = `idle: no data for ${info.idleTimeout / 1000} s, reconnecting`;
    if (values.json) io.stderr.write(`dsmr-p1 watch: ${state.status}\n`);
    draw();
  });
  source.on('open', () => {
    state.status = 'connected';
    draw();
  });
  if (terminal) io.stdout.write('\x1b[?25l'); // hide the cursor while redrawing
  draw();
  const stop = (): void => void source.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await source.done;
    await pending;
    if (fieldsError !== null) throw fieldsError;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (terminal) io.stdout.write('\x1b[?25h');
  }
  return exitCode(state.telegrams, setupErrors);
}
