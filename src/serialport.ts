/**
 * dsmr-p1/serialport: read a meter from a USB P1 cable with the `serialport` package (an optional
 * peer dependency: `npm install serialport`).
 *
 * ```ts
 * import { openP1Port } from 'dsmr-p1/serialport';
 * const meter = await openP1Port({ path: '/dev/ttyUSB0' });
 * for await (const t of meter) console.log(t.electricity.power.imported);
 * ```
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import type { SerialPort as SerialPortType } from 'serialport';
import { optionsOf, type OptionNames } from './core/arguments.js';
import { DsmrError } from './core/errors.js';
import { createDecoder } from './core/decoder.js';
import { CONNECTION_OPTIONS, P1Connection, linkFailed, type ConnectionOptions } from './stream/links/connection.js';

export { P1Connection, type ConnectionOptions, type ReconnectInfo, type ReconnectOptions, type IdleInfo, type Link } from './stream/links/connection.js';
export { DsmrError, isDsmrError, type DsmrErrorCode } from './core/errors.js';

type SerialPortModule = typeof import('serialport');

/**
 * Loads `serialport`, or fails (`PEER_DEPENDENCY`) saying what to install (a function so the message can be tested).
 * @internal
 */
export function loadSerialPort(load: (id: string) => unknown = createRequire(import.meta.url)): SerialPortModule {
  try {
    return load('serialport') as SerialPortModule;
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new DsmrError('PEER_DEPENDENCY', 'dsmr-p1/serialport needs the "serialport" package, which is not installed: run `npm install serialport`', { cause });
    }
    // installed, but it does not load (a native binding built for another Node, say)
    throw new DsmrError('PEER_DEPENDENCY', `dsmr-p1/serialport could not load the "serialport" package: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const serialport = loadSerialPort();

/** Serial settings of a P1 or HAN port. */
export interface SerialSettings {
  /** Bits per second: 115200 (DSMR 4/5), 9600 (DSMR 2.2/3.0), 2400 (HAN and M-Bus ports of DLMS meters). */
  baudRate: number;
  /** 8, or 7 (DSMR 2.2/3.0). */
  dataBits: 7 | 8;
  /** `'none'`, or `'even'` (DSMR 2.2/3.0; Aidon and Kaifa HAN ports in Norway). */
  parity: 'none' | 'even';
  /** Always 1 on these ports. */
  stopBits: 1;
}

/** A meter family whose serial settings {@link P1_PRESETS} holds. */
export type P1Preset = 'dsmr5' | 'dsmr4' | 'dsmr3' | 'dsmr2.2' | 'han-8e1' | 'han-8n1';

/**
 * The serial settings of each meter family (docs/serial.md): `dsmr5` and `dsmr4` are
 * 115200 8N1 (also e-MUCS in Belgium, Smarty in Luxembourg, Sweden's P1 port); `dsmr3` and
 * `dsmr2.2` are 9600 7E1; the DLMS meters' HAN ports run at 2400 baud: `han-8e1` for Aidon and
 * Kaifa in Norway, `han-8n1` for Kamstrup (Norway, Denmark) and the Austrian M-Bus customer
 * interface (EVN, TINETZ).
 */
export const P1_PRESETS: { readonly [preset in P1Preset]: Readonly<SerialSettings> } = {
  /** DSMR 5.x, and e-MUCS (BE), Smarty (LU), Sweden's P1 port */
  dsmr5: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  /** DSMR 4.x */
  dsmr4: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  /** DSMR 3.0 */
  dsmr3: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 },
  /** DSMR 2.2 */
  'dsmr2.2': { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 },
  /** HAN port (M-Bus, RJ45) of Aidon and Kaifa meters in Norway: DLMS over HDLC */
  'han-8e1': { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 },
  /** HAN port of Kamstrup meters (Norway, Denmark); the Austrian M-Bus customer interface (EVN, TINETZ Kaifa MA309M) */
  'han-8n1': { baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1 },
};

/** What detection tries, in order: the distinct settings. */
const DETECTION_ORDER: readonly P1Preset[] = ['dsmr5', 'dsmr2.2', 'han-8e1', 'han-8n1'];

/** Options of {@link openP1Port}: the device and its settings, plus connection options. */
export interface P1PortOptions extends ConnectionOptions {
  /** The serial device: `/dev/ttyUSB0`, `COM3`. */
  path: string;
  /**
   * Serial settings by meter family, or `'auto'` to detect them (see {@link detectP1Settings}).
   * @defaultValue `'dsmr5'`
   */
  preset?: P1Preset | 'auto';
  /**
   * Overrides the preset's baud rate.
   * @defaultValue the preset's
   */
  baudRate?: number;
  /**
   * Overrides the preset's data bits.
   * @defaultValue the preset's
   */
  dataBits?: 7 | 8;
  /**
   * Overrides the preset's parity.
   * @defaultValue the preset's
   */
  parity?: 'none' | 'even';
  /**
   * A serialport binding to use instead of the platform's (tests pass `MockBinding`).
   * @defaultValue the platform's binding
   */
  binding?: unknown;
  /**
   * With `preset: 'auto'`: how long to wait for a telegram per setting, in ms (DSMR 2.2–4 send
   * every 10 s).
   * @defaultValue `11000`
   */
  detectTimeout?: number;
}

/** A meter on a serial port: telegrams as events and as an async iterable; reconnects when unplugged. */
export interface P1Port extends P1Connection {
  /** The serial settings in use. */
  readonly settings: SerialSettings;
  /** The underlying `serialport` port while connected (to inspect it or set lines), else `null`. */
  readonly port: SerialPortType | null;
}

function settingsOf(options: P1PortOptions, preset: P1Preset): SerialSettings {
  const base = P1_PRESETS[preset];
  return {
    baudRate: options.baudRate ?? base.baudRate,
    dataBits: options.dataBits ?? base.dataBits,
    parity: options.parity ?? base.parity,
    stopBits: 1,
  };
}

function openSerial(path: string, settings: SerialSettings, binding: unknown): Promise<SerialPortType> {
  return new Promise((resolve, reject) => {
    const port = new serialport.SerialPort({
      path,
      ...settings,
      autoOpen: false,
      ...(binding === undefined ? {} : { binding }),
    } as ConstructorParameters<typeof serialport.SerialPort>[0]);
    port.open((error) => (error ? reject(linkFailed(path, error)) : resolve(port)));
  });
}

function closeSerial(port: SerialPortType): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) resolve();
    else port.close(() => resolve());
  });
}

/**
 * Opens a P1 port and reads telegrams from it. Resolves once the port is open; rejects when it
 * cannot be opened (no such device, no permission). After that, when the port disappears (USB
 * unplugged) it reconnects with backoff until `close()`, emitting `'reconnect'`.
 *
 * @throws {@link DsmrError} `INVALID_OPTION` for a bad option; `LINK_FAILED` when the port does
 *   not open; `DETECTION_FAILED` when `preset: 'auto'` finds no setting at which a telegram arrives.
 */
export async function openP1Port(options: P1PortOptions): Promise<P1Port> {
  if (typeof options?.path !== 'string' || options.path === '') {
    throw new DsmrError('INVALID_OPTION', 'openP1Port needs the path of the serial device, e.g. { path: "/dev/ttyUSB0" }');
  }
  const { path, preset = 'dsmr5', baudRate: _b, dataBits: _d, parity: _p, binding, detectTimeout, ...connectionOptions } = optionsOf(options, PORT_OPTIONS);
  if (preset !== 'auto' && !(preset in P1_PRESETS)) {
    throw new DsmrError('INVALID_OPTION', `preset must be 'auto' or one of ${Object.keys(P1_PRESETS).join(', ')}, got ${JSON.stringify(preset)}`);
  }
  const settings =
    preset === 'auto'
      ? (await detectP1Settings(path, { ...connectionOptions, binding, ...(detectTimeout === undefined ? {} : { timeout: detectTimeout }) })).settings
      : settingsOf(options, preset);
  let current: SerialPortType | null = null;
  const connection = new P1Connection(
    path,
    async () => {
      const port = await openSerial(path, settings, binding);
      current = port;
      return {
        readable: port,
        close: async () => {
          if (current === port) current = null;
          await closeSerial(port);
        },
      };
    },
    connectionOptions,
  ) as P1Port;
  Object.defineProperty(connection, 'settings', { value: settings, enumerable: true });
  Object.defineProperty(connection, 'port', { get: () => current, enumerable: true });
  await connection.open();
  return connection;
}

/** Options of {@link detectP1Settings}: timing and binding, plus decoder options (e.g. decryption keys). */
export interface DetectOptions extends ConnectionOptions {
  /**
   * How long to wait for a telegram per setting, in ms.
   * @defaultValue `11000`
   */
  timeout?: number;
  /**
   * A serialport binding to use instead of the platform's (tests pass `MockBinding`).
   * @defaultValue the platform's binding
   */
  binding?: unknown;
}

const PORT_OPTIONS: OptionNames<P1PortOptions> = { ...CONNECTION_OPTIONS, path: true, preset: true, baudRate: true, dataBits: true, parity: true, binding: true, detectTimeout: true };
const DETECT_OPTIONS: OptionNames<DetectOptions> = { ...CONNECTION_OPTIONS, timeout: true, binding: true };

/** What {@link detectP1Settings} found. */
export interface DetectedSettings {
  /** The preset whose settings worked (`dsmr5` stands for 115200 8N1, `dsmr2.2` for 9600 7E1, `han-8e1` and `han-8n1` for 2400 baud). */
  preset: P1Preset;
  /** The settings themselves. */
  settings: SerialSettings;
}

/**
 * Finds the serial settings of the meter on `path`: tries 115200 8N1 (DSMR 4/5 and variants),
 * 9600 7E1 (DSMR 2.2/3.0), then 2400 8E1 and 2400 8N1 (the HAN ports of DLMS meters), until a
 * telegram with a valid CRC (or a DSMR 2.2/3.0 telegram, or a DLMS message with good frame
 * checks) arrives, or encrypted frames (whose key may still be missing). Decryption options are
 * used for encrypted meters.
 *
 * @throws {@link DsmrError} `LINK_FAILED` when the port does not open, `DETECTION_FAILED` when no
 *   setting gives a telegram in time.
 */
export async function detectP1Settings(path: string, options: DetectOptions = {}): Promise<DetectedSettings> {
  const { timeout = 11_000, binding, reconnect: _reconnect, idleTimeout: _idleTimeout, ...decoderOptions } = optionsOf(options, DETECT_OPTIONS);
  createDecoder(decoderOptions); // a bad option fails here, not as "no telegram"
  const tried: string[] = [];
  for (const preset of DETECTION_ORDER) {
    const settings: SerialSettings = { ...P1_PRESETS[preset] };
    const port = await openSerial(path, settings, binding);
    try {
      if (await receivesTelegram(port, decoderOptions, timeout)) return { preset, settings };
    } finally {
      await closeSerial(port);
    }
    tried.push(`${settings.baudRate} ${settings.dataBits}${settings.parity === 'none' ? 'N' : 'E'}1`);
  }
  throw new DsmrError(
    'DETECTION_FAILED',
    `no telegram arrived on ${path} at ${tried.join(', ')} within ${timeout} ms each: check the cable, that the meter's P1 or HAN port is enabled (some grid operators open the HAN port on request), and the request line (P1: pin 2)`,
  );
}

/** Whether a good telegram arrives on the port within `timeout` ms. */
function receivesTelegram(port: SerialPortType, options: ConnectionOptions, timeout: number): Promise<boolean> {
  const decoder = createDecoder(options);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (found: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      port.off('data', onData);
      resolve(found);
    };
    const onData = (chunk: Buffer): void => {
      void Promise.resolve(decoder.push(chunk)).then((items) => {
        // encrypted frames without a key: the settings are right (the connection then says the key is missing)
        if (items.some((item) => item.telegram !== undefined || item.error?.code === 'ENCRYPTED_NO_KEY')) finish(true);
      });
    };
    const timer = setTimeout(() => finish(false), timeout);
    port.on('data', onData);
  });
}
