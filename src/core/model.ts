/**
 * From objects to the typed view, through the OBIS registry. A value that does not read as its
 * kind says why in a warning (strict: an error) and leaves its typed field `null`.
 */
import { decodeHexText } from './bytes.js';
import type { DsmrPosition, DsmrWarningCode } from './errors.js';
import type { GroupNode, LineNode } from './grammar.js';
import type { Profile } from './profile.js';
import { channelOf } from './obis.js';
import { lookupObis, registryTable, type ObisEntry, type RegistryTable } from './registry.js';
import { Reporter } from './report.js';
import type { DemandPeak, Electricity, EnergyRegisters, MbusDevice, MbusReading, MonthlyPeak, Phase, PowerFailure, Telegram } from './telegram.js';
import { parseTimestamp } from './timestamp.js';
import { parseDecimal, unitInfo } from './units.js';

/** Everything of a Telegram that the registry fills. */
export type TypedFields = Omit<Telegram, 'header' | 'profile' | 'objects' | 'checksum' | 'warnings' | 'encryption'>;

/** A number directly followed by a unit, without `*` (`000123.456kWh`, `005A`). */
const UNIT_WITHOUT_STAR = /^([+-]?\d+(?:\.\d+)?)([A-Za-z][A-Za-z0-9]*\s*)$/;

/** Durations at or above this are placeholders (Kaifa sends `2147483647*s`). */
const MAX_DURATION = 2 ** 31 - 1;

/** Default unit of an M-Bus reading by EN 13757-3 device type, for meters that send none. */
const MBUS_UNITS: ReadonlyMap<number, string> = new Map([
  [2, 'kWh'],
  [3, 'm3'],
  [4, 'GJ'],
  [6, 'm3'],
  [7, 'm3'],
  [10, 'GJ'],
  [11, 'GJ'],
  [12, 'GJ'],
  [13, 'GJ'],
  [21, 'm3'],
  [22, 'm3'],
  [23, 'm3'],
]);

function emptyRegisters(): EnergyRegisters {
  return { total: null, tariff1: null, tariff2: null };
}

export function emptyFields(): TypedFields {
  const electricity: Electricity = {
    tariff: null,
    imported: emptyRegisters(),
    exported: emptyRegisters(),
    power: { imported: null, exported: null },
    reactiveEnergy: { imported: emptyRegisters(), exported: emptyRegisters() },
    reactivePower: { imported: null, exported: null },
    apparentPower: { imported: null, exported: null },
    frequency: null,
    powerFactor: null,
    phases: [],
    powerFailures: { count: null, longCount: null, log: [] },
    threshold: null,
    switchPosition: null,
    relays: [],
    currentThreshold: null,
    demand: { current: null, monthPeak: null, history: [] },
  };
  return {
    version: null,
    timestamp: null,
    equipmentId: null,
    logicalDeviceName: null,
    electricity,
    mbus: [],
    messages: { code: null, text: null },
  };
}

type Setter = (fields: TypedFields, value: unknown, channel: number) => void;

/** Compiles a registry path (`electricity.phases[1].voltage`, `mbus[n].reading`) into a setter. */
function compileSetter(path: string): Setter {
  const indexed = /^(.*)\[(\d|n)\]\.(\w+)$/.exec(path);
  if (indexed !== null) {
    const list = indexed[1]!;
    const property = indexed[3]!;
    if (list === 'electricity.phases') {
      const phase = Number(indexed[2]) as 1 | 2 | 3;
      return (fields, value) => {
        (phaseOf(fields, phase) as unknown as Record<string, unknown>)[property] = value;
      };
    }
    if (list === 'mbus') {
      return (fields, value, channel) => {
        (deviceOf(fields, channel) as unknown as Record<string, unknown>)[property] = value;
      };
    }
    if (list === 'electricity.relays') {
      return (fields, value, channel) => {
        const relays = fields.electricity.relays;
        let relay = relays.find((r) => r.relay === channel);
        if (relay === undefined) relays.push((relay = { relay: channel, state: null }));
        (relay as unknown as Record<string, unknown>)[property] = value;
      };
    }
    throw new Error(`OBIS registry: unknown list in ${path}`);
  }
  const segments = path.split('.');
  const last = segments.pop()!;
  return (fields, value) => {
    let target = fields as unknown as Record<string, unknown>;
    for (const segment of segments) target = target[segment] as Record<string, unknown>;
    target[last] = value;
  };
}

const setters = new Map<ObisEntry, Setter>();
function setterOf(entry: ObisEntry & { field: string }): Setter {
  let setter = setters.get(entry);
  if (setter === undefined) {
    setter = compileSetter(entry.field);
    setters.set(entry, setter);
  }
  return setter;
}

function phaseOf(fields: TypedFields, phase: 1 | 2 | 3): Phase {
  const phases = fields.electricity.phases;
  for (const p of phases) if (p.phase === phase) return p;
  const created: Phase = {
    phase,
    voltage: null,
    current: null,
    powerImported: null,
    powerExported: null,
    reactivePowerImported: null,
    reactivePowerExported: null,
    voltageSags: null,
    voltageSwells: null,
    powerFactor: null,
    currentLimit: null,
  };
  phases.push(created);
  return created;
}

function deviceOf(fields: TypedFields, channel: number): MbusDevice {
  for (const d of fields.mbus) if (d.channel === channel) return d;
  const created: MbusDevice = { channel, deviceType: null, equipmentId: null, reading: null, valvePosition: null };
  fields.mbus.push(created);
  return created;
}


/** Reads the typed fields of a telegram, one object at a time. */
export class ModelBuilder {
  readonly fields: TypedFields = emptyFields();
  /** OBIS keys read so far, for duplicates */
  private readonly seen = new Set<number>();
  private readonly table: RegistryTable;
  /** readings whose unit or temperature correction depends on the device type, read at the end */
  private readonly pending: { device: MbusDevice; kind: ObisEntry['kind'] }[] = [];
  // the object being read: its code, groups, their offsets, and its line(s) (for positions)
  private obis = '';
  private groups: readonly GroupNode[] = [];
  private offsets: readonly number[] = [];
  private node: LineNode | null = null;
  private valueLines: readonly LineNode[] | undefined = undefined;

  constructor(
    private readonly report: Reporter,
    private readonly timeZone: string,
    private readonly profile: Profile,
  ) {
    this.table = registryTable(profile);
  }

  /** Reads one object: its data line, and the value lines that continue it (DSMR 2.2/3.0 gas). */
  add(obis: string, node: LineNode, valueLines?: readonly LineNode[]): void {
    this.obis = obis;
    this.node = node;
    this.valueLines = valueLines;
    if (valueLines === undefined) {
      this.groups = node.groups;
      this.offsets = node.offsets;
    } else {
      // a loop, not concat(...spread): a spread of 100,000 lines overflows the call stack
      const groups = node.groups.slice();
      const offsets = node.offsets.slice();
      for (const n of valueLines) {
        for (const g of n.groups) groups.push(g);
        for (const o of n.offsets) offsets.push(o);
      }
      this.groups = groups;
      this.offsets = offsets;
    }
    const key = node.key;
    if (this.seen.has(key)) {
      this.warn('DUPLICATE_OBJECT', `${obis} appears twice; the typed fields keep the first`, node.offset);
      return;
    }
    this.seen.add(key);
    const entry = lookupObis(key, this.profile, this.table);
    if (entry === undefined || entry.field === null) return;
    const value = this.read(entry);
    const channel = channelOf(key);
    setterOf(entry as ObisEntry & { field: string })(this.fields, value, channel);
    if (entry.kind === 'mbusReading' && obis.endsWith(':24.2.3') && value !== null) {
      (value as MbusReading).temperatureCorrected = false;
    } else if ((entry.kind === 'mbusReading' || entry.kind === 'legacyReading') && value !== null) {
      this.pending.push({ device: deviceOf(this.fields, channel), kind: entry.kind });
    }
  }

  /**
   * Finishes the typed view: phases, relays and channels in order; for M-Bus readings, the unit
   * when the meter sent none and the temperature correction, both by device type (which may come
   * after the reading).
   */
  finish(): TypedFields {
    const { fields } = this;
    fields.electricity.phases.sort((a, b) => a.phase - b.phase);
    fields.electricity.relays.sort((a, b) => a.relay - b.relay);
    fields.mbus.sort((a, b) => a.channel - b.channel);
    for (const { device, kind } of this.pending) {
      const reading = device.reading;
      if (reading === null) continue;
      if (reading.unit === null && device.deviceType !== null) reading.unit = MBUS_UNITS.get(device.deviceType) ?? null;
      // DSMR 4/5 (NL) send gas converted to 15 °C on 24.2.1; elsewhere it is not specified
      reading.temperatureCorrected = kind === 'mbusReading' && this.profile === 'nl' && device.deviceType === 3 ? true : null;
    }
    return fields;
  }

  /** The position of `offset` in the object: on its data line or one of its value lines (found by bisection). */
  private position(offset: number): DsmrPosition {
    let node = this.node!;
    const lines = this.valueLines;
    if (lines !== undefined && lines.length > 0 && offset >= lines[0]!.offset) {
      let low = 0;
      let high = lines.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (lines[middle]!.offset <= offset) low = middle;
        else high = middle - 1;
      }
      node = lines[low]!;
    }
    // on a line a wrapped value goes on over
    const wraps = node.wraps;
    if (wraps !== null) {
      for (let k = wraps.length - 1; k >= 0; k--) if (offset >= wraps[k]!) return Reporter.on(node.line + k + 1, wraps[k]!, offset);
    }
    return Reporter.on(node.line, node.offset, offset);
  }

  /** Offset of the value of group `index` (just past its `(`), or the end of the object when it has fewer groups. */
  private groupOffset(index: number): number {
    const offset = this.offsets[index];
    if (offset !== undefined) return offset + 1;
    return (this.valueLines?.at(-1) ?? this.node!).end;
  }

  private warn(code: DsmrWarningCode, message: string, offset: number): void {
    this.report.warn(code, message, this.position(offset), this.obis);
  }

  private raw(index: number): string | undefined {
    return this.groups[index]?.raw;
  }

  /** The typed value of the current object, `null` when it does not read. */
  private read(entry: ObisEntry): unknown {
    switch (entry.kind) {
      case 'text': {
        const raw = this.single(entry);
        return raw === '' ? null : raw;
      }
      case 'hex': {
        const raw = this.single(entry);
        return raw === '' ? null : (decodeHexText(raw) ?? raw);
      }
      case 'timestamp':
        this.single(entry);
        return this.timestamp(0);
      case 'quantity':
        this.single(entry);
        return this.quantity(0, entry.unit!);
      case 'integer':
        this.single(entry);
        return this.integer(0);
      case 'number':
        this.single(entry);
        return this.number(0);
      case 'quantityPair':
        return this.quantityPair(entry.unit!);
      case 'raw':
        return undefined;
      case 'threshold':
        this.single(entry);
        return this.threshold();
      case 'failureLog':
        return this.failureLog();
      case 'mbusReading':
        return this.mbusReading();
      case 'legacyReading':
        return this.legacyReading();
      case 'demandPeak':
        return this.demandPeak(0);
      case 'peakHistory':
        return this.peakHistory();
    }
  }

  /** The raw text of a single-value object; warns when there are more values. */
  private single(entry: ObisEntry): string {
    const { groups, obis } = this;
    if (groups.length !== 1) {
      this.warn('INVALID_VALUE', `${obis} (${entry.description}) should have one value, has ${groups.length}; using the first`, this.groupOffset(1));
    }
    return groups[0]!.raw;
  }

  /** Whether the last timestamp read was a "not set" placeholder. */
  private notSet = false;

  private timestamp(index: number): Date | null {
    const raw = this.raw(index);
    const { obis } = this;
    this.notSet = false;
    if (raw === undefined || raw === '') {
      this.warn('EMPTY_VALUE', `${obis} has no timestamp`, this.groupOffset(index));
      return null;
    }
    const { date, problem } = parseTimestamp(raw, this.timeZone);
    if (problem === null) return date;
    const offset = this.groupOffset(index);
    this.notSet = problem === 'not-set';
    switch (problem) {
      case null:
        break;
      case 'not-set':
        this.warn('TIMESTAMP_NOT_SET', `${obis} timestamp "${raw}" is a "not set" placeholder`, offset);
        break;
      case 'lower-case-flag':
        this.warn('TIMESTAMP_FORMAT', `${obis} timestamp "${raw}" has its DST flag in lower case; read as ${raw.slice(12).toUpperCase()}`, offset);
        break;
      case 'invalid':
        this.warn('INVALID_TIMESTAMP', `${obis} timestamp "${raw}" is not a valid YYMMDDhhmmss[S|W] time`, offset);
        break;
      case 'ambiguous':
        this.warn('AMBIGUOUS_TIMESTAMP', `${obis} timestamp "${raw}" has no DST flag and occurs twice in ${this.timeZone}; took the earlier instant`, offset);
        break;
      case 'nonexistent':
        this.warn('AMBIGUOUS_TIMESTAMP', `${obis} timestamp "${raw}" has no DST flag and falls in the DST gap of ${this.timeZone}; moved forward`, offset);
        break;
    }
    return date;
  }

  /**
   * Group `index` as value and unit. A unit written without `*` (`000123.456kWh`, `234.5V`: some
   * Fluvius meters) is split off the number, with a warning; `objects` keep the value as sent.
   */
  private measure(index: number): GroupNode | undefined {
    const group = this.groups[index];
    if (group === undefined || group.unit !== null) return group;
    const split = UNIT_WITHOUT_STAR.exec(group.raw);
    if (split === null) return group;
    this.warn('UNIT_SEPARATOR', `${this.obis} value "${group.raw}" has no "*" before its unit; read as ${split[1]!}*${split[2]!}`, this.groupOffset(index));
    return { raw: split[1]!, unit: split[2]! };
  }

  /** A decimal in `unit`, converted from W/Wh/var/… when the meter sends those. */
  private quantity(index: number, unit: string): number | null {
    const group = this.measure(index);
    if (group === undefined) return null;
    let exponent = 0;
    if (group.raw !== '') {
      if (group.unit === null) {
        this.warn('MISSING_UNIT', `${this.obis} has no unit; assumed ${unit}`, this.groupOffset(index));
      } else {
        const info = unitInfo(group.unit);
        if (info === undefined || info.canonical !== unit) {
          this.warn('UNIT_MISMATCH', `${this.obis} is in "${group.unit}", expected ${unit}`, this.groupOffset(index));
          return null;
        }
        exponent = info.exponent;
      }
    }
    return this.decimal(group.raw, index, exponent);
  }

  /** The decimal of group `index`, scaled by 10^exponent; warns and returns null when empty or not a number. */
  private number(index: number, exponent = 0): number | null {
    const raw = this.raw(index);
    return raw === undefined ? null : this.decimal(raw, index, exponent);
  }

  /** `raw` (the text of group `index`) as a decimal scaled by 10^exponent. */
  private decimal(raw: string, index: number, exponent: number): number | null {
    if (raw === '') {
      this.warn('EMPTY_VALUE', `${this.obis} has an empty value`, this.groupOffset(index));
      return null;
    }
    const value = parseDecimal(raw, exponent);
    if (value === null) this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is not a number in range`, this.groupOffset(index));
    return value;
  }

  private integer(index: number): number | null {
    const raw = this.raw(index);
    if (raw === undefined) return null;
    if (raw === '') {
      this.warn('EMPTY_VALUE', `${this.obis} has an empty value`, this.groupOffset(index));
      return null;
    }
    if (!/^\d+$/.test(raw)) {
      this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is not an integer`, this.groupOffset(index));
      return null;
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) {
      this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is too large to be exact as a number`, this.groupOffset(index));
      return null;
    }
    return value;
  }

  /** `(value*unit)` in whatever unit the meter uses (A, kW, kVA). */
  private threshold(): { value: number; unit: string | null } | null {
    const group = this.measure(0)!;
    const value = this.decimal(group.raw, 0, 0);
    if (value === null) return null;
    if (group.unit === null) this.warn('MISSING_UNIT', `${this.obis} has no unit`, this.groupOffset(0));
    return { value, unit: group.unit === null ? null : (unitInfo(group.unit)?.canonical ?? group.unit) };
  }

  /** `(count)(0-0:96.7.19)(end)(duration*s)…`, and the empty forms `()`, `(0)()`. */
  private failureLog(): PowerFailure[] {
    const { groups, obis } = this;
    const log: PowerFailure[] = [];
    if (groups.length === 1 && groups[0]!.raw === '') {
      this.warn('EMPTY_VALUE', `${obis} is empty; read as an empty log`, this.groupOffset(0));
      return log;
    }
    const declared = this.raw(0) === '' ? null : this.integer(0);
    const listed = groups.length - 2;
    if (listed > 0 && listed % 2 !== 0) {
      this.warn('INVALID_VALUE', `${obis} lists ${listed} values after the buffer id; expected (end)(duration) pairs`, this.groupOffset(groups.length - 1));
    }
    for (let i = 2; i + 1 < groups.length; i += 2) {
      if (groups[i]!.raw === '' && groups[i + 1]!.raw === '') continue;
      const end = this.timestamp(i);
      let durationSeconds = this.quantity(i + 1, 's');
      if (durationSeconds !== null && (durationSeconds >= MAX_DURATION || durationSeconds < 0)) {
        this.warn('INVALID_DURATION', `${obis} duration "${groups[i + 1]!.raw}" is a placeholder, not a duration`, this.groupOffset(i + 1));
        durationSeconds = null;
      }
      log.push({ end, durationSeconds });
    }
    if (declared !== null && declared !== log.length) {
      this.warn('COUNT_MISMATCH', `${obis} declares ${declared} entries but lists ${log.length}`, this.groupOffset(0));
    }
    return log;
  }

  /** `(capture time)(value*unit)`; a capture time that is a "not set" placeholder means no reading. */
  private mbusReading(): MbusReading | null {
    const { groups, obis } = this;
    if (groups.length !== 2) {
      this.warn('INVALID_VALUE', `${obis} should have (capture time)(value), has ${groups.length} values`, this.groupOffset(0));
      if (groups.length < 2) return null;
    }
    const timestamp = this.timestamp(0);
    if (this.notSet) return null;
    const group = this.measure(1)!;
    let unit: string | null = null;
    let exponent = 0;
    if (group.unit !== null) {
      const info = unitInfo(group.unit);
      unit = info?.canonical ?? group.unit;
      exponent = info?.exponent ?? 0;
    } else if (group.raw !== '') {
      this.warn('MISSING_UNIT', `${obis} reading has no unit`, this.groupOffset(1));
    }
    const value = this.decimal(group.raw, 1, exponent);
    return value === null ? null : { timestamp, value, unit, temperatureCorrected: null };
  }

  /** `(import*unit)(export*unit)`: two signed quantities (Luxembourg current thresholds). */
  private quantityPair(unit: string): { imported: number | null; exported: number | null } | null {
    if (this.groups.length !== 2) {
      this.warn('INVALID_VALUE', `${this.obis} should have (import)(export), has ${this.groups.length} values`, this.groupOffset(0));
      if (this.groups.length === 0) return null;
    }
    return { imported: this.quantity(0, unit), exported: this.quantity(1, unit) };
  }

  /**
   * DSMR 2.2/3.0 `0-n:24.3.0(capture time)(status)(period)(z)(capture obis)(unit)…` with the value
   * row `(value)…` on the next line (joined to this object by the parser). The capture time has
   * no DST flag: it is resolved in the `timeZone` option.
   */
  private legacyReading(): MbusReading | null {
    const { groups, obis } = this;
    const z = Number(this.raw(3));
    const first = Number.isInteger(z) && z > 0 ? 4 + 2 * z : 6;
    if (groups.length <= first) {
      this.warn('INVALID_VALUE', `${obis} has no value row: expected the value on the line after it`, this.groupOffset(groups.length));
      return null;
    }
    const timestamp = this.timestamp(0);
    const unitText = this.raw(5) ?? '';
    const info = unitText === '' ? undefined : unitInfo(unitText);
    if (unitText === '') this.warn('MISSING_UNIT', `${obis} reading has no unit`, this.groupOffset(5));
    const value = this.number(first, info?.exponent ?? 0);
    if (value === null) return null;
    return { timestamp, value, unit: unitText === '' ? null : (info?.canonical ?? unitText), temperatureCorrected: null };
  }

  /** `(time)(value*kW)` starting at group `index`. */
  private demandPeak(index: number): DemandPeak | null {
    if (this.groups.length < index + 2) {
      this.warn('INVALID_VALUE', `${this.obis} should have (time)(value)`, this.groupOffset(index));
      return null;
    }
    return { timestamp: this.timestamp(index), value: this.quantity(index + 1, 'kW') };
  }

  /** `(count)(1-0:1.6.0)(1-0:1.6.0)` then count × `(period end)(time)(value*kW)`. */
  private peakHistory(): MonthlyPeak[] {
    const { groups, obis } = this;
    const declared = this.integer(0);
    const history: MonthlyPeak[] = [];
    for (let i = 3; i + 2 < groups.length; i += 3) {
      const periodEnd = this.timestamp(i);
      const peak = this.demandPeak(i + 1)!;
      history.push({ periodEnd, timestamp: peak.timestamp, value: peak.value });
    }
    // `(0)(1-0:1.6.0)(1-0:1.6.0)()` is how an empty history is sent
    const emptyForm = groups.length === 4 && groups[3]!.raw === '';
    const leftover = groups.length > 3 && !emptyForm ? (groups.length - 3) % 3 : 0;
    if (leftover !== 0 || (declared !== null && declared !== history.length)) {
      this.warn('COUNT_MISMATCH', `${obis} declares ${declared ?? '?'} months but lists ${history.length}`, this.groupOffset(0));
    }
    return history;
  }
}
