/**
 * Readers by value kind: the values of one COSEM object as the number, date, text or structure
 * its registry entry says. A value that does not read says why in a warning (strict: an error)
 * and reads as `null`.
 */
import { decodeHexText } from '../bytes.js';
import type { DsmrWarningCode } from '../errors.js';
import type { Reporter } from '../report.js';
import type { ObjectPositions } from './objects.js';
import type { RegistryEntry, ValueKind, ValueOf } from './registry.js';
import type { CosemValue, DemandPeak, MbusReading, MonthlyPeak, PowerFailure } from './telegram.js';
import { parseTimestamp } from './timestamp.js';
import { parseDecimal, unitInfo } from './units.js';

/** A number directly followed by a unit, without `*` (`000123.456kWh`, `005A`). */
const UNIT_WITHOUT_STAR = /^([+-]?\d+(?:\.\d+)?)([A-Za-z][A-Za-z0-9]*\s*)$/;

/** Durations at or above this are placeholders (Kaifa sends `2147483647*s`). */
const MAX_DURATION = 2 ** 31 - 1;

/**
 * Where the values of a DSMR 2.2/3.0 reading (`0-n:24.3.0`) start: after `(capture time)(status)
 * (period)(z)` and z × `(capture obis)(unit)`; `count` is the raw text of z.
 */
export function legacyValuesStart(count: string | undefined): number {
  const z = Number(count);
  return Number.isInteger(z) && z > 0 ? 4 + 2 * z : 6;
}

/** Reads the values of one object at a time (`at`), reporting on `report` where its positions say. */
export class ValueReader {
  /** the object being read: its index, code and values */
  private index = 0;
  private obis = '';
  private values: readonly CosemValue[] = [];
  /** whether the last timestamp read was a "not set" placeholder */
  private notSet = false;

  constructor(
    private readonly report: Reporter,
    private readonly positions: ObjectPositions,
    private readonly timeZone: string,
  ) {}

  /** Reads object `index` (code `obis`, values `values`) as its registry entry says. */
  read<K extends ValueKind>(index: number, obis: string, values: readonly CosemValue[], entry: RegistryEntry<K>): ValueOf[K];
  read(index: number, obis: string, values: readonly CosemValue[], entry: RegistryEntry): unknown {
    this.index = index;
    this.obis = obis;
    this.values = values;
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

  /** Reports on the object being read, at value `value` (or its end when it has fewer). */
  private warn(code: DsmrWarningCode, message: string, value: number): void {
    this.report.warn(code, message, this.positions.value(this.index, value), this.obis);
  }

  private raw(index: number): string | undefined {
    return this.values[index]?.raw;
  }

  /** The raw text of a single-value object; warns when there are more values. */
  private single(entry: RegistryEntry): string {
    const { values, obis } = this;
    if (values.length !== 1) {
      this.warn('INVALID_VALUE', `${obis} (${entry.description}) should have one value, has ${values.length}; using the first`, 1);
    }
    return values[0]!.raw;
  }

  private timestamp(index: number): Date | null {
    const raw = this.raw(index);
    const { obis } = this;
    this.notSet = false;
    if (raw === undefined || raw === '') {
      this.warn('EMPTY_VALUE', `${obis} has no timestamp`, index);
      return null;
    }
    const { date, problem } = parseTimestamp(raw, this.timeZone);
    if (problem === null) return date;
    this.notSet = problem === 'not-set';
    switch (problem) {
      case 'not-set':
        this.warn('TIMESTAMP_NOT_SET', `${obis} timestamp "${raw}" is a "not set" placeholder`, index);
        break;
      case 'lower-case-flag':
        this.warn('TIMESTAMP_FORMAT', `${obis} timestamp "${raw}" has its DST flag in lower case; read as ${raw.slice(12).toUpperCase()}`, index);
        break;
      case 'invalid':
        this.warn('INVALID_TIMESTAMP', `${obis} timestamp "${raw}" is not a valid YYMMDDhhmmss[S|W] time`, index);
        break;
      case 'ambiguous':
        this.warn('AMBIGUOUS_TIMESTAMP', `${obis} timestamp "${raw}" has no DST flag and occurs twice in ${this.timeZone}; took the earlier instant`, index);
        break;
      case 'nonexistent':
        this.warn('AMBIGUOUS_TIMESTAMP', `${obis} timestamp "${raw}" has no DST flag and falls in the DST gap of ${this.timeZone}; moved forward`, index);
        break;
    }
    return date;
  }

  /**
   * Value `index` as value and unit. A unit written without `*` (`000123.456kWh`, `234.5V`: some
   * Fluvius meters) is split off the number, with a warning; `objects` keep the value as sent.
   */
  private measure(index: number): CosemValue | undefined {
    const value = this.values[index];
    if (value === undefined || value.unit !== null) return value;
    const split = UNIT_WITHOUT_STAR.exec(value.raw);
    if (split === null) return value;
    this.warn('UNIT_SEPARATOR', `${this.obis} value "${value.raw}" has no "*" before its unit; read as ${split[1]!}*${split[2]!}`, index);
    return { raw: split[1]!, unit: split[2]! };
  }

  /** A decimal in `unit`, converted from W/Wh/var/… when the meter sends those. */
  private quantity(index: number, unit: string): number | null {
    const value = this.measure(index);
    if (value === undefined) return null;
    let exponent = 0;
    if (value.raw !== '') {
      if (value.unit === null) {
        this.warn('MISSING_UNIT', `${this.obis} has no unit; assumed ${unit}`, index);
      } else {
        const info = unitInfo(value.unit);
        if (info === undefined || info.canonical !== unit) {
          this.warn('UNIT_MISMATCH', `${this.obis} is in "${value.unit}", expected ${unit}`, index);
          return null;
        }
        exponent = info.exponent;
      }
    }
    return this.decimal(value.raw, index, exponent);
  }

  /** The decimal of value `index`, scaled by 10^exponent; warns and returns null when empty or not a number. */
  private number(index: number, exponent = 0): number | null {
    const raw = this.raw(index);
    return raw === undefined ? null : this.decimal(raw, index, exponent);
  }

  /** `raw` (the text of value `index`) as a decimal scaled by 10^exponent. */
  private decimal(raw: string, index: number, exponent: number): number | null {
    if (raw === '') {
      this.warn('EMPTY_VALUE', `${this.obis} has an empty value`, index);
      return null;
    }
    const value = parseDecimal(raw, exponent);
    if (value === null) this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is not a number in range`, index);
    return value;
  }

  private integer(index: number): number | null {
    const raw = this.raw(index);
    if (raw === undefined) return null;
    if (raw === '') {
      this.warn('EMPTY_VALUE', `${this.obis} has an empty value`, index);
      return null;
    }
    let value = 0;
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i) - 48;
      if (c < 0 || c > 9) {
        this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is not an integer`, index);
        return null;
      }
      value = value * 10 + c;
    }
    if (!Number.isSafeInteger(value)) {
      this.warn('INVALID_VALUE', `${this.obis} value "${raw}" is too large to be exact as a number`, index);
      return null;
    }
    return value;
  }

  /** `(value*unit)` in whatever unit the meter uses (A, kW, kVA). */
  private threshold(): { value: number; unit: string | null } | null {
    const measured = this.measure(0)!;
    const value = this.decimal(measured.raw, 0, 0);
    if (value === null) return null;
    if (measured.unit === null) this.warn('MISSING_UNIT', `${this.obis} has no unit`, 0);
    return { value, unit: measured.unit === null ? null : (unitInfo(measured.unit)?.canonical ?? measured.unit) };
  }

  /** `(count)(0-0:96.7.19)(end)(duration*s)…`, and the empty forms `()`, `(0)()`. */
  private failureLog(): PowerFailure[] {
    const { values, obis } = this;
    const log: PowerFailure[] = [];
    if (values.length === 1 && values[0]!.raw === '') {
      this.warn('EMPTY_VALUE', `${obis} is empty; read as an empty log`, 0);
      return log;
    }
    const declared = this.raw(0) === '' ? null : this.integer(0);
    const listed = values.length - 2;
    if (listed > 0 && listed % 2 !== 0) {
      this.warn('INVALID_VALUE', `${obis} lists ${listed} values after the buffer id; expected (end)(duration) pairs`, values.length - 1);
    }
    for (let i = 2; i + 1 < values.length; i += 2) {
      if (values[i]!.raw === '' && values[i + 1]!.raw === '') continue;
      const end = this.timestamp(i);
      let durationSeconds = this.quantity(i + 1, 's');
      if (durationSeconds !== null && (durationSeconds >= MAX_DURATION || durationSeconds < 0)) {
        this.warn('INVALID_DURATION', `${obis} duration "${values[i + 1]!.raw}" is a placeholder, not a duration`, i + 1);
        durationSeconds = null;
      }
      log.push({ end, durationSeconds });
    }
    if (declared !== null && declared !== log.length) {
      this.warn('COUNT_MISMATCH', `${obis} declares ${declared} entries but lists ${log.length}`, 0);
    }
    return log;
  }

  /** `(capture time)(value*unit)`; a capture time that is a "not set" placeholder means no reading. */
  private mbusReading(): MbusReading | null {
    const { values, obis } = this;
    if (values.length !== 2) {
      this.warn('INVALID_VALUE', `${obis} should have (capture time)(value), has ${values.length} values`, 0);
      if (values.length < 2) return null;
    }
    const timestamp = this.timestamp(0);
    if (this.notSet) return null;
    const measured = this.measure(1)!;
    let unit: string | null = null;
    let exponent = 0;
    if (measured.unit !== null) {
      const info = unitInfo(measured.unit);
      unit = info?.canonical ?? measured.unit;
      exponent = info?.exponent ?? 0;
    } else if (measured.raw !== '') {
      this.warn('MISSING_UNIT', `${obis} reading has no unit`, 1);
    }
    const value = this.decimal(measured.raw, 1, exponent);
    return value === null ? null : { timestamp, value, unit, temperatureCorrected: null };
  }

  /** `(import*unit)(export*unit)`: two signed quantities (Luxembourg current thresholds). */
  private quantityPair(unit: string): { imported: number | null; exported: number | null } | null {
    if (this.values.length !== 2) {
      this.warn('INVALID_VALUE', `${this.obis} should have (import)(export), has ${this.values.length} values`, 0);
      if (this.values.length === 0) return null;
    }
    return { imported: this.quantity(0, unit), exported: this.quantity(1, unit) };
  }

  /**
   * DSMR 2.2/3.0 `0-n:24.3.0(capture time)(status)(period)(z)(capture obis)(unit)…` with the value
   * row `(value)…` on the next line (joined to this object by the parser). The capture time has
   * no DST flag: it is resolved in the `timeZone` option.
   */
  private legacyReading(): MbusReading | null {
    const { values, obis } = this;
    const first = legacyValuesStart(this.raw(3));
    if (values.length <= first) {
      this.warn('INVALID_VALUE', `${obis} has no value row: expected the value on the line after it`, values.length);
      return null;
    }
    const timestamp = this.timestamp(0);
    const unitText = this.raw(5) ?? '';
    const info = unitText === '' ? undefined : unitInfo(unitText);
    if (unitText === '') this.warn('MISSING_UNIT', `${obis} reading has no unit`, 5);
    const value = this.number(first, info?.exponent ?? 0);
    if (value === null) return null;
    return { timestamp, value, unit: unitText === '' ? null : (info?.canonical ?? unitText), temperatureCorrected: null };
  }

  /** `(time)(value*kW)` starting at value `index`. */
  private demandPeak(index: number): DemandPeak | null {
    if (this.values.length < index + 2) {
      this.warn('INVALID_VALUE', `${this.obis} should have (time)(value)`, index);
      return null;
    }
    return { timestamp: this.timestamp(index), value: this.quantity(index + 1, 'kW') };
  }

  /** `(count)(1-0:1.6.0)(1-0:1.6.0)` then count × `(period end)(time)(value*kW)`. */
  private peakHistory(): MonthlyPeak[] {
    const { values, obis } = this;
    const declared = this.integer(0);
    const history: MonthlyPeak[] = [];
    for (let i = 3; i + 2 < values.length; i += 3) {
      const periodEnd = this.timestamp(i);
      const peak = this.demandPeak(i + 1)!;
      history.push({ periodEnd, timestamp: peak.timestamp, value: peak.value });
    }
    // `(0)(1-0:1.6.0)(1-0:1.6.0)()` is how an empty history is sent
    const emptyForm = values.length === 4 && values[3]!.raw === '';
    const leftover = values.length > 3 && !emptyForm ? (values.length - 3) % 3 : 0;
    if (leftover !== 0 || (declared !== null && declared !== history.length)) {
      this.warn('COUNT_MISMATCH', `${obis} declares ${declared ?? '?'} months but lists ${history.length}`, 0);
    }
    return history;
  }
}
