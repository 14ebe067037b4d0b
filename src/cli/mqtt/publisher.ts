/**
 * Telegrams to MQTT: each reading on its own retained topic, Home Assistant discovery for each
 * sensor a meter has, and availability (the bridge's, by last will; the meter's, by its link).
 * Survives a broker restart: everything retained is published again on every (re)connect, and
 * when Home Assistant announces itself (`homeassistant/status` `online`).
 */
import type { Telegram } from '../../index.js';
import { meterManufacturer, meterModel } from '../meter.js';
import { SENSORS, meterId, type Sensor } from './sensors.js';

/** The part of mqtt.js's client this uses (a fake in tests is a real client on a real broker). */
export interface MqttClientLike {
  publish(topic: string, message: string, options: { retain: boolean; qos: 0 | 1 }): unknown;
  subscribe(topic: string): unknown;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'message', listener: (topic: string, payload: Uint8Array) => void): unknown;
  end(force?: boolean, callback?: () => void): unknown;
  readonly connected: boolean;
}

export interface PublisherOptions {
  /** topics go under `<prefix>/<meter id>/` */
  prefix: string;
  /** Home Assistant's discovery prefix, or null for no discovery */
  discoveryPrefix: string | null;
  /** publish at most once in this many ms (the latest telegram; 0: every telegram) */
  intervalMs: number;
  /** dsmr-p1's version, for the discovery payloads' origin */
  version: string;
}

/** The topic of the bridge's availability: its last will says `offline`. */
export const bridgeStatusTopic = (prefix: string): string => `${prefix}/status`;

export class MqttPublisher {
  /** the meter of the last telegram, and the sensors it has that were announced */
  private meter: { id: string; telegram: Telegram; announced: Set<string> } | null = null;
  private lastPublish = Number.NEGATIVE_INFINITY;
  private pending: Telegram | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** whether the meter's link brings telegrams, and what its availability topic last said */
  private meterAvailable = false;
  private saidAvailable: boolean | null = null;

  constructor(
    private readonly client: MqttClientLike,
    private readonly options: PublisherOptions,
  ) {
    client.on('connect', () => this.announce());
    if (options.discoveryPrefix !== null) {
      const haStatus = `${options.discoveryPrefix}/status`;
      client.on('message', (topic, payload) => {
        if (topic === haStatus && new TextDecoder().decode(payload) === 'online') this.announce();
      });
    }
    if (client.connected) this.announce();
  }

  /** A telegram: published now, or as the latest when the interval has passed. */
  telegram(t: Telegram, now = Date.now()): void {
    // a meter coming back is said at once, whatever the interval
    const back = !this.meterAvailable;
    this.meterAvailable = true;
    if (back || now - this.lastPublish >= this.options.intervalMs) {
      this.publish(t, now);
      return;
    }
    this.pending = t;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const latest = this.pending;
      this.pending = null;
      if (latest !== null) this.publish(latest, Date.now());
    }, this.lastPublish + this.options.intervalMs - now);
  }

  /** The meter's link dropped (cable pulled, bridge quiet): its sensors become unavailable. */
  meterOffline(): void {
    this.meterAvailable = false;
    this.sayAvailability();
  }

  /** Says `offline` for the bridge (as its last will would) and disconnects. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    // the latest reading is not held back by the interval when the input ends
    if (this.pending !== null) this.publish(this.pending, Date.now());
    this.pending = null;
    if (this.client.connected) {
      if (this.meter !== null) this.send(this.availabilityTopic(this.meter.id), 'offline');
      this.send(bridgeStatusTopic(this.options.prefix), 'offline');
    }
    await new Promise<void>((resolve) => this.client.end(false, resolve));
  }

  private publish(t: Telegram, now: number): void {
    this.lastPublish = now;
    // a reading held back for the interval is older than this one: never sent after it
    this.pending = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const id = meterId(t);
    if (this.meter?.id !== id) {
      this.meter = { id, telegram: t, announced: new Set() };
      this.saidAvailable = null;
    }
    this.meter.telegram = t;
    // while the broker is away nothing is queued (a day of readings would pile up in memory):
    // the reconnect publishes the latest reading, retained
    if (!this.client.connected) return;
    this.sayAvailability();
    for (const sensor of SENSORS) {
      const value = sensor.value(t);
      if (value === null) continue;
      if (!this.meter.announced.has(sensor.key)) this.discover(sensor, t, id);
      this.send(`${this.options.prefix}/${id}/${sensor.key}`, String(value));
    }
  }

  /** Everything retained, again: after a (re)connect, the broker may have lost it. */
  private announce(): void {
    this.send(bridgeStatusTopic(this.options.prefix), 'online');
    if (this.options.discoveryPrefix !== null) this.client.subscribe(`${this.options.discoveryPrefix}/status`);
    if (this.meter === null) return;
    this.meter.announced.clear();
    this.saidAvailable = null;
    this.publish(this.meter.telegram, this.lastPublish);
  }

  /** The meter's availability, when it differs from what was last said (and there is a meter). */
  private sayAvailability(): void {
    if (this.meter === null || !this.client.connected || this.saidAvailable === this.meterAvailable) return;
    this.saidAvailable = this.meterAvailable;
    this.send(this.availabilityTopic(this.meter.id), this.meterAvailable ? 'online' : 'offline');
  }

  private discover(sensor: Sensor, t: Telegram, id: string): void {
    this.meter!.announced.add(sensor.key);
    if (this.options.discoveryPrefix === null) return;
    const config = discoveryConfig(sensor, t, id, this.options);
    this.send(`${this.options.discoveryPrefix}/sensor/dsmr_p1_${id}/${sensor.key}/config`, JSON.stringify(config));
  }

  private availabilityTopic(id: string): string {
    return `${this.options.prefix}/${id}/availability`;
  }

  /** Publishes retained, only while connected: everything is published again on (re)connect. */
  private send(topic: string, message: string): void {
    if (!this.client.connected) return;
    this.client.publish(topic, message, { retain: true, qos: 1 });
  }
}

/** A sensor's discovery payload: one device per meter, available while the bridge and the meter are. */
export function discoveryConfig(sensor: Sensor, t: Telegram, id: string, options: Pick<PublisherOptions, 'prefix' | 'version'>): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: sensor.name,
    unique_id: `dsmr_p1_${id}_${sensor.key}`,
    object_id: `dsmr_p1_${id}_${sensor.key}`,
    state_topic: `${options.prefix}/${id}/${sensor.key}`,
    availability: [{ topic: bridgeStatusTopic(options.prefix) }, { topic: `${options.prefix}/${id}/availability` }],
    availability_mode: 'all',
    device: {
      identifiers: [`dsmr_p1_${id}`],
      name: `Smart meter ${id}`,
      manufacturer: meterManufacturer(t) ?? 'unknown',
      model: meterModel(t),
      ...(t.version === null ? {} : { sw_version: t.version }),
    },
    origin: { name: 'dsmr-p1', sw_version: options.version, support_url: 'https://github.com/dsmr-p1/dsmr-p1' },
  };
  const unit = sensor.unit(t);
  if (unit !== null) config.unit_of_measurement = unit;
  if (sensor.deviceClass !== null) config.device_class = sensor.deviceClass;
  if (sensor.stateClass !== null) config.state_class = sensor.stateClass;
  return config;
}
