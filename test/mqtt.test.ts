/**
 * `dsmr-p1 mqtt` against a real broker (aedes, started here) and a real client subscribing:
 * the readings on their topics, Home Assistant discovery checked against its documented schema,
 * availability when the meter's link drops, and a broker restart in the middle.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMqtt, mqttCommand, shownUrl } from '../src/cli/mqtt-command.js';
import { MqttPublisher } from '../src/cli/mqtt/publisher.js';
import { SENSORS } from '../src/cli/mqtt/sensors.js';
import { MeterSimulator } from '../src/cli/simulator.js';
import { parseTelegram, type Telegram } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Broker {
  port: number;
  close(): Promise<void>;
}

/** An MQTT broker on 127.0.0.1 (`port` 0: any free port). */
async function startBroker(port = 0): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
        // clients hold their sockets open: the broker going away closes them
        server.emit('close');
      }),
  };
}

/** A subscriber that keeps the last message of every topic. */
async function subscriber(port: number): Promise<{ client: MqttClient; last: Map<string, string>; seen: string[] }> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 200 });
  const last = new Map<string, string>();
  const seen: string[] = [];
  client.on('message', (topic, payload) => {
    last.set(topic, payload.toString());
    seen.push(topic);
  });
  client.on('connect', () => client.subscribe('#'));
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, last, seen };
}

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Home Assistant's MQTT sensor discovery schema, as documented: what a payload must and may hold. */
function checkDiscovery(topic: string, config: Record<string, any>): void {
  expect(topic).toMatch(/^homeassistant\/sensor\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/config$/);
  expect(config.state_topic).toMatch(/^dsmr-p1\/[A-Za-z0-9_-]+\/[a-z0-9_]+$/);
  expect(config.unique_id).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(config.device.identifiers).toHaveLength(1);
  expect(config.availability_mode).toBe('all');
  const allowed = ['name', 'unique_id', 'object_id', 'state_topic', 'availability', 'availability_mode', 'device', 'origin', 'unit_of_measurement', 'device_class', 'state_class'];
  expect(Object.keys(config).filter((key) => !allowed.includes(key))).toEqual([]);
  // the units Home Assistant accepts for each device class it validates
  const units: Record<string, string[]> = { power: ['W', 'kW'], energy: ['Wh', 'kWh', 'MWh', 'GJ', 'MJ'], voltage: ['V', 'mV'], current: ['A', 'mA'], gas: ['m³', 'ft³', 'CCF'], water: ['m³', 'L', 'gal'] };
  if (config.device_class !== undefined) expect(units[config.device_class], `${topic}: ${config.unit_of_measurement}`).toContain(config.unit_of_measurement);
  // the Energy dashboard takes energy, gas and water only as total or total_increasing
  if (['energy', 'gas', 'water'].includes(config.device_class)) expect(config.state_class).toBe('total_increasing');
  if (['power', 'voltage', 'current'].includes(config.device_class)) expect(config.state_class).toBe('measurement');
}

describe('dsmr-p1 mqtt (spawned, against a real broker)', () => {
  it('publishes each reading retained, announces every sensor to Home Assistant, and survives a broker restart', async () => {
    let broker = await startBroker();
    const port = broker.port;
    cleanup.push(() => broker.close());
    const meter = new MeterSimulator({ profile: 'be', seed: 6, start: new Date('2024-06-01T10:00:00Z') });
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'mqtt', '--broker', `mqtt://user:secret@127.0.0.1:${port}`, '--interval', '0', '-'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    cleanup.push(() => child.kill('SIGKILL'));
    const { client, last } = await subscriber(port);
    cleanup.push(() => client.end(true));

    const firstText = meter.next();
    const first = parseTelegram(firstText);
    child.stdin.write(firstText);
    const id = first.equipmentId!;
    await expect.poll(() => last.get(`dsmr-p1/${id}/power_imported`), { timeout: 15_000 }).toBe(String(first.electricity.power.imported));
    // retained messages come in any order: wait for each
    await expect.poll(() => last.get('dsmr-p1/status')).toBe('online');
    await expect.poll(() => last.get(`dsmr-p1/${id}/availability`)).toBe('online');
    const present = SENSORS.filter((s) => s.value(first) !== null).map((s) => s.key);
    await expect.poll(() => [...last.keys()].filter((topic) => topic.startsWith('homeassistant/')).length).toBe(present.length);
    await expect.poll(() => last.get(`dsmr-p1/${id}/energy_imported`)).toBe(String(first.electricity.imported.allTariffs));
    await expect.poll(() => last.get(`dsmr-p1/${id}/gas`)).toBe(String(first.gas!.value));
    await expect.poll(() => last.get(`dsmr-p1/${id}/demand_current`)).toBe(String(first.electricity.demand.current));

    const discovery = [...last].filter(([topic]) => topic.startsWith('homeassistant/'));
    expect(discovery.map(([topic]) => topic.split('/')[3]).sort()).toEqual([...present].sort());
    for (const [topic, payload] of discovery) checkDiscovery(topic, JSON.parse(payload));
    const energy = JSON.parse(last.get(`homeassistant/sensor/dsmr_p1_${id}/energy_imported/config`)!);
    expect(energy).toMatchObject({ device_class: 'energy', state_class: 'total_increasing', unit_of_measurement: 'kWh', state_topic: `dsmr-p1/${id}/energy_imported` });
    expect(JSON.parse(last.get(`homeassistant/sensor/dsmr_p1_${id}/gas/config`)!)).toMatchObject({ device_class: 'gas', unit_of_measurement: 'm³' });
    expect(stderr).toContain(`connected to mqtt://127.0.0.1:${port}`);
    expect(stderr).not.toContain('secret');

    // the broker restarts empty: the bridge reconnects and publishes everything retained again
    await broker.close();
    last.clear();
    broker = await startBroker(port);
    await expect.poll(() => last.get(`homeassistant/sensor/dsmr_p1_${id}/power_imported/config`), { timeout: 20_000 }).toBeDefined();
    await expect.poll(() => last.get('dsmr-p1/status')).toBe('online');
    const secondText = meter.next();
    const second = parseTelegram(secondText);
    child.stdin.write(secondText);
    await expect.poll(() => last.get(`dsmr-p1/${id}/power_imported`), { timeout: 10_000 }).toBe(String(second.electricity.power.imported));
    expect(stderr).toContain('reconnected to');

    // the input ends: the bridge says it is going, and exits
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    await expect.poll(() => last.get('dsmr-p1/status')).toBe('offline');
  }, 90_000);
});

describe('MqttPublisher', () => {
  async function connected(port: number): Promise<MqttClient> {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`);
    await new Promise((resolve) => client.once('connect', resolve));
    return client;
  }

  it('throttles to the interval, publishing the latest reading and never an older one after a newer; marks the meter offline when its link drops', async () => {
    const broker = await startBroker();
    cleanup.push(() => broker.close());
    const { client: watcher, seen, last } = await subscriber(broker.port);
    cleanup.push(() => watcher.end(true));
    const client = await connected(broker.port);
    const publisher = new MqttPublisher(client, { prefix: 'p1', discoveryPrefix: null, intervalMs: 1_000, version: 'test' });
    const meter = new MeterSimulator({ profile: 'nl5', seed: 1, start: new Date('2024-06-01T10:00:00Z') });
    const next = () => parseTelegram(meter.next());
    const published = () => seen.filter((topic) => topic === `p1/${id}/power_imported`).length;
    const power = (t: Telegram) => String(t.electricity.power.imported);

    // the first at once; of the four within the interval, only the latest, when it has passed
    const burst = Array.from({ length: 5 }, next);
    const id = burst[0]!.equipmentId!;
    const start = Date.now();
    burst.forEach((t, i) => publisher.telegram(t, start + i));
    await expect.poll(() => last.get(`p1/${id}/power_imported`)).toBe(power(burst[0]!));
    await expect.poll(published).toBe(2);
    expect(last.get(`p1/${id}/power_imported`)).toBe(power(burst[4]!));
    expect([...last.keys()].some((topic) => topic.startsWith('homeassistant/'))).toBe(false);

    // one held back, then a newer one goes out at once: the held-back one is never sent after it
    const older = next();
    const newer = next();
    publisher.telegram(older, Date.now());
    publisher.telegram(newer, Date.now() + 1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(published()).toBe(3);
    expect(last.get(`p1/${id}/power_imported`)).toBe(power(newer));

    // the cable pulled and back: availability follows
    publisher.meterOffline();
    await expect.poll(() => last.get(`p1/${id}/availability`)).toBe('offline');
    publisher.telegram(next(), Date.now() + 3_000);
    await expect.poll(() => last.get(`p1/${id}/availability`)).toBe('online');

    // closing publishes the reading the interval held back, then says offline
    const held = next();
    publisher.telegram(held, Date.now() + 3_001);
    await publisher.close();
    await expect.poll(() => last.get(`p1/${id}/power_imported`)).toBe(power(held));
    expect(last.get('p1/status')).toBe('offline');
  });

  it("announces again when Home Assistant comes online (homeassistant/status 'online')", async () => {
    const broker = await startBroker();
    cleanup.push(() => broker.close());
    const client = await connected(broker.port);
    const publisher = new MqttPublisher(client, { prefix: 'dsmr-p1', discoveryPrefix: 'homeassistant', intervalMs: 0, version: 'test' });
    cleanup.push(() => publisher.close());
    const t = parseTelegram(new MeterSimulator({ seed: 3 }).next());
    publisher.telegram(t);
    const { client: ha, seen } = await subscriber(broker.port);
    cleanup.push(() => ha.end(true));
    const config = `homeassistant/sensor/dsmr_p1_${t.equipmentId}/power_imported/config`;
    await expect.poll(() => seen.filter((topic) => topic === config).length).toBe(1); // the retained one
    ha.publish('homeassistant/status', 'online');
    await expect.poll(() => seen.filter((topic) => topic === config).length).toBe(2);
  });
});

describe('dsmr-p1 mqtt options', () => {
  const io = () => {
    const err: string[] = [];
    return { err, io: { stdin: process.stdin, stdout: process.stdout, stderr: { write: (s: string) => err.push(s) } as never, env: {} } };
  };

  it('says how to install mqtt when it is missing', async () => {
    await expect(loadMqtt(() => Promise.reject(new Error('Cannot find package')))).rejects.toThrow('npm install mqtt');
    await expect(mqttCommand(['--broker', 'mqtt://127.0.0.1:1', '-'], io().io, () => Promise.reject(new Error('no')))).rejects.toThrow(/needs the mqtt package/);
  });

  it('refuses a missing broker, a bad URL, wildcards in a prefix; never shows credentials', async () => {
    await expect(mqttCommand(['-'], io().io)).rejects.toThrow('--broker is required');
    await expect(mqttCommand(['--broker', 'http://x', '-'], io().io)).rejects.toThrow('--broker must be mqtt://');
    await expect(mqttCommand(['--broker', 'mqtt://x', '--prefix', 'a/#', '-'], io().io)).rejects.toThrow('--prefix must be a topic');
    expect(shownUrl(new URL('mqtts://me:p%40ss@broker.local:8883'))).toBe('mqtts://broker.local:8883');
  });
});

describe('MqttPublisher while the broker is away', () => {
  it('queues nothing, and publishes the latest reading when the connection comes back', async () => {
    const { EventEmitter } = await import('node:events');
    const published: string[] = [];
    const client = Object.assign(new EventEmitter(), {
      connected: false,
      publish: (topic: string, message: string) => published.push(`${topic} ${message}`),
      subscribe: () => {},
      end: (_force: boolean, done: () => void) => done(),
    });
    const publisher = new MqttPublisher(client, { prefix: 'p1', discoveryPrefix: 'homeassistant', intervalMs: 0, version: 'test' });
    const meter = new MeterSimulator({ seed: 5 });
    const readings = Array.from({ length: 1_000 }, () => parseTelegram(meter.next()));
    for (const t of readings) publisher.telegram(t);
    expect(published).toEqual([]);
    client.connected = true;
    client.emit('connect');
    const id = readings[0]!.equipmentId!;
    expect(published).toContain(`p1/${id}/power_imported ${readings.at(-1)!.electricity.power.imported}`);
    expect(published.filter((line) => line.startsWith(`p1/${id}/power_imported `))).toHaveLength(1);
    expect(published.filter((line) => line.startsWith('homeassistant/'))).not.toHaveLength(0);
    await publisher.close();
  });
});

describe('MqttPublisher availability across a broker outage', () => {
  it('a meter whose link dropped while the broker was away is announced offline on reconnect, online with its next telegram', async () => {
    const { EventEmitter } = await import('node:events');
    const last = new Map<string, string>();
    const client = Object.assign(new EventEmitter(), {
      connected: true,
      publish: (topic: string, message: string) => void last.set(topic, message),
      subscribe: () => {},
      end: (_force: boolean, done: () => void) => done(),
    });
    const publisher = new MqttPublisher(client, { prefix: 'p1', discoveryPrefix: null, intervalMs: 60_000, version: 'test' });
    const meter = new MeterSimulator({ seed: 5 });
    const first = parseTelegram(meter.next());
    const id = first.equipmentId!;
    publisher.telegram(first);
    expect(last.get(`p1/${id}/availability`)).toBe('online');
    client.connected = false;
    publisher.meterOffline();
    client.connected = true;
    client.emit('connect');
    expect(last.get(`p1/${id}/availability`)).toBe('offline');
    // back within the interval: said at once
    publisher.telegram(parseTelegram(meter.next()));
    expect(last.get(`p1/${id}/availability`)).toBe('online');
    await publisher.close();
  });
});
