/**
 * `dsmr-p1 mqtt <source> --broker mqtt://host`: the meter's readings to MQTT, announced to Home
 * Assistant by MQTT discovery. `mqtt` is an optional peer dependency, loaded only here.
 */
import { parseArgs } from 'node:util';
import { EXIT_HELP, HELP_ROW, exitCode, isSetupError, number, optionList } from './common.js';
import { CliError, write, type CliIo } from './io.js';
import { MqttPublisher, bridgeStatusTopic, type MqttClientLike } from './mqtt/publisher.js';
import { ONE_SOURCE, SOURCE_DESCRIPTION, SOURCE_HELP, SOURCE_OPTIONS, openSource } from './source.js';
import { packageVersion } from './version.js';

export const MQTT_HELP = `Usage: dsmr-p1 mqtt [options] --broker mqtt://HOST[:PORT] <source>

Publishes the meter's readings to an MQTT broker, each on its own retained topic under
<prefix>/<meter id>/ (power_imported, energy_imported, gas, voltage_l1, …), and announces them to
Home Assistant (MQTT discovery), so its Energy dashboard finds them. Needs the mqtt package
(npm install mqtt). ${SOURCE_DESCRIPTION}

Options:
${optionList([
  ['--broker URL', 'mqtt://HOST[:PORT], or mqtts:// for TLS; credentials may be in the\nURL (mqtt://user:password@host): they are never printed'],
  ['--username NAME', 'the broker user (instead of the URL)'],
  ['--password SECRET', 'the password (or MQTT_PASSWORD in the environment)'],
  ['--prefix TOPIC', 'the topics\' prefix (default dsmr-p1)'],
  ['--interval S', 'publish at most every S seconds, the latest reading (default 10;\n0: every telegram)'],
  ['--no-discovery', 'no Home Assistant discovery messages'],
  ['--discovery-prefix TOPIC', "Home Assistant's discovery prefix (default homeassistant)"],
  ...SOURCE_HELP,
  HELP_ROW,
])}

Stop with Ctrl-C. ${EXIT_HELP}`;

/** mqtt.js's connect, loaded on demand: it is an optional peer dependency. */
export type MqttConnect = (url: string, options: Record<string, unknown>) => MqttClientLike & { on(event: 'error', listener: (error: Error) => void): unknown };

export async function loadMqtt(load: () => Promise<unknown> = () => import('mqtt')): Promise<MqttConnect> {
  let module: { connect?: MqttConnect; default?: { connect?: MqttConnect } };
  try {
    module = (await load()) as typeof module;
  } catch {
    throw new CliError('dsmr-p1 mqtt needs the mqtt package, an optional dependency: npm install mqtt');
  }
  const connect = module.connect ?? module.default?.connect;
  if (connect === undefined) throw new CliError('the mqtt package has no connect(): install mqtt 5 (npm install mqtt@5)');
  return connect;
}

/** The broker URL as it may be shown: without user and password. */
export function shownUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href;
}

/** A topic prefix: no wildcards, no empty levels. */
function topicPrefix(name: string, value: string): string {
  if (value === '' || /[#+\0]/.test(value) || value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    throw new CliError(`${name} must be a topic without wildcards or empty levels, not ${JSON.stringify(value)}`);
  }
  return value;
}

export async function mqttCommand(args: string[], io: CliIo, load?: () => Promise<unknown>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      broker: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      prefix: { type: 'string', default: 'dsmr-p1' },
      interval: { type: 'string', default: '10' },
      'no-discovery': { type: 'boolean' },
      'discovery-prefix': { type: 'string', default: 'homeassistant' },
      help: { type: 'boolean', short: 'h' },
      ...SOURCE_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, `${MQTT_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(ONE_SOURCE);
  if (values.broker === undefined) throw new CliError('--broker is required: mqtt://HOST[:PORT] (mqtts:// for TLS)');
  let broker: URL;
  try {
    broker = new URL(values.broker.includes('://') ? values.broker : `mqtt://${values.broker}`);
  } catch {
    throw new CliError(`--broker must be a URL such as mqtt://192.168.1.10:1883, not ${JSON.stringify(values.broker)}`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(broker.protocol)) throw new CliError(`--broker must be mqtt://, mqtts://, ws:// or wss://, not ${broker.protocol}//`);
  const prefix = topicPrefix('--prefix', values.prefix);
  const discoveryPrefix = values['no-discovery'] === true ? null : topicPrefix('--discovery-prefix', values['discovery-prefix']);
  const intervalMs = number('--interval', values.interval) * 1000;
  const target = positionals[0]!;

  const connect = await loadMqtt(load);
  const source = await openSource(target, values, io);
  const username = values.username ?? (broker.username === '' ? undefined : decodeURIComponent(broker.username));
  const password = values.password ?? io.env.MQTT_PASSWORD ?? (broker.password === '' ? undefined : decodeURIComponent(broker.password));
  const client = connect(shownUrl(broker), {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    clientId: `dsmr-p1-${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 2000,
    // the bridge's availability: the broker says offline for us when we vanish
    will: { topic: bridgeStatusTopic(prefix), payload: 'offline', retain: true, qos: 1 },
  });
  const where = shownUrl(broker);
  let connected = false;
  client.on('connect', () => {
    io.stderr.write(`dsmr-p1 mqtt: ${connected ? 'reconnected to' : 'connected to'} ${where}\n`);
    connected = true;
  });
  let lastBrokerError = '';
  client.on('error', (error) => {
    // mqtt.js reconnects by itself; say each distinct problem once
    if (error.message !== lastBrokerError) io.stderr.write(`dsmr-p1 mqtt: ${where}: ${error.message}\n`);
    lastBrokerError = error.message;
  });
  const publisher = new MqttPublisher(client, { prefix, discoveryPrefix, intervalMs, version: packageVersion() });

  let telegrams = 0;
  let setupErrors = 0;
  source.on('telegram', (t) => {
    telegrams++;
    publisher.telegram(t);
  });
  source.on('invalid', (e) => {
    if (isSetupError(e.code)) setupErrors++;
    io.stderr.write(`dsmr-p1 mqtt: ${e.code} at byte ${e.frameOffset ?? '?'}: ${e.message.split('\n')[0]}\n`);
  });
  source.on('reconnect', (info) => {
    publisher.meterOffline();
    io.stderr.write(`dsmr-p1 mqtt: meter link lost (${info.error?.message ?? 'closed'}), reconnecting\n`);
  });
  source.on('idle', () => publisher.meterOffline());

  const stop = (): void => void source.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await source.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await publisher.close();
  }
  return exitCode(telegrams, setupErrors);
}
