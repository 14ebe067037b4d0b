/**
 * `dsmr-p1 watch <source>`: live readings of a meter on a serial port, a TCP bridge or stdin,
 * redrawn in place on a terminal (one block per telegram otherwise), or NDJSON with --json.
 */
import { parseArgs } from 'node:util';
import { createTelegramStream, openP1Socket, type DecoderOptions, type DsmrError, type ReconnectInfo, type Telegram } from '../index.js';
import { DECODER_HELP, DECODER_OPTIONS, DECRYPTION_OPTIONS, decoderOptions, decryptionOptions, number } from './common.js';
import { CliError, write, type CliIo } from './io.js';
import { toJson } from './render.js';
import { renderView, type ViewState } from './view.js';

export const WATCH_HELP = `Usage: dsmr-p1 watch [options] <source>

Shows the live readings of a meter: time, tariff, power imported and exported, per-phase values,
gas and water. <source> is a serial device (/dev/ttyUSB0, COM3; needs the serialport package),
tcp://HOST:PORT for a TCP serial bridge (ser2net), or - for stdin.

Options:
  --preset dsmr5|dsmr4|dsmr3|dsmr2.2|auto   serial settings (default dsmr5: 115200 8N1;
                                           dsmr2.2/dsmr3: 9600 7E1; auto: try both)
  --key HEX            decrypt (Luxembourg Smarty): the key from the grid operator
  --auth-key HEX       the authentication key (default Smarty's public one)
  --no-authentication  also read encrypted frames without authentication tag (0x20)
  --json               one JSON telegram per line instead of the view
${DECODER_HELP}
  --reconnect-delay S  first delay before reconnecting a dropped port or bridge (default 1)
  -h, --help           this help

Stop with Ctrl-C.`;

interface Source {
  on(event: 'telegram', listener: (t: Telegram) => void): unknown;
  on(event: 'invalid', listener: (e: DsmrError) => void): unknown;
  on(event: 'reconnect', listener: (info: ReconnectInfo) => void): unknown;
  on(event: 'open', listener: () => void): unknown;
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
      'reconnect-delay': { type: 'string' },
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
  const initialDelay = values['reconnect-delay'] === undefined ? 1000 : number('--reconnect-delay', values['reconnect-delay']) * 1000;
  if (initialDelay < 1) throw new CliError('--reconnect-delay must be more than 0 seconds');

  const source = await open(target, values.preset, options, initialDelay, io);
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
    if (values.json) pending = pending.then(() => write(io.stdout, `${toJson(t)}\n`));
    draw();
  });
  source.on('invalid', (e) => {
    state.invalid++;
    state.lastError = `${e.code} at byte ${e.frameOffset ?? '?'}: ${e.message.split('\n')[0]}`;
    if (values.json) io.stderr.write(`dsmr-p1 watch: ${state.lastError}\n`);
    draw();
  });
  source.on('reconnect', (info) => {
    state.status = `reconnecting (attempt ${info.attempt}, ${info.error?.message ?? 'connection lost'})`;
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
  return 0;
}

async function open(target: string, preset: string | undefined, options: DecoderOptions, initialDelay: number, io: CliIo): Promise<Source> {
  const reconnect = { initialDelay, maxDelay: Math.max(30_000, initialDelay) };
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
  const connection = target.startsWith('tcp://') ? await openTcp(target, options, reconnect) : await openSerial(target, preset, options, reconnect);
  const done = new Promise<void>((resolve) => connection.once('close', () => resolve()));
  return Object.assign(connection, { done }) as unknown as Source;
}

async function openTcp(target: string, options: DecoderOptions, reconnect: { initialDelay: number; maxDelay: number }) {
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
  if (match === null) throw new CliError(`a TCP source is tcp://HOST:PORT, not ${JSON.stringify(target)}`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new CliError(`the port of ${target} must be 1 to 65535`);
  try {
    return await openP1Socket({ host: match[1]!.replace(/^\[|\]$/g, ''), port, reconnect, ...options });
  } catch (error) {
    throw new CliError(`cannot connect to ${target}: ${(error as Error).message}`);
  }
}

async function openSerial(path: string, preset: string | undefined, options: DecoderOptions, reconnect: { initialDelay: number; maxDelay: number }) {
  let adapter: typeof import('../serialport.js');
  try {
    adapter = await import('../serialport.js');
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  try {
    return await adapter.openP1Port({ path, ...(preset === undefined ? {} : { preset: preset as 'dsmr5' }), reconnect, ...options });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'INVALID_OPTION' || code === 'DETECTION_FAILED') throw new CliError((error as Error).message);
    throw new CliError(`cannot open ${path}: ${(error as Error).message}`);
  }
}
