/**
 * `dsmr-p1 watch <source>`: live readings of a meter on a serial port, a TCP bridge or stdin,
 * redrawn in place on a terminal (one block per telegram otherwise), or NDJSON with --json.
 */
import { parseArgs } from 'node:util';
import { createTelegramStream, openP1Socket, type DecoderOptions, type DsmrError, type IdleInfo, type ReconnectInfo, type Telegram } from '../index.js';
import { DECODER_HELP, DECODER_OPTIONS, DECRYPTION_HELP, DECRYPTION_OPTIONS, EXIT_HELP, HELP_ROW, decoderOptions, decryptionOptions, exitCode, isSetupError, number, optionList } from './common.js';
import { CliError, write, type CliIo } from './io.js';
import { FieldSelection } from './fields.js';
import { toJson } from './render.js';
import { renderView, type ViewState } from './view.js';

export const WATCH_HELP = `Usage: dsmr-p1 watch [options] <source>

Shows the live readings of a meter: time, tariff, power imported and exported, per-phase values,
gas and water. <source> is a serial device (/dev/ttyUSB0, COM3; needs the serialport package),
tcp://HOST:PORT for a TCP serial bridge (ser2net), or - for stdin.

Options:
${optionList([
  ['--preset dsmr5|dsmr4|dsmr3|dsmr2.2|auto', 'serial settings (default dsmr5: 115200 8N1;\ndsmr2.2/dsmr3: 9600 7E1; auto: try both)'],
  ...DECRYPTION_HELP,
  ['--json', 'one JSON telegram per line instead of the view'],
  ['--fields PATHS', 'with --json: only these fields (timestamp,electricity.power.imported)'],
  ...DECODER_HELP,
  ['--reconnect-delay S', 'first delay before reconnecting a dropped port or bridge (default 1)'],
  ['--idle-timeout S', 'reconnect a port or bridge that sends nothing for S seconds\n(default 30; 0: wait for ever)'],
  HELP_ROW,
])}

Stop with Ctrl-C. ${EXIT_HELP}`;

interface Source {
  on(event: 'telegram', listener: (t: Telegram) => void): unknown;
  on(event: 'invalid', listener: (e: DsmrError) => void): unknown;
  on(event: 'reconnect', listener: (info: ReconnectInfo) => void): unknown;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'idle', listener: (info: IdleInfo) => void): unknown;
  close(): Promise<void>;
  done: Promise<void>;
}

export async function watchCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      ...DECRYPTION_OPTIONS,
      json: { type: 'boolean' },
      fields: { type: 'string' },
      'reconnect-delay': { type: 'string' },
      'idle-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...DECODER_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, `${WATCH_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError('give one source: a serial device, tcp://HOST:PORT, or - for stdin');
  const target = positionals[0]!;
  const options: DecoderOptions = decoderOptions(values);
  const decryption = decryptionOptions(values);
  if (decryption !== undefined) options.decryption = decryption;
  if (values.fields !== undefined && values.json !== true) throw new CliError('--fields goes with --json (the view has its own readings)');
  const fields = values.fields === undefined ? null : FieldSelection.parse(values.fields);
  const initialDelay = values['reconnect-delay'] === undefined ? 1000 : number('--reconnect-delay', values['reconnect-delay']) * 1000;
  if (initialDelay < 1) throw new CliError('--reconnect-delay must be more than 0 seconds');
  const idleSeconds = values['idle-timeout'] === undefined ? 30 : number('--idle-timeout', values['idle-timeout']);
  const link: LinkOptions = { reconnect: { initialDelay, maxDelay: Math.max(30_000, initialDelay) }, idleTimeout: idleSeconds === 0 ? false : Math.max(1, idleSeconds * 1000) };

  const source = await open(target, values.preset, options, link, io);
  let setupErrors = 0;
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
      const line = fields === null ? toJson(t) : fields.json(t);
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
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (terminal) io.stdout.write('\x1b[?25h');
  }
  return exitCode(state.telegrams, setupErrors);
}

interface LinkOptions {
  reconnect: { initialDelay: number; maxDelay: number };
  idleTimeout: number | false;
}

/** `192.168.1.50:2001` or `bridge.local:23`: a TCP bridge written without `tcp://`. */
const HOST_AND_PORT = /^(?:\[[^\]]+\]|[\w.-]+):\d+$/;

async function open(target: string, preset: string | undefined, options: DecoderOptions, link: LinkOptions, io: CliIo): Promise<Source> {
  if (target === '-') {
    const stream = createTelegramStream(options);
    const source = Object.assign(stream, {
      close: async () => {
        io.stdin.unpipe(stream);
        stream.end();
      },
      done: new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
        stream.resume();
      }),
    });
    stream.on('data', (t: Telegram) => stream.emit('telegram', t));
    io.stdin.pipe(stream);
    return source as unknown as Source;
  }
  if (HOST_AND_PORT.test(target)) throw new CliError(`${target} looks like a TCP bridge: write tcp://${target} (a serial device is a path: /dev/ttyUSB0, COM3)`);
  const connection = target.startsWith('tcp://') ? await openTcp(target, options, link) : await openSerial(target, preset, options, link);
  const done = new Promise<void>((resolve) => connection.once('close', () => resolve()));
  return Object.assign(connection, { done }) as unknown as Source;
}

async function openTcp(target: string, options: DecoderOptions, link: LinkOptions) {
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
  if (match === null) throw new CliError(`a TCP source is tcp://HOST:PORT, not ${JSON.stringify(target)}`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new CliError(`the port of ${target} must be 1 to 65535`);
  try {
    return await openP1Socket({ host: match[1]!.replace(/^\[|\]$/g, ''), port, ...link, ...options });
  } catch (error) {
    throw new CliError(`cannot connect to ${target}: ${(error as Error).message}`);
  }
}

async function openSerial(path: string, preset: string | undefined, options: DecoderOptions, link: LinkOptions) {
  let adapter: typeof import('../serialport.js');
  try {
    adapter = await import('../serialport.js');
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  try {
    return await adapter.openP1Port({ path, ...(preset === undefined ? {} : { preset: preset as 'dsmr5' }), ...link, ...options });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'INVALID_OPTION' || code === 'DETECTION_FAILED') throw new CliError((error as Error).message);
    throw new CliError(`cannot open ${path}: ${(error as Error).message}${serialHint((error as Error).message)}`);
  }
}

/** What to do about the usual reasons a serial device does not open (serialport's messages). */
function serialHint(message: string): string {
  if (/permission denied|EACCES/i.test(message)) {
    return '\n  the device belongs to the dialout group: sudo usermod -aG dialout $USER, then log in again';
  }
  if (/no such file|ENOENT|cannot find/i.test(message)) {
    return '\n  list the serial devices with: ls /dev/serial/by-id/ (a TCP bridge is tcp://HOST:PORT)';
  }
  return '';
}
