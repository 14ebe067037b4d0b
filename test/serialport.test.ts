import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openP1Socket, type DsmrError, type ReconnectInfo, type Telegram } from '../src/index.js';
import { detectP1Settings, loadSerialPort, openP1Port, type P1Port } from '../src/serialport.js';
import { latin1, telegramText } from './helpers/telegram.js';
import { LLC, dataNotification, hdlcFrame, obis, scalerUnit, structure, u32 } from './helpers/dlms.js';

/** @serialport/binding-mock, as serialport re-exports it (typed) */
const MockBinding = SerialPortMock.binding;
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

const PATH = '/dev/ttyP1TEST';
const telegram = (n: number) => latin1(telegramText(['1-3:0.2.8(50)', `1-0:1.7.0(00.${String(n).padStart(3, '0')}*kW)`, `0-0:96.7.21(${String(n).padStart(5, '0')})`]));
const fast = { initialDelay: 5, maxDelay: 40 };

function binding(of: P1Port): MockPortBinding {
  return (of.port as unknown as { port: MockPortBinding }).port;
}

/** The telegrams a port delivers until `count` have arrived. */
async function collect(meter: P1Port, count: number): Promise<Telegram[]> {
  const seen: Telegram[] = [];
  for await (const t of meter) {
    seen.push(t);
    if (seen.length === count) break;
  }
  return seen;
}

/** Waits until `condition` holds (polling), failing after `ms`: no fixed sleeps that a slow machine could outrun. */
async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Simulates pulling the USB cable: what serialport does when a read fails. */
function unplug(meter: P1Port): void {
  (meter.port as unknown as { _disconnected(error: Error): void })._disconnected(new Error('device unplugged'));
}

beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH);
});
afterEach(() => MockBinding.reset());

describe('openP1Port', () => {
  it('delivers telegrams split anywhere, as events and as an async iterable', async () => {
    const meter = await openP1Port({ path: PATH, binding: MockBinding });
    expect(meter.settings).toEqual({ baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });
    const viaEvents: number[] = [];
    meter.on('telegram', (t: Telegram) => viaEvents.push(t.electricity.powerFailures.count!));
    const iterated = collect(meter, 3);
    const bytes = new Uint8Array([...telegram(1), ...telegram(2), ...telegram(3)]);
    for (let at = 0; at < bytes.length; at += 37) binding(meter).emitData(Buffer.from(bytes.subarray(at, at + 37)));
    expect((await iterated).map((t) => t.electricity.powerFailures.count)).toEqual([1, 2, 3]);
    expect(viaEvents).toEqual([1, 2, 3]);
    expect(meter.stats).toMatchObject({ telegrams: 3, invalid: 0 });
    await meter.close();
  });

  it('reports invalid telegrams and goes on', async () => {
    const meter = await openP1Port({ path: PATH, binding: MockBinding });
    const invalid: DsmrError[] = [];
    meter.on('invalid', (e: DsmrError) => invalid.push(e));
    const iterated = collect(meter, 1);
    const damaged = telegram(1);
    damaged[30]! ^= 1;
    binding(meter).emitData(Buffer.from([...damaged, ...telegram(2)]));
    expect((await iterated).map((t) => t.electricity.powerFailures.count)).toEqual([2]);
    expect(invalid.map((e) => e.code)).toEqual(['CRC_MISMATCH']);
    await meter.close();
  });

  it('reconnects with backoff when unplugged; a telegram cut by the drop is reported, none is duplicated or invented', async () => {
    const meter = await openP1Port({ path: PATH, binding: MockBinding, reconnect: fast });
    const reconnects: ReconnectInfo[] = [];
    const invalid: DsmrError[] = [];
    const counts: number[] = [];
    meter.on('reconnect', (info: ReconnectInfo) => reconnects.push(info));
    meter.on('invalid', (e: DsmrError) => invalid.push(e));
    meter.on('telegram', (t: Telegram) => counts.push(t.electricity.powerFailures.count!));

    const first = telegram(1);
    const second = telegram(2);
    binding(meter).emitData(Buffer.from([...first, ...second.subarray(0, 40)]));
    await waitFor(() => meter.stats.bytes === first.length + 40);
    MockBinding.reset(); // the device is gone: reopening fails until it is back
    unplug(meter);
    await once(meter, 'reconnect');
    await once(meter, 'reconnect');
    MockBinding.createPort(PATH);
    await once(meter, 'open');
    // the rest of the cut telegram arrives on the new connection, then a whole one
    binding(meter).emitData(Buffer.from([...second.subarray(40), ...telegram(3)]));
    await waitFor(() => counts.length === 2);

    expect(counts).toEqual([1, 3]);
    expect(invalid.map((e) => e.code)).toEqual(['TRUNCATED']);
    expect(reconnects[0]).toMatchObject({ attempt: 1, delay: 5 });
    expect(reconnects[0]!.error?.message).toContain('unplugged');
    expect(reconnects[1]).toMatchObject({ attempt: 2, delay: 10 });
    expect(meter.connected).toBe(true);
    expect(meter.stats.telegrams).toBe(2);
    await meter.close();
    expect(meter.connected).toBe(false);
  });

  it('ends instead of reconnecting with reconnect: false', async () => {
    const meter = await openP1Port({ path: PATH, binding: MockBinding, reconnect: false });
    // (events.once would reject on the 'error' event this test expects)
    const closed = new Promise((resolve) => meter.once('close', resolve));
    const errors: Error[] = [];
    meter.on('error', (e: Error) => errors.push(e));
    unplug(meter);
    await closed;
    expect(errors.map((e) => e.message)).toEqual(['device unplugged']);
    const rest: Telegram[] = [];
    for await (const t of meter) rest.push(t);
    expect(rest).toEqual([]);
  });

  it('rejects when the port cannot be opened, and bad options', async () => {
    await expect(openP1Port({ path: '/dev/nothing-here', binding: MockBinding })).rejects.toMatchObject({
      name: 'DsmrError',
      code: 'LINK_FAILED',
      message: expect.stringMatching(/^cannot open \/dev\/nothing-here: .*does not exist/),
      cause: expect.any(Error),
    });
    await expect(openP1Port({ path: '/dev/nothing-here', binding: MockBinding, preset: 'auto' })).rejects.toMatchObject({ code: 'LINK_FAILED' });
    await expect(openP1Port({ path: '' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(openP1Port({ path: PATH, binding: MockBinding, preset: 'dsmr9' as 'dsmr5' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(openP1Port({ path: PATH, binding: MockBinding, mode: 'sloppy' as 'strict' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('opens DSMR 2.2/3.0 meters at 9600 7E1', async () => {
    const meter = await openP1Port({ path: PATH, binding: MockBinding, preset: 'dsmr2.2' });
    expect(meter.settings).toEqual({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 });
    expect(binding(meter).openOptions).toMatchObject({ baudRate: 9600, dataBits: 7, parity: 'even' });
    await meter.close();
  });
});

describe('detectP1Settings', () => {
  /** A mock binding whose meter talks 9600 7E1: at other settings the port reads garbage. */
  function dsmr22Meter() {
    const legacy = latin1(telegramText(['0-0:96.1.1(4B384547)', '1-0:1.7.0(0000.98*kW)', '0-0:96.3.10(1)'], { crc: false }));
    return {
      ...MockBinding,
      async open(options: Parameters<typeof MockBinding.open>[0]) {
        const port = await MockBinding.open(options);
        const right = options.baudRate === 9600 && options.dataBits === 7 && options.parity === 'even';
        const bytes = right ? legacy : legacy.map((b) => (b * 7 + 13) & 0xff).filter((b) => b !== 0x2f);
        setTimeout(() => port.isOpen && port.emitData(Buffer.from(bytes)), 5);
        return port;
      },
    };
  }

  it('tries 115200 8N1, then 9600 7E1, and returns what works', async () => {
    const result = await detectP1Settings(PATH, { binding: dsmr22Meter(), timeout: 80 });
    expect(result).toEqual({ preset: 'dsmr2.2', settings: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } });
  });

  it("is what preset: 'auto' uses", async () => {
    const meter = await openP1Port({ path: PATH, binding: dsmr22Meter(), preset: 'auto', detectTimeout: 80 });
    expect(meter.settings.baudRate).toBe(9600);
    const [t] = await collect(meter, 1);
    expect(t!.profile).toBe('nl-legacy');
    await meter.close();
  });

  it('finds the 2400 baud HAN port of a DLMS meter (2400 8N1 after 8E1)', async () => {
    const frame = hdlcFrame([...LLC, ...dataNotification({ type: 'array', items: [structure(obis('1-0:1.7.0'), u32(2531), scalerUnit(0, 27))] })]);
    const hanMeter = {
      ...MockBinding,
      async open(options: Parameters<typeof MockBinding.open>[0]) {
        const port = await MockBinding.open(options);
        const right = options.baudRate === 2400 && options.dataBits === 8 && options.parity === 'none';
        // at other settings the bytes arrive mangled: no frame check passes
        const bytes = right ? frame : frame.map((b) => (b * 7 + 13) & 0xff);
        setTimeout(() => port.isOpen && port.emitData(Buffer.from(bytes)), 5);
        return port;
      },
    };
    const result = await detectP1Settings(PATH, { binding: hanMeter, timeout: 60 });
    expect(result).toEqual({ preset: 'han-8n1', settings: { baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 1 } });
    const meter = await openP1Port({ path: PATH, binding: hanMeter, preset: 'han-8n1' });
    const [t] = await collect(meter, 1);
    expect([t!.protocol, t!.electricity.power.imported]).toEqual(['dlms', 2.531]);
    await meter.close();
  });

  it('fails with DETECTION_FAILED when nothing arrives', async () => {
    await expect(detectP1Settings(PATH, { binding: MockBinding, timeout: 30 })).rejects.toMatchObject({ code: 'DETECTION_FAILED' });
  });
});

describe('loadSerialPort', () => {
  it('says what to install when serialport is missing', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'serialport'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadSerialPort(missing)).toThrow(expect.objectContaining({ name: 'DsmrError', code: 'PEER_DEPENDENCY', message: expect.stringContaining('npm install serialport') }));
    const broken = () => {
      throw new Error('native binding failed');
    };
    expect(() => loadSerialPort(broken)).toThrow(expect.objectContaining({ name: 'DsmrError', code: 'PEER_DEPENDENCY', message: expect.stringContaining('native binding failed') }));
  });
});

describe('openP1Socket', () => {
  let server: Server;
  let clients: Socket[];
  let port: number;

  beforeEach(async () => {
    clients = [];
    server = createServer((socket) => clients.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    for (const c of clients) c.destroy();
    server.close();
  });

  async function nextClient(count: number): Promise<Socket> {
    await waitFor(() => clients.length >= count);
    return clients[count - 1]!;
  }

  it('reads telegrams from a TCP bridge and reconnects when it drops', async () => {
    const meter = await openP1Socket({ host: '127.0.0.1', port, reconnect: fast });
    const counts: number[] = [];
    meter.on('telegram', (t: Telegram) => counts.push(t.electricity.powerFailures.count!));
    (await nextClient(1)).write(Buffer.from([...telegram(1), ...telegram(2)]));
    await waitFor(() => counts.length === 2);
    const reopened = once(meter, 'open');
    (await nextClient(1)).destroy();
    await reopened;
    (await nextClient(2)).write(Buffer.from(telegram(3)));
    await waitFor(() => counts.length === 3);
    expect(counts).toEqual([1, 2, 3]);
    await meter.close();
  });

  it('rejects when the bridge is not there, and bad options', async () => {
    server.close();
    await once(server, 'close');
    await expect(openP1Socket({ host: '127.0.0.1', port })).rejects.toMatchObject({ name: 'DsmrError', code: 'LINK_FAILED', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    await expect(openP1Socket({ host: '', port: 1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
