/**
 * The OBIS registry: which data line fills which typed field, how its value reads, in which unit,
 * in which country profiles. A data table, so that docs/obis.md is generated from it and cannot
 * drift.
 *
 * `n` in a code stands for a channel 1..4 (an M-Bus device; a relay in Luxembourg). `field` is the
 * path in {@link Telegram}: `phases[1]` is phase L1, `mbus[n]` the device on channel n; `null` for
 * codes the library recognises but does not type (they are in `objects`, as every code is).
 */
import { anyChannelKey, keyOfObis } from './obis.js';
import { PROFILES, type Profile } from './profile.js';

/** How the value groups of an object read. */
export type ValueKind =
  /** text as sent (`1-3:0.2.8(50)` → `'50'`) */
  | 'text'
  /** hex-encoded octet string, decoded when printable */
  | 'hex'
  /** `YYMMDDhhmmssX` */
  | 'timestamp'
  /** decimal number in `unit` (a meter sending W/Wh/var/varh/VA is converted to k…) */
  | 'quantity'
  /** decimal number without unit (power factor) */
  | 'number'
  /** decimal integer without unit: counters, tariff `0002`, device type `003`, switch/valve states */
  | 'integer'
  /** `(value*unit)` kept in the meter's unit (the limiter threshold is A, kW or kVA by country) */
  | 'threshold'
  /** `(count)(buffer id)(end)(duration*s)…` */
  | 'failureLog'
  /** `(capture time)(value*unit)` of an M-Bus device */
  | 'mbusReading'
  /** DSMR 2.2/3.0 `(capture time)(status)(period)(z)(capture obis)(unit)` + `(value)` on the next line */
  | 'legacyReading'
  /** two quantities `(import*A)(export*A)` (Luxembourg current thresholds) */
  | 'quantityPair'
  /** recognised, not typed */
  | 'raw'
  /** `(time)(value*kW)` */
  | 'demandPeak'
  /** `(count)(id)(id)(period end)(time)(value*kW)…` */
  | 'peakHistory';

/** One row of the OBIS registry: how the library reads a code (see docs/obis.md). */
export interface ObisEntry {
  /** Reduced OBIS code; `n` = channel 1..4. */
  obis: string;
  /** Where the value goes in the Telegram; `null`: recognised, kept in `objects` only. */
  field: string | null;
  /** How the value groups read. */
  kind: ValueKind;
  /** The fixed unit of the typed field (quantities, readings). */
  unit: string | null;
  /** What the object is, in words. */
  description: string;
  /** Read only in these profiles (all when absent). */
  profiles?: readonly Profile[];
}

function entry(obis: string, field: string | null, kind: ValueKind, unit: string | null, description: string, profiles?: readonly Profile[]): ObisEntry {
  return profiles === undefined ? { obis, field, kind, unit, description } : { obis, field, kind, unit, description, profiles };
}

function recognised(obis: string, description: string, profiles?: readonly Profile[]): ObisEntry {
  return entry(obis, null, 'raw', null, description, profiles);
}

/** Every profile except the given ones. */
function except(...excluded: Profile[]): Profile[] {
  return PROFILES.filter((p) => !excluded.includes(p));
}

const PHASE_CODES = [
  [1, 21, 22, 23, 24, 31, 32, 33],
  [2, 41, 42, 43, 44, 51, 52, 53],
  [3, 61, 62, 63, 64, 71, 72, 73],
] as const;

function phaseEntries(): ObisEntry[] {
  const entries: ObisEntry[] = [];
  for (const [phase, importC, exportC, reactiveImportC, reactiveExportC, currentC, voltageC, powerFactorC] of PHASE_CODES) {
    const p = `electricity.phases[${phase}]`;
    const l = `L${phase}`;
    entries.push(
      entry(`1-0:${voltageC}.7.0`, `${p}.voltage`, 'quantity', 'V', `Instantaneous voltage ${l}`),
      entry(`1-0:${currentC}.7.0`, `${p}.current`, 'quantity', 'A', `Instantaneous current ${l}`),
      entry(`1-0:${importC}.7.0`, `${p}.powerImported`, 'quantity', 'kW', `Instantaneous active power ${l} (+P)`),
      entry(`1-0:${exportC}.7.0`, `${p}.powerExported`, 'quantity', 'kW', `Instantaneous active power ${l} (−P)`),
      entry(`1-0:${reactiveImportC}.7.0`, `${p}.reactivePowerImported`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (+Q)`),
      entry(`1-0:${reactiveExportC}.7.0`, `${p}.reactivePowerExported`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (−Q)`),
      entry(`1-0:${voltageC}.32.0`, `${p}.voltageSags`, 'integer', null, `Number of voltage sags ${l}`),
      entry(`1-0:${voltageC}.36.0`, `${p}.voltageSwells`, 'integer', null, `Number of voltage swells ${l}`),
      entry(`1-0:${powerFactorC}.7.0`, `${p}.powerFactor`, 'number', null, `Instantaneous power factor ${l} (Lithuania)`),
      entry(`1-0:${currentC}.4.0`, `${p}.currentLimit`, 'quantity', 'A', `Current limit ${l} (Belgian fuse supervision, Hungary)`),
    );
  }
  return entries;
}

function registers(c: number, path: string, unit: string, what: string, b = 0, profiles?: readonly Profile[]): ObisEntry[] {
  return [
    entry(`1-${b}:${c}.8.0`, `${path}.total`, 'quantity', unit, `${what}, total`, profiles),
    entry(`1-${b}:${c}.8.1`, `${path}.tariff1`, 'quantity', unit, `${what}, tariff 1 (NL: low, BE: day)`, profiles),
    entry(`1-${b}:${c}.8.2`, `${path}.tariff2`, 'quantity', unit, `${what}, tariff 2 (NL: normal, BE: night)`, profiles),
  ];
}

// built in a pure call, as are the tables below, so that a bundle without the parser leaves it out
/** DSMR 4.x / 5.0.2 (NL), DSMR 2.2/3.0, and the codes of the national variants. */
export const OBIS_REGISTRY: readonly ObisEntry[] = /* @__PURE__ */ (() => [
  entry('1-3:0.2.8', 'version', 'text', null, 'P1 output version (`50` = DSMR 5.0, `42` = 4.2)'),
  entry('0-0:96.1.4', 'version', 'text', null, 'e-MUCS P1 version (Belgium, `50217` = DSMR 5.0.2 + e-MUCS 1.7)'),
  entry('0-0:1.0.0', 'timestamp', 'timestamp', null, 'Date and time of the telegram'),
  entry('0-0:96.1.1', 'equipmentId', 'hex', null, 'Equipment identifier of the E-meter'),
  entry('0-0:42.0.0', 'logicalDeviceName', 'hex', null, 'COSEM logical device name of the E-meter (Luxembourg, Hungary)', ['lu', 'hu']),
  entry('0-0:42.0.0', 'equipmentId', 'hex', null, 'Equipment identifier of the E-meter (DSMR 2.2 as specified)', ['nl-legacy']),
  ...registers(1, 'electricity.imported', 'kWh', 'Active energy imported (delivered to client)'),
  ...registers(2, 'electricity.exported', 'kWh', 'Active energy exported (delivered by client)'),
  ...registers(3, 'electricity.reactiveEnergy.imported', 'kvarh', 'Reactive energy imported (+Q)'),
  ...registers(4, 'electricity.reactiveEnergy.exported', 'kvarh', 'Reactive energy exported (−Q)'),
  entry('0-0:96.14.0', 'electricity.tariff', 'integer', null, 'Active tariff indicator'),
  entry('1-0:1.7.0', 'electricity.power.imported', 'quantity', 'kW', 'Actual power imported, all phases'),
  entry('1-0:2.7.0', 'electricity.power.exported', 'quantity', 'kW', 'Actual power exported, all phases'),
  entry('1-0:3.7.0', 'electricity.reactivePower.imported', 'quantity', 'kvar', 'Actual reactive power imported (+Q)'),
  entry('1-0:4.7.0', 'electricity.reactivePower.exported', 'quantity', 'kvar', 'Actual reactive power exported (−Q)'),
  entry('1-0:9.7.0', 'electricity.apparentPower.imported', 'quantity', 'kVA', 'Actual apparent power imported (+S)'),
  entry('1-0:10.7.0', 'electricity.apparentPower.exported', 'quantity', 'kVA', 'Actual apparent power exported (−S)'),
  entry('1-0:14.7.0', 'electricity.frequency', 'quantity', 'Hz', 'Instantaneous frequency (Lithuania)'),
  entry('1-0:13.7.0', 'electricity.powerFactor', 'number', null, 'Instantaneous power factor, all phases (Lithuania)'),
  entry('0-0:96.7.21', 'electricity.powerFailures.count', 'integer', null, 'Number of power failures in any phase'),
  entry('0-0:96.7.9', 'electricity.powerFailures.longCount', 'integer', null, 'Number of long power failures in any phase'),
  entry('1-0:99.97.0', 'electricity.powerFailures.log', 'failureLog', 's', 'Power failure event log (end time, duration)'),
  ...phaseEntries(),
  entry('0-0:17.0.0', 'electricity.threshold', 'threshold', null, 'Limiter threshold (A in DSMR 2.2/3.0, kW in DSMR 4.0/BE, kVA in LU)'),
  entry('0-0:96.3.10', 'electricity.switchPosition', 'integer', null, 'Breaker/switch state: 0 off, 1 on, 2 ready'),
  entry('0-0:24.4.0', 'electricity.switchPosition', 'integer', null, 'Switch position (DSMR 2.2 as specified)', ['nl-legacy']),
  entry('0-n:96.3.10', 'electricity.relays[n].state', 'integer', null, 'Relay n state (Luxembourg: B is the relay, not an M-Bus channel)', ['lu']),
  entry('1-1:31.4.0', 'electricity.currentThreshold', 'quantityPair', 'A', 'Current threshold: (import)(export, signed) (Luxembourg)', ['lu']),
  entry('1-0:1.4.0', 'electricity.demand.current', 'quantity', 'kW', 'Current 15-minute average import demand (e-MUCS)'),
  entry('1-0:1.6.0', 'electricity.demand.monthPeak', 'demandPeak', 'kW', 'Peak 15-minute average demand this month (e-MUCS)'),
  entry('0-0:98.1.0', 'electricity.demand.history', 'peakHistory', 'kW', 'Monthly demand peaks, up to 13 months (e-MUCS)', except('hu')),
  recognised('0-0:98.1.0', 'Billing period snapshot (Hungary): a timestamp and 18 registers', ['hu']),
  ...registers(1, 'electricity.imported', 'kWh', 'Active energy imported', 1, ['ch']),
  ...registers(2, 'electricity.exported', 'kWh', 'Active energy exported', 1, ['ch']),
  entry('1-1:1.7.0', 'electricity.power.imported', 'quantity', 'kW', 'Actual power imported (Switzerland, B = 1)', ['ch']),
  entry('1-1:2.7.0', 'electricity.power.exported', 'quantity', 'kW', 'Actual power exported (Switzerland, B = 1)', ['ch']),
  entry('1-1:1.6.0', 'electricity.demand.monthPeak', 'demandPeak', 'kW', 'Peak demand this month (Switzerland, B = 1)', ['ch']),
  entry('0-0:96.13.0', 'messages.text', 'hex', null, 'Text message (up to 1024 characters)'),
  entry('0-0:96.13.1', 'messages.code', 'hex', null, 'Numeric message code (DSMR 2.2–4.x)'),
  entry('0-n:24.1.0', 'mbus[n].deviceType', 'integer', null, 'M-Bus device type (3 gas, 4 heat, 7 water, …)'),
  entry('0-n:96.1.0', 'mbus[n].equipmentId', 'hex', null, 'M-Bus device equipment identifier'),
  entry('0-n:96.1.1', 'mbus[n].equipmentId', 'hex', null, 'M-Bus device equipment identifier (Belgium)'),
  entry('0-n:24.2.1', 'mbus[n].reading', 'mbusReading', null, 'M-Bus device reading with its capture time (gas: temperature corrected)'),
  entry('0-n:24.2.3', 'mbus[n].reading', 'mbusReading', null, 'M-Bus gas reading, not temperature corrected (Belgium)'),
  entry('0-n:24.3.0', 'mbus[n].reading', 'legacyReading', null, 'M-Bus device reading of DSMR 2.2/3.0 (value on the next line)'),
  recognised('0-n:24.3.1', 'Thermal M-Bus device, cold reading (DSMR 3.0)'),
  recognised('0-0:96.1.2', 'Connection point EAN (e-MUCS 2.x)'),
  recognised('0-n:96.1.2', 'M-Bus device connection point EAN (e-MUCS 2.x)'),
  recognised('0-n:96.3.10', 'M-Bus channel state (e-MUCS 2.x, meaning unpublished)', except('lu')),
  recognised('0-0:96.13.2', 'Long message, channel 1 (Luxembourg)'),
  recognised('0-0:96.13.3', 'Long message, channel 2 (Luxembourg)'),
  recognised('0-0:96.13.4', 'Long message, channel 3 (Luxembourg)'),
  recognised('0-0:96.13.5', 'Long message, channel 4 (Luxembourg)'),
  recognised('1-0:0.4.2', 'Current transformer ratio (Sweden, Aidon)'),
  recognised('1-0:0.4.3', 'Voltage transformer ratio (Sweden, Aidon)'),
  recognised('7-0:0.0.0', 'Gas meter identifier (DSMR 2.2 as specified; no meter seen)'),
  recognised('7-0:23.1.0', 'Gas: 24 hourly readings (DSMR 2.2 as specified; no meter seen)'),
  recognised('7-0:23.2.0', 'Gas: 24 hourly temperature-corrected readings (DSMR 2.2 as specified; no meter seen)'),
  recognised('7-0:24.4.0', 'Gas valve position (DSMR 2.2 as specified; no meter seen)'),
  recognised('5-0:0.0.0', 'Heat meter identifier (DSMR 2.2 as specified; no meter seen)'),
  recognised('5-0:1.0.0', 'Heat reading in 0.01 GJ (DSMR 2.2 as specified; no meter seen)'),
  recognised('6-0:0.0.0', 'Cold meter identifier (DSMR 2.2 as specified; no meter seen)'),
  recognised('6-0:1.0.0', 'Cold reading (DSMR 2.2 as specified; no meter seen)'),
  recognised('8-0:0.0.0', 'Water meter identifier (DSMR 2.2 as specified; no meter seen)'),
  recognised('8-0:1.0.0', 'Water reading in 0.001 m3 (DSMR 2.2 as specified; no meter seen)'),
  entry('0-n:24.4.0', 'mbus[n].valvePosition', 'integer', null, 'M-Bus device valve position'),
])();

/** A profile's view of the registry: numeric OBIS key → entry (see obis.ts). */
export type RegistryTable = ReadonlyMap<number, ObisEntry>;

const BY_PROFILE = /* @__PURE__ */ profileTables();

function profileTables(): ReadonlyMap<Profile, RegistryTable> {
  const tables = new Map<Profile, RegistryTable>();
  for (const profile of PROFILES) {
    const table = new Map<number, ObisEntry>();
    for (const e of OBIS_REGISTRY) {
      if (e.profiles !== undefined && !e.profiles.includes(profile)) continue;
      const key = keyOfObis(e.obis);
      if (key === null) throw new Error(`OBIS registry: ${e.obis} is not a reduced OBIS code`);
      if (table.has(key)) throw new Error(`OBIS registry: ${e.obis} twice in profile ${profile}`);
      table.set(key, e);
    }
    tables.set(profile, table);
  }
  return tables;
}

/** The registry as a profile reads it. */
export function registryTable(profile: Profile): RegistryTable {
  return BY_PROFILE.get(profile)!;
}

/**
 * The registry entry of an OBIS code (normalised text, or its numeric key) in a profile, or
 * `undefined` for codes the registry does not know (they are in `objects` all the same). Codes
 * `0-1:` … `0-4:` match their `0-n:` entry.
 */
export function lookupObis(obis: string | number, profile: Profile = 'nl', table: RegistryTable = registryTable(profile)): ObisEntry | undefined {
  const key = typeof obis === 'number' ? obis : keyOfObis(obis);
  if (key === null) return undefined;
  const direct = table.get(key);
  if (direct !== undefined) return direct;
  const channelKey = anyChannelKey(key);
  return channelKey === null ? undefined : table.get(channelKey);
}
