/**
 * DSMR timestamps: `YYMMDDhhmmssX`, local wall time, X = `S` (summer, DST active) or `W` (winter).
 * DSMR defines them for Central European Time, so `S` is UTC+2 and `W` is UTC+1 (Sweden sends `W`
 * all year: its meters keep normal time, which is the same rule). Without a flag (DSMR 2.2/3.0 gas,
 * `TST12`) the wall time is resolved in a time zone with `Intl`.
 */

import { describe } from '../arguments.js';
import { DsmrError } from '../errors.js';

export type TimestampProblem =
  /** a placeholder meters send for "not set" */
  | 'not-set'
  /** not a valid date/time, or an unknown flag */
  | 'invalid'
  /** the DST flag in lower case (`s`, `w`): read as upper case */
  | 'lower-case-flag'
  /** no flag, and the wall time occurs twice in the zone (autumn); the earlier instant is used */
  | 'ambiguous'
  /** no flag, and the wall time does not exist in the zone (spring gap); moved forward by the gap */
  | 'nonexistent';

export interface TimestampResult {
  date: Date | null;
  problem: TimestampProblem | null;
}

const HOUR = 3_600_000;

/**
 * Placeholders seen on real meters: `632525252525` ("no value",
 * Sagemcom/Fluvius/Smarty empty channels), `000101000000`/`000101000001` (clock or log not set),
 * `700101010000` (the Unix epoch in CET: unused M-Bus channel on Iskra AM550), all zeros.
 * As numbers: the 12 digits read as one integer.
 */
function isNotSet(yy: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (yy === 63) return month === 25 && day === 25 && hour === 25 && minute === 25 && second === 25;
  if (yy === 70) return month === 1 && day === 1 && hour === 1 && minute === 0 && second === 0;
  if (yy !== 0 || minute !== 0) return false;
  // 000101000000, 000101000001, 000000000000
  return (month === 1 && day === 1 && hour === 0 && second <= 1) || (month === 0 && day === 0 && hour === 0 && second === 0);
}

const FIELDS = [0, 0, 0, 0, 0, 0];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const INVALID: TimestampResult = /* @__PURE__ */ Object.freeze({ date: null, problem: 'invalid' });
const NOT_SET_RESULT: TimestampResult = /* @__PURE__ */ Object.freeze({ date: null, problem: 'not-set' });

/**
 * An instant as ISO 8601 text with its offset, `2026-05-04T19:19:30+02:00`: how a protocol whose
 * clock is binary (DLMS) writes its time into `objects`, so that the same timestamp reader reads it.
 */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?(?:Z|[+-]\d\d:\d\d)$/;

/** Parses a DSMR timestamp to an absolute instant; `timeZone` resolves timestamps without a flag. */
export function parseTimestamp(raw: string, timeZone: string): TimestampResult {
  const n = raw.length;
  if (n > 13 && ISO_INSTANT.test(raw)) {
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? INVALID : { date, problem: null };
  }
  if (n !== 12 && n !== 13) return INVALID;
  // six 2-digit fields, each a small integer
  const fields = FIELDS;
  for (let f = 0; f < 6; f++) {
    const tens = raw.charCodeAt(2 * f) - 48;
    const ones = raw.charCodeAt(2 * f + 1) - 48;
    if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return INVALID;
    fields[f] = tens * 10 + ones;
  }
  const [yy, month, day, hour, minute, second] = fields as unknown as [number, number, number, number, number, number];
  if (isNotSet(yy, month, day, hour, minute, second)) return NOT_SET_RESULT;
  const year = 2000 + yy;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return INVALID;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return INVALID;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (n === 13) {
    const flag = raw.charCodeAt(12);
    if (flag === 83 /* S */) return { date: new Date(wall - 2 * HOUR), problem: null };
    if (flag === 87 /* W */) return { date: new Date(wall - HOUR), problem: null };
    if (flag === 115 /* s */) return { date: new Date(wall - 2 * HOUR), problem: 'lower-case-flag' };
    if (flag === 119 /* w */) return { date: new Date(wall - HOUR), problem: 'lower-case-flag' };
    return INVALID;
  }
  return resolveWallTime(wall, timeZone);
}

/**
 * The instant at which the clocks of `timeZone` show the wall time `wall` (milliseconds, given as
 * if it were UTC). `summer`: whether the sender said daylight saving time was in force, which
 * settles the hour that occurs twice; `null` when it did not say. Invalid dates are the caller's.
 */
export function wallTimeInstant(wall: number, timeZone: string, summer: boolean | null): TimestampResult {
  const resolved = resolveWallTime(wall, timeZone);
  if (resolved.problem !== 'ambiguous' || summer === null) return resolved;
  // the earlier of the two instants has the summer offset
  const earlier = resolved.date!.getTime();
  return { date: new Date(summer ? earlier : earlier + (zoneOffset(earlier, timeZone) - zoneOffset(earlier + 2 * HOUR, timeZone))), problem: null };
}

/** A wall time as ISO 8601 text with the offset of `instant`: `2026-05-04T19:19:30+02:00`. */
export function isoWithOffset(wall: number, instant: number): string {
  const offsetMinutes = Math.round((wall - instant) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${new Date(wall).toISOString().slice(0, 19)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * Finds the instant at which the clocks of `timeZone` show `wall` (given as if it were UTC).
 * The offset can only be one of the offsets in force 12 h before or after; a candidate is right
 * when the zone's offset at the candidate instant is the offset that produced it.
 */
function resolveWallTime(wall: number, timeZone: string): TimestampResult {
  const before = zoneOffset(wall - 12 * HOUR, timeZone);
  const after = zoneOffset(wall + 12 * HOUR, timeZone);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset;
    if (zoneOffset(instant, timeZone) === offset) candidates.push(instant);
  }
  if (candidates.length === 1) return { date: new Date(candidates[0]!), problem: null };
  if (candidates.length === 2) return { date: new Date(Math.min(...candidates)), problem: 'ambiguous' };
  // In the spring gap: move forward by the gap, as a clock that was not yet adjusted would read.
  return { date: new Date(wall - before), problem: 'nonexistent' };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Offsets by zone and quarter hour: `formatToParts` costs microseconds, and a DSMR 2.2/3.0 meter
 * asks for the same few hours every telegram. Zones change offset only on quarter hours (modern
 * rules), so an offset found for an instant holds for its whole quarter hour.
 */
const offsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;

/** The last offset asked for: a meter asks for the same quarter hour again and again. */
let lastZone = '';
let lastQuarter = Number.NaN;
let lastOffset = 0;

/** Offset of `timeZone` from UTC at `instant`, in ms (east positive). */
function zoneOffset(instant: number, timeZone: string): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  if (quarter === lastQuarter && timeZone === lastZone) return lastOffset;
  const key = `${timeZone} ${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 4096) offsets.clear();
    offset = computeZoneOffset(instant, timeZone);
    offsets.set(key, offset);
  }
  lastZone = timeZone;
  lastQuarter = quarter;
  lastOffset = offset;
  return offset;
}

function computeZoneOffset(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** `INVALID_OPTION` unless `timeZone` is an IANA time zone name this runtime knows. */
export function validateTimeZone(timeZone: unknown): asserts timeZone is string {
  if (typeof timeZone !== 'string') {
    throw new DsmrError('INVALID_OPTION', `timeZone must be an IANA time zone name, got ${describe(timeZone)}`);
  }
  try {
    formatterFor(timeZone);
  } catch (cause) {
    throw new DsmrError('INVALID_OPTION', `timeZone ${JSON.stringify(timeZone)} is not a time zone this runtime knows (e.g. 'Europe/Amsterdam')`, { cause });
  }
}

/**
 * Formats an instant as a DSMR timestamp `YYMMDDhhmmssX` in CET/CEST, for telegrams built with
 * `formatTelegram`: `S` (summer, UTC+2) when `timeZone` observes DST at that instant, else `W`
 * (UTC+1). `parseTelegram` reads it back as the same instant.
 *
 * @param date - the instant.
 * @param timeZone - the IANA zone whose DST rules decide the flag. Default `'Europe/Amsterdam'`.
 * @throws {@link DsmrError} `INVALID_INPUT` when `date` is not a valid `Date` or its year (in
 *   CET/CEST) is not 2000 to 2099, the years a two-digit DSMR year reads as; `INVALID_OPTION` for
 *   an unknown time zone.
 */
export function formatTimestamp(date: Date, timeZone = 'Europe/Amsterdam'): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new DsmrError('INVALID_INPUT', `formatTimestamp expects a valid Date, got ${describe(date)}`);
  validateTimeZone(timeZone);
  const instant = date.getTime();
  const outOfRange = () => new DsmrError('INVALID_INPUT', `formatTimestamp: a DSMR timestamp has a two-digit year, read as 2000 to 2099; got ${date.toISOString()}`);
  // a day of margin each side before the exact check on the local year (and no Intl call for year 200000)
  if (instant < Date.UTC(1999, 11, 31) || instant >= Date.UTC(2100, 0, 2)) throw outOfRange();
  const offset = zoneOffset(instant, timeZone);
  const january = zoneOffset(Date.UTC(new Date(instant).getUTCFullYear(), 0, 1), timeZone);
  const summer = offset > january;
  const local = new Date(instant + (summer ? 2 : 1) * HOUR);
  if (local.getUTCFullYear() < 2000 || local.getUTCFullYear() > 2099) throw outOfRange();
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    two(local.getUTCFullYear() % 100) +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds()) +
    (summer ? 'S' : 'W')
  );
}
