/**
 * The OBIS registry: which code fills which typed field, how its value reads, in which unit, in
 * which country profiles, and the rules that go with a code (a CRC it requires, gas that is or is
 * not temperature corrected). A data table, so that docs/obis.md is generated from it and cannot
 * drift.
 *
 * Each entry carries a setter the compiler checks against the {@link Telegram} type (a typo in a
 * field is a type error, see test/registry.test-d.ts); the `field` path shown in the docs is read
 * off the setter, so the two cannot disagree. `n` in a code stands for a channel 1..4 (an M-Bus
 * device; a relay in Luxembourg).
 */
import { deviceOf, emptyFields, phaseOf, relayOf, type TypedFields } from './fields.js';
import { ANY_CHANNEL, anyChannelCode, parseObisCode, type ObisCode } from './obis.js';
import { PROFILES, type Profile } from './profile.js';
import type { DemandPeak, MbusReading, MonthlyPeak, PowerFailure, PowerPair } from './telegram.js';

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

/** What a value of each kind reads as. */
export interface ValueOf {
  text: string | null;
  hex: string | null;
  timestamp: Date | null;
  quantity: number | null;
  number: number | null;
  integer: number | null;
  threshold: { value: number; unit: string | null } | null;
  failureLog: PowerFailure[];
  mbusReading: MbusReading | null;
  legacyReading: MbusReading | null;
  quantityPair: PowerPair | null;
  raw: never;
  demandPeak: DemandPeak | null;
  peakHistory: MonthlyPeak[];
}

/** Puts a value where it belongs in the typed fields; `channel` is the code's B group. */
export type Setter<K extends ValueKind> = (fields: TypedFields, value: ValueOf[K], channel: number) => void;

/** One row of the OBIS registry: how the library reads a code (see docs/obis.md). */
export interface ObisEntry {
  /** Reduced OBIS code; `n` = channel 1..4. */
  readonly obis: string;
  /** Where the value goes in the Telegram (`electricity.phases[1].voltage`, `mbus[n].reading`); `null`: recognised, kept in `objects` only. */
  readonly field: string | null;
  /** How the value groups read. */
  readonly kind: ValueKind;
  /** The fixed unit of the typed field (quantities, readings). */
  readonly unit: string | null;
  /** What the object is, in words. */
  readonly description: string;
  /** Read only in these profiles (all when absent). */
  readonly profiles?: readonly Profile[];
  /** A telegram with this code is DSMR ≥ 4 or a variant of it, and must carry a CRC. */
  readonly requiresCrc?: boolean;
  /**
   * For M-Bus readings: whether a gas volume (device type 3) is converted to 15 °C. `false`: never
   * (Belgian `24.2.3`); a list of profiles: in those (Dutch `24.2.1`); absent: not known.
   */
  readonly temperatureCorrected?: false | readonly Profile[];
}

/** A registry row with what reading it needs: the setter of its kind. */
export interface RegistryEntry<K extends ValueKind = ValueKind> extends ObisEntry {
  readonly kind: K;
  readonly set: Setter<K> | null;
}

type Rules = Pick<ObisEntry, 'profiles' | 'requiresCrc' | 'temperatureCorrected'>;

export function entry<K extends ValueKind>(obis: string, kind: K, unit: string | null, description: string, set: Setter<K>, rules: Rules = {}): RegistryEntry {
  return { obis, kind, unit, description, set: set as Setter<ValueKind>, field: fieldPath(set as Setter<ValueKind>), ...rules };
}

function recognised(obis: string, description: string, profiles?: readonly Profile[]): RegistryEntry {
  return { obis, kind: 'raw', unit: null, description, set: null, field: null, ...(profiles === undefined ? {} : { profiles }) };
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

function phaseEntries(): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  for (const [phase, importC, exportC, reactiveImportC, reactiveExportC, currentC, voltageC, powerFactorC] of PHASE_CODES) {
    const l = `L${phase}`;
    entries.push(
      entry(`1-0:${voltageC}.7.0`, 'quantity', 'V', `Instantaneous voltage ${l}`, (f, v) => (phaseOf(f, phase).voltage = v)),
      entry(`1-0:${currentC}.7.0`, 'quantity', 'A', `Instantaneous current ${l}`, (f, v) => (phaseOf(f, phase).current = v)),
      entry(`1-0:${importC}.7.0`, 'quantity', 'kW', `Instantaneous active power ${l} (+P)`, (f, v) => (phaseOf(f, phase).powerImported = v)),
      entry(`1-0:${exportC}.7.0`, 'quantity', 'kW', `Instantaneous active power ${l} (−P)`, (f, v) => (phaseOf(f, phase).powerExported = v)),
      entry(`1-0:${reactiveImportC}.7.0`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (+Q)`, (f, v) => (phaseOf(f, phase).reactivePowerImported = v)),
      entry(`1-0:${reactiveExportC}.7.0`, 'quantity', 'kvar', `Instantaneous reactive power ${l} (−Q)`, (f, v) => (phaseOf(f, phase).reactivePowerExported = v)),
      entry(`1-0:${voltageC}.32.0`, 'integer', null, `Number of voltage sags ${l}`, (f, v) => (phaseOf(f, phase).voltageSags = v)),
      entry(`1-0:${voltageC}.36.0`, 'integer', null, `Number of voltage swells ${l}`, (f, v) => (phaseOf(f, phase).voltageSwells = v)),
      entry(`1-0:${powerFactorC}.7.0`, 'number', null, `Instantaneous power factor ${l} (Lithuania)`, (f, v) => (phaseOf(f, phase).powerFactor = v)),
      entry(`1-0:${currentC}.4.0`, 'quantity', 'A', `Current limit ${l} (Belgian fuse supervision, Hungary)`, (f, v) => (phaseOf(f, phase).currentLimit = v)),
    );
  }
  return entries;
}

type Registers = 'imported' | 'exported';

/** `C.8.0`, `C.8.1`, `C.8.2`: total and tariffs 1 and 2 of an energy register. */
function registers(c: number, unit: string, what: string, pick: (f: TypedFields) => { total: number | null; tariff1: number | null; tariff2: number | null }, b = 0, profiles?: readonly Profile[]): RegistryEntry[] {
  const rules = profiles === undefined ? {} : { profiles };
  return [
    entry(`1-${b}:${c}.8.0`, 'quantity', unit, `${what}, total`, (f, v) => (pick(f).total = v), rules),
    entry(`1-${b}:${c}.8.1`, 'quantity', unit, `${what}, tariff 1 (NL: low, BE: day)`, (f, v) => (pick(f).tariff1 = v), rules),
    entry(`1-${b}:${c}.8.2`, 'quantity', unit, `${what}, tariff 2 (NL: normal, BE: night)`, (f, v) => (pick(f).tariff2 = v), rules),
  ];
}
const active = (direction: Registers) => (f: TypedFields) => f.electricity[direction];
const reactive = (direction: Registers) => (f: TypedFields) => f.electricity.reactiveEnergy[direction];

// built in a pure call, as are the tables below, so that a bundle without the parser leaves it out
const ENTRIES: readonly RegistryEntry[] = /* @__PURE__ */ (() => frozen([
  entry('1-3:0.2.8', 'text', null, 'P1 output version (`50` = DSMR 5.0, `42` = 4.2)', (f, v) => (f.version = v), { requiresCrc: true }),
  entry('0-0:96.1.4', 'text', null, 'e-MUCS P1 version (Belgium, `50217` = DSMR 5.0.2 + e-MUCS 1.7)', (f, v) => (f.version = v), { requiresCrc: true }),
  entry('0-0:1.0.0', 'timestamp', null, 'Date and time of the telegram', (f, v) => (f.timestamp = v), { requiresCrc: true }),
  entry('0-0:96.1.1', 'hex', null, 'Equipment identifier of the E-meter', (f, v) => (f.equipmentId = v)),
  entry('0-0:42.0.0', 'hex', null, 'COSEM logical device name of the E-meter (Luxembourg, Hungary, DLMS meters)', (f, v) => (f.logicalDeviceName = v), { profiles: ['lu', 'hu', 'generic'] }),
  entry('0-0:96.1.7', 'text', null, 'Meter type (DLMS meters: Aidon, Kaifa)', (f, v) => (f.meterType = v)),
  entry('0-0:42.0.0', 'hex', null, 'Equipment identifier of the E-meter (DSMR 2.2 as specified)', (f, v) => (f.equipmentId = v), { profiles: ['nl-legacy'] }),
  ...registers(1, 'kWh', 'Active energy imported (delivered to client)', active('imported')),
  ...registers(2, 'kWh', 'Active energy exported (delivered by client)', active('exported')),
  ...registers(3, 'kvarh', 'Reactive energy imported (+Q)', reactive('imported')),
  ...registers(4, 'kvarh', 'Reactive energy exported (−Q)', reactive('exported')),
  entry('0-0:96.14.0', 'integer', null, 'Active tariff indicator', (f, v) => (f.electricity.tariff = v)),
  entry('1-0:1.7.0', 'quantity', 'kW', 'Actual power imported, all phases', (f, v) => (f.electricity.power.imported = v)),
  entry('1-0:2.7.0', 'quantity', 'kW', 'Actual power exported, all phases', (f, v) => (f.electricity.power.exported = v)),
  entry('1-0:3.7.0', 'quantity', 'kvar', 'Actual reactive power imported (+Q)', (f, v) => (f.electricity.reactivePower.imported = v)),
  entry('1-0:4.7.0', 'quantity', 'kvar', 'Actual reactive power exported (−Q)', (f, v) => (f.electricity.reactivePower.exported = v)),
  entry('1-0:9.7.0', 'quantity', 'kVA', 'Actual apparent power imported (+S)', (f, v) => (f.electricity.apparentPower.imported = v)),
  entry('1-0:10.7.0', 'quantity', 'kVA', 'Actual apparent power exported (−S)', (f, v) => (f.electricity.apparentPower.exported = v)),
  entry('1-0:14.7.0', 'quantity', 'Hz', 'Instantaneous frequency (Lithuania)', (f, v) => (f.electricity.frequency = v)),
  entry('1-0:13.7.0', 'number', null, 'Instantaneous power factor, all phases (Lithuania)', (f, v) => (f.electricity.powerFactor = v)),
  entry('0-0:96.7.21', 'integer', null, 'Number of power failures in any phase', (f, v) => (f.electricity.powerFailures.count = v)),
  entry('0-0:96.7.9', 'integer', null, 'Number of long power failures in any phase', (f, v) => (f.electricity.powerFailures.longCount = v)),
  entry('1-0:99.97.0', 'failureLog', 's', 'Power failure event log (end time, duration)', (f, v) => (f.electricity.powerFailures.log = v)),
  ...phaseEntries(),
  entry('0-0:17.0.0', 'threshold', null, 'Limiter threshold (A in DSMR 2.2/3.0, kW in DSMR 4.0/BE, kVA in LU)', (f, v) => (f.electricity.threshold = v)),
  entry('0-0:96.3.10', 'integer', null, 'Breaker/switch state: 0 off, 1 on, 2 ready', (f, v) => (f.electricity.switchPosition = v)),
  entry('0-0:24.4.0', 'integer', null, 'Switch position (DSMR 2.2 as specified)', (f, v) => (f.electricity.switchPosition = v), { profiles: ['nl-legacy'] }),
  entry('0-n:96.3.10', 'integer', null, 'Relay n state (Luxembourg: B is the relay, not an M-Bus channel)', (f, v, n) => (relayOf(f, n).state = v), { profiles: ['lu'] }),
  entry('1-1:31.4.0', 'quantityPair', 'A', 'Current threshold: (import)(export, signed) (Luxembourg)', (f, v) => (f.electricity.currentThreshold = v), { profiles: ['lu'] }),
  entry('1-0:1.4.0', 'quantity', 'kW', 'Current 15-minute average import demand (e-MUCS)', (f, v) => (f.electricity.demand.current = v)),
  entry('1-0:1.6.0', 'demandPeak', 'kW', 'Peak 15-minute average demand this month (e-MUCS)', (f, v) => (f.electricity.demand.monthPeak = v)),
  entry('0-0:98.1.0', 'peakHistory', 'kW', 'Monthly demand peaks, up to 13 months (e-MUCS)', (f, v) => (f.electricity.demand.history = v), { profiles: except('hu') }),
  recognised('0-0:98.1.0', 'Billing period snapshot (Hungary): a timestamp and 18 registers', ['hu']),
  ...registers(1, 'kWh', 'Active energy imported', active('imported'), 1, ['ch']),
  ...registers(2, 'kWh', 'Active energy exported', active('exported'), 1, ['ch']),
  entry('1-1:1.7.0', 'quantity', 'kW', 'Actual power imported (Switzerland, B = 1)', (f, v) => (f.electricity.power.imported = v), { profiles: ['ch'] }),
  entry('1-1:2.7.0', 'quantity', 'kW', 'Actual power exported (Switzerland, B = 1)', (f, v) => (f.electricity.power.exported = v), { profiles: ['ch'] }),
  entry('1-1:1.6.0', 'demandPeak', 'kW', 'Peak demand this month (Switzerland, B = 1)', (f, v) => (f.electricity.demand.monthPeak = v), { profiles: ['ch'] }),
  entry('0-0:96.13.0', 'hex', null, 'Text message (up to 1024 characters)', (f, v) => (f.messages.text = v)),
  entry('0-0:96.13.1', 'hex', null, 'Numeric message code (DSMR 2.2–4.x)', (f, v) => (f.messages.code = v)),
  entry('0-n:24.1.0', 'integer', null, 'M-Bus device type (3 gas, 4 heat, 7 water, …)', (f, v, n) => (deviceOf(f, n).deviceType = v)),
  entry('0-n:96.1.0', 'hex', null, 'M-Bus device equipment identifier', (f, v, n) => (deviceOf(f, n).equipmentId = v)),
  entry('0-n:96.1.1', 'hex', null, 'M-Bus device equipment identifier (Belgium)', (f, v, n) => (deviceOf(f, n).equipmentId = v)),
  entry('0-n:24.2.1', 'mbusReading', null, 'M-Bus device reading with its capture time (gas: temperature corrected)', (f, v, n) => (deviceOf(f, n).reading = v), {
    temperatureCorrected: ['nl'],
  }),
  entry('0-n:24.2.3', 'mbusReading', null, 'M-Bus gas reading, not temperature corrected (Belgium)', (f, v, n) => (deviceOf(f, n).reading = v), { temperatureCorrected: false }),
  entry('0-n:24.3.0', 'legacyReading', null, 'M-Bus device reading of DSMR 2.2/3.0 (value on the next line)', (f, v, n) => (deviceOf(f, n).reading = v)),
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
  entry('0-n:24.4.0', 'integer', null, 'M-Bus device valve position', (f, v, n) => (deviceOf(f, n).valvePosition = v)),
]))();

/**
 * The entries, frozen with their lists: the parser reads these same objects, so a caller who
 * changed one through {@link OBIS_REGISTRY} would change how every telegram reads.
 */
function frozen(entries: RegistryEntry[]): readonly RegistryEntry[] {
  for (const e of entries) {
    if (e.profiles !== undefined) Object.freeze(e.profiles);
    if (Array.isArray(e.temperatureCorrected)) Object.freeze(e.temperatureCorrected);
    Object.freeze(e);
  }
  return Object.freeze(entries);
}

/** DSMR 4.x / 5.0.2 (NL), DSMR 2.2/3.0, and the codes of the national variants (frozen). */
export const OBIS_REGISTRY: readonly ObisEntry[] = ENTRIES;

/** A profile's view of the registry: code (`A-B:C.D.E`, `n` for channels) → entry. */
export type RegistryTable = ReadonlyMap<string, RegistryEntry>;

const BY_PROFILE = /* @__PURE__ */ profileTables();

function profileTables(): ReadonlyMap<Profile, RegistryTable> {
  const tables = new Map<Profile, RegistryTable>();
  for (const profile of PROFILES) {
    const table = new Map<string, RegistryEntry>();
    for (const e of ENTRIES) {
      if (e.profiles !== undefined && !e.profiles.includes(profile)) continue;
      if (parseObisCode(e.obis)?.text !== e.obis) throw new Error(`OBIS registry: ${e.obis} is not a reduced OBIS code`);
      if (table.has(e.obis)) throw new Error(`OBIS registry: ${e.obis} twice in profile ${profile}`);
      table.set(e.obis, e);
    }
    tables.set(profile, table);
  }
  return tables;
}

/** The registry as a profile reads it. */
function registryTable(profile: Profile): RegistryTable {
  return BY_PROFILE.get(profile)!;
}

const PROFILE_INDEX = /* @__PURE__ */ (() => new Map(PROFILES.map((p, i) => [p, i])))();

/** A profile as the index {@link lookupObis} also takes (one Map lookup per parse, not per object). */
export function profileIndex(profile: Profile): number {
  return PROFILE_INDEX.get(profile)!;
}

/**
 * The registry entry of an OBIS code in a profile, or `undefined` for codes the registry does
 * not know (they are in `objects` all the same). Codes `0-1:` … `0-4:` match their `0-n:` entry.
 * Found once per code and profile, then remembered on the code.
 */
export function lookupObis(code: ObisCode | string, profile: Profile | number = 'nl'): RegistryEntry | undefined {
  const found = typeof code === 'string' ? parseObisCode(code) : code;
  if (found === null) return undefined;
  const index = typeof profile === 'number' ? profile : PROFILE_INDEX.get(profile)!;
  const lookups = (found.lookups ??= []);
  let entry = lookups[index] as RegistryEntry | null | undefined;
  if (entry === undefined) {
    const table = registryTable(PROFILES[index]!);
    entry = table.get(found.text) ?? table.get(anyChannelCode(found)?.text ?? '') ?? null;
    lookups[index] = entry;
  }
  return entry ?? undefined;
}

const CRC_REQUIRED_BY: ReadonlySet<string> = /* @__PURE__ */ (() => new Set(ENTRIES.filter((e) => e.requiresCrc === true).map((e) => e.obis)))();

/** Whether a telegram with this code must carry a CRC (a registry attribute, in any profile). */
export function requiresCrc(code: ObisCode): boolean {
  return CRC_REQUIRED_BY.has(code.text);
}

/** An EN 13757-3 device type ("medium") of an M-Bus device, as P1 prints it (decimal). */
export interface MbusMedium {
  /** What the device measures, in words. */
  readonly name: string;
  /** The unit of its reading when the meter sends none. */
  readonly unit: string | null;
}

/** The M-Bus device types P1 meters report (EN 13757-3), by number. */
export const MBUS_MEDIA: ReadonlyMap<number, MbusMedium> = /* @__PURE__ */ (() =>
  new Map<number, MbusMedium>([
    [2, { name: 'Electricity', unit: 'kWh' }],
    [3, { name: 'Gas', unit: 'm3' }],
    [4, { name: 'Heat', unit: 'GJ' }],
    [6, { name: 'Warm water', unit: 'm3' }],
    [7, { name: 'Water', unit: 'm3' }],
    [10, { name: 'Cooling', unit: 'GJ' }],
    [11, { name: 'Cooling', unit: 'GJ' }],
    [12, { name: 'Heat', unit: 'GJ' }],
    [13, { name: 'Heat/cooling', unit: 'GJ' }],
    [21, { name: 'Hot water', unit: 'm3' }],
    [22, { name: 'Cold water', unit: 'm3' }],
    [23, { name: 'Hot/cold water', unit: 'm3' }],
  ]))();

/** The device type of gas meters. */
export const GAS = 3;
export const HEAT = 4;
export const WATER = 7;

/**
 * The path a setter writes to, for the docs: probed by setting a marker in empty fields and
 * finding it. Phases show their number (`phases[1]`), channel lists `[n]`.
 */
function fieldPath(set: Setter<ValueKind>): string {
  const fields = emptyFields();
  const marker = {};
  set(fields, marker as never, ANY_CHANNEL);
  const found = find(fields, marker, '');
  if (found === null) throw new Error('OBIS registry: a setter writes nowhere');
  return found;
}

function find(node: unknown, marker: object, path: string): string | null {
  if (node === marker) return path;
  if (node === null || typeof node !== 'object' || node instanceof Date) return null;
  if (Array.isArray(node)) {
    for (const item of node) {
      const { phase, channel, relay } = item as { phase?: number; channel?: number; relay?: number };
      const n = phase ?? channel ?? relay;
      const found = find(item, marker, `${path}[${n === ANY_CHANNEL ? 'n' : n}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, value] of Object.entries(node)) {
    const found = find(value, marker, path === '' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}
