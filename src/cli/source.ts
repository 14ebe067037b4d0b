/**
 * Where the live commands (`watch`, `serve`, `mqtt`) read telegrams from: a serial device, a TCP
 * bridge (`tcp://HOST:PORT`), a file, or stdin (`-`); with the options they share.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createTelegramStream, openP1Socket, type DecoderOptions, type DsmrError, type IdleInfo, type ReconnectInfo, type Telegram } from '../index.js';
import { DECODER_HELP, DECODER_OPTIONS, DECRYPTION_HELP, DECRYPTION_OPTIONS, decoderOptions, decryptionOptions, number, type HelpRow } from './common.js';
import { CliError, type CliIo } from './io.js';

/** The options of a live source, for parseArgs. */
export const SOURCE_OPTIONS = {
  preset: { type: 'string' },
  ...DECRYPTION_OPTIONS,
  'reconnect-delay': { type: 'string' },
  'idle-timeout': { type: 'string' },
  ...DECODER_OPTIONS,
} as const;

export const SOURCE_HELP: readonly HelpRow[] = [
  ['--preset NAME', 'serial settings: dsmr5 (default; dsmr4 the same): 115200 8N1;\ndsmr3, dsmr2.2: 9600 7E1; han-8e1 (Aidon, Kaifa in Norway),\nhan-8n1 (Kamstrup, Austrian M-Bus): 2400 baud; auto: try each'],
  ...DECRYPTION_HELP,
  ...DECODER_HELP,
  ['--reconnect-delay S', 'first delay before reconnecting a dropped port or bridge (default 1)'],
  ['--idle-timeout S', 'reconnect a port or bridge that sends nothing for S seconds\n(default 30; 0: wait for ever)'],
];

export const ONE_SOURCE = 'give one source: a serial device, tcp://HOST:PORT, a file, or - for stdin';

export const SOURCE_DESCRIPTION = `<source> is a serial device (/dev/ttyUSB0, COM3; needs the serialport package),
tcp://HOST:PORT for a TCP serial bridge (ser2net), a file of logged telegrams, or - for stdin.`;

/** A live source of telegrams, as the commands use it. */
export interface Source {
  on(event: 'telegram', listener: (t: Telegram) => void): unknown;
  on(event: 'invalid', listener: (e: DsmrError) => void): unknown;
  on(event: 'reconnect', listener: (info: ReconnectInfo) => void): unknown;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'idle', listener: (info: IdleInfo) => void): unknown;
  close(): Promise<void>;
  /** Settles when the source ends: a file or stdin read to the end, or close(). */
  done: Promise<void>;
}

interface LinkOptions {
  reconnect: { initialDelay: number; maxDelay: number };
  idleTimeout: number | false;
}

type SourceValues = Parameters<typeof decoderOptions>[0] &
  Parameters<typeof decryptionOptions>[0] & { preset?: string | undefined; 'reconnect-delay'?: string | undefined; 'idle-timeout'?: string | undefined };

/** Opens `target` with the parsed {@link SOURCE_OPTIONS}; CLI errors for what cannot be opened. */
export async function openSource(target: string, values: SourceValues, io: CliIo): Promise<Source> {
  const options: DecoderOptions = decoderOptions(values);
  const decryption = decryptionOptions(values);
  if (decryption !== undefined) options.decryption = decryption;
  const initialDelay = values['reconnect-delay'] === undefined ? 1000 : number('--reconnect-delay', values['reconnect-delay']) * 1000;
  if (initialDelay < 1) throw new CliError('--reconnect-delay must be more than 0 seconds');
  const idleSeconds = values['idle-timeout'] === undefined ? 30 : number('--idle-timeout', values['idle-timeout']);
  const link: LinkOptions = { reconnect: { initialDelay, maxDelay: Math.max(30_000, initialDelay) }, idleTimeout: idleSeconds === 0 ? false : Math.max(1, idleSeconds * 1000) };
  return open(target, values.preset, options, link, io);
}

interface LinkOptions {
  reconnect: { initialDelay: number; maxDelay: number };
  idleTimeout: number | false;
}

/** `192.168.1.50:2001` or `bridge.local:23`: a TCP bridge written without `tcp://`. */
const HOST_AND_PORT = /^(?:\[[^\]]+\]|[\w.-]+):\d+$/;

async function open(target: string, preset: string | undefined, options: DecoderOptions, link: LinkOptions, io: CliIo): Promise<Source> {
  if (target === '-' || isFile(target)) {
    const input: Readable = target === '-' ? io.stdin : createReadStream(target);
    const stream = createTelegramStream(options);
    const source = Object.assign(stream, {
      close: async () => {
        input.unpipe(stream);
        stream.end();
      },
      done: new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
        stream.resume();
      }),
    });
    stream.on('data', (t: Telegram) => stream.emit('telegram', t));
    input.on('error', (error) => stream.destroy(new CliError(`cannot read ${target}: ${error.message}`)));
    input.pipe(stream);
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
    throw new CliError(linkMessage(error, `cannot connect to ${target}`));
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
    const message = linkMessage(error, `cannot open ${path}`);
    throw new CliError(`${message}${serialHint(message)}`);
  }
}

/** The message of a link that did not open: the library's says what (`LINK_FAILED`), others get `what`. */
function linkMessage(error: unknown, what: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return (error as { code?: unknown }).code === 'LINK_FAILED' ? message : `${what}: ${message}`;
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

/** A regular file (a log), not a device, a directory or nothing. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
