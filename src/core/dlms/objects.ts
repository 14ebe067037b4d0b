/**
 * The object stage of a DLMS message: the items of its list as COSEM objects, the same stage the
 * DSMR parser builds from text lines, so that the same registry fills the same typed fields.
 *
 * Each value is written as DSMR would write it: numbers as their exact scaled decimal text with
 * the DLMS unit's symbol (`2500` with scaler −1 in V is `250.0*V`), strings and printable
 * octet-strings as text, other octet-strings as hex, the clock as an ISO instant with its offset.
 * Where a list leaves codes or scalers unsaid, its convention (conventions.ts) gives them; a value
 * left without either is kept as sent in `objects` and fills no typed field (a warning says so).
 */
import { bytesToHex } from '../bytes.js';
import type { DsmrPosition } from '../errors.js';
import { obisCode, parseObisCode, trimCodes, type ObisCode } from '../model/obis.js';
import type { ObjectPositions, ObjectStage } from '../model/objects.js';
import { lookupObis } from '../model/registry.js';
import type { CosemObject, CosemValue } from '../model/telegram.js';
import { isoWithOffset, wallTimeInstant } from '../model/timestamp.js';
import type { Reporter } from '../report.js';
import type { DlmsValue } from './axdr.js';
import { conventionOf, type ListConvention } from './conventions.js';
import { DLMS_UNITS, listItems, scaledText, type DlmsItem, type ListShape } from './list.js';
import { readDateTime, type DlmsDateTime } from './notification.js';

/** What the stage found out about the list besides its objects. */
export interface DlmsList {
  stage: ObjectStage;
  shape: ListShape;
  /** the list version id (`AIDON_V0001`, `KFM_001`, `Kamstrup_V0001`), when sent */
  listId: string | null;
  /** the convention that gave codes or scalers, when one did */
  convention: string | null;
}

/** the list version id: `1-1:0.2.129` (NEK 399); Kaifa's Swedish list says `1-0:0.2.129` */
const LIST_ID = '1-1:0.2.129';
const isListIdCode = (obis: string | null): boolean => obis === LIST_ID || obis === '1-0:0.2.129';
/** the clock, `0-0:1.0.0` (Kamstrup: `0-1:1.0.0`) */
const CLOCK = /^0-[01]:1\.0\.0$/;
const LOGICAL_DEVICE_NAME = '0-0:42.0.0';
const CLOCK_CLASS = 8;
/** A COSEM logical device name: the 3-letter FLAG id of its manufacturer, then its serial. */
const DEVICE_NAME = /^([A-Z]{3})[0-9A-Za-z]{4,}$/;
/** A list version id: `AIDON_V0001`, `KFM_001`, `Kamstrup_V0001`. */
const LIST_VERSION = /^[A-Za-z]+_V?\d+$/;

/**
 * The objects of a data-notification body. `systemTitle`: of the encrypted frame it came in, whose
 * first 3 bytes name the manufacturer. Warnings go to `report`.
 */
export function dlmsObjects(body: DlmsValue, systemTitle: Uint8Array | null, timeZone: string, report: Reporter): DlmsList {
  // as the DSMR grammar does: a stream of random codes cannot grow the table of interned codes
  trimCodes();
  const { shape, items } = listItems(body);
  const texts = items.map((item) => printable(item.value));
  // a list's first loose string is its version id (NEK 399: `1-1:0.2.129.255`)
  let listId: string | null = null;
  items.forEach((item, k) => {
    const text = texts[k];
    if (text == null) return;
    if (isListIdCode(item.obis) || (listId === null && item.obis === null && k === 0 && LIST_VERSION.test(text))) listId ??= text;
  });
  const manufacturer = manufacturerOf(items, texts, systemTitle);
  const convention = conventionOf({ listId, manufacturer, shape });

  let codes: (string | null)[] = items.map((item) => item.obis);
  let conventionUsed = false;
  if (shape === 'values') {
    const layout = convention?.layouts?.[items.length];
    if (layout !== undefined) {
      codes = [...layout];
      conventionUsed = true;
    } else {
      report.warn('UNKNOWN_LIST', `a DLMS list of ${items.length} values without OBIS codes, whose layout is not known${listId === null ? '' : ` (list ${listId})`}: kept in objects without codes`, at(0));
    }
  } else if (codes[0] === null && listId !== null && texts[0] === listId) {
    codes[0] = LIST_ID;
  }

  const objects: CosemObject[] = [];
  const stageCodes: (ObisCode | null)[] = [];
  const unscaled: string[] = [];
  items.forEach((item, k) => {
    const obis = codes[k] ?? '';
    // a code with F (a historical value) is no field of the typed view
    const code = item.name !== null ? codeOf(item.name) : obis === '' ? null : layoutCode(obis);
    const known = code === null ? null : registryCode(code);
    let value: CosemValue;
    let typed = code !== null;
    const clock = texts[k] === null ? clockText(item.value, timeZone) : null;
    // the clock object, or a loose value that reads as a date-time (Landis+Gyr lists begin with one)
    if (isClock(obis, item) || (obis === '' && clock !== null)) {
      if (clock === null) {
        report.warn('INVALID_TIMESTAMP', `${obis || 'a clock'} is not a valid date-time: ${describeValue(item.value)}`, at(k), obis || null);
        typed = false;
      }
      value = { raw: clock ?? describeValue(item.value), unit: null };
    } else {
      const scale = item.scaler !== null ? { scaler: item.scaler, unit: item.unit } : scaleOf(code, convention);
      value = valueText(item.value, texts[k] ?? null, scale);
      if (scale !== null && convention?.scalers !== undefined && item.scaler === null) conventionUsed = true;
      if (scale === null && isNumber(item.value) && known !== null && lookupObis(known, 'generic')?.unit != null) {
        // a quantity whose scale is not known: in objects as sent, in no typed field
        unscaled.push(obis);
        typed = false;
      }
    }
    objects.push({ obis, values: [value], line: k + 1, raw: `${obis}(${value.raw}${value.unit === null ? '' : `*${value.unit}`})` });
    stageCodes.push(typed ? known : null);
  });
  if (unscaled.length > 0) {
    report.warn('UNKNOWN_LIST', `no scaler and unit known for ${unscaled.join(', ')}${convention === undefined ? '' : ` in the ${convention.name} list`}: kept as sent in objects, not in the typed fields`, at(0));
  }
  return { stage: { objects, codes: stageCodes, positions: ITEM_POSITIONS }, shape, listId, convention: conventionUsed ? convention!.name : null };
}

/** Positions in a DLMS list: `line` is the object's place in the list (1-based); there are no columns. */
const at = (index: number): DsmrPosition => ({ line: index + 1, column: 1, offset: 0 });
const ITEM_POSITIONS: ObjectPositions = { object: at, value: at };

/**
 * The code the registry knows an object by: DLMS meters put electricity on B = 1 (Kamstrup, the
 * Swiss lists) where DSMR puts it on B = 0, and name the meter `0-0:96.1.0` where DSMR says
 * `0-0:96.1.1`; Kamstrup names the meter `1-1:0.0.5`, its type `1-1:96.1.1` and its clock
 * `0-1:1.0.0`.
 */
function registryCode(code: ObisCode): ObisCode {
  if (code.a === 1 && code.b === 1 && code.c === 0 && code.d === 0 && code.e === 5) return obisCode(0, 0, 96, 1, 1);
  if (code.a === 1 && code.b === 1 && code.c === 96 && code.d === 1 && code.e === 1) return obisCode(0, 0, 96, 1, 7);
  if (code.a === 1 && code.b === 1) return obisCode(1, 0, code.c, code.d, code.e);
  if (code.a === 0 && code.b === 0 && code.c === 96 && code.d === 1 && code.e === 0) return obisCode(0, 0, 96, 1, 1);
  if (code.a === 0 && code.b === 1 && code.c === 1 && code.d === 0 && code.e === 0) return obisCode(0, 0, 1, 0, 0);
  return code;
}

/** The groups of the codes layouts name (a few dozen constants), parsed once: interned codes are not kept across parses. */
const layoutGroups = new Map<string, readonly [number, number, number, number, number] | null>();

function layoutCode(text: string): ObisCode | null {
  let groups = layoutGroups.get(text);
  if (groups === undefined) {
    const code = parseObisCode(text);
    groups = code === null ? null : [code.a, code.b, code.c, code.d, code.e];
    layoutGroups.set(text, groups);
  }
  return groups === null ? null : obisCode(...groups);
}

/** The interned code of a logical name; `null` with F ≠ 255 (a historical value) or a group out of the registry's range. */
function codeOf(name: Uint8Array): ObisCode | null {
  const [a, b, c, d, e, f] = name as unknown as [number, number, number, number, number, number];
  return f === 255 && a <= 9 && b <= 99 ? obisCode(a, b, c, d, e) : null;
}

function manufacturerOf(items: readonly DlmsItem[], texts: readonly (string | null)[], systemTitle: Uint8Array | null): string | null {
  for (let k = 0; k < items.length; k++) {
    const text = texts[k];
    if (text == null || (items[k]!.obis !== LOGICAL_DEVICE_NAME && items[k]!.obis !== null)) continue;
    const name = DEVICE_NAME.exec(text);
    if (name !== null) return name[1]!;
  }
  if (systemTitle !== null) {
    const flag = String.fromCharCode(...systemTitle.subarray(0, 3));
    if (/^[A-Za-z]{3}$/.test(flag)) return flag.toUpperCase();
  }
  return null;
}

function isClock(obis: string, item: DlmsItem): boolean {
  const { value } = item;
  const dateTimeBytes = value.type === 'date-time' || (value.type === 'octet-string' && value.bytes.length === 12);
  return dateTimeBytes && (CLOCK.test(obis) || item.classId === CLOCK_CLASS);
}

function scaleOf(code: ObisCode | null, convention: ListConvention | undefined): { scaler: number; unit: number } | null {
  if (code === null || code.a !== 1 || convention?.scalers === undefined) return null;
  const known = convention.scalers.get(code.low);
  return known === undefined ? null : { scaler: known[0], unit: known[1] };
}

const isNumber = (value: DlmsValue): boolean => value.type === 'integer' || value.type === 'long64' || value.type === 'float';

/** A value's text and unit; `scale`: the scaler and unit number, when known. */
function valueText(value: DlmsValue, text: string | null, scale: { scaler: number; unit: number | null } | null): CosemValue {
  if (text !== null) return { raw: text, unit: null };
  if (value.type === 'integer' || value.type === 'long64') {
    // an enum is a state, not a quantity
    if (value.type === 'integer' && value.tag === 0x16) return { raw: String(value.value), unit: null };
    const symbol = scale?.unit == null ? null : (DLMS_UNITS.get(scale.unit) ?? null);
    return { raw: scaledText(value.value, scale?.scaler ?? 0), unit: symbol === '' ? null : symbol };
  }
  if (value.type === 'float') {
    const symbol = scale?.unit == null ? null : (DLMS_UNITS.get(scale.unit) ?? null);
    return { raw: String(value.value * 10 ** (scale?.scaler ?? 0)), unit: symbol === '' ? null : symbol };
  }
  return { raw: describeValue(value), unit: null };
}

/** Strings, and octet-strings that are printable ASCII, as text; `null` for anything else. */
function printable(value: DlmsValue): string | null {
  if (value.type === 'visible-string' || value.type === 'utf8-string') return value.text;
  if (value.type !== 'octet-string' || value.bytes.length === 0) return null;
  for (const b of value.bytes) if (b < 0x20 || b > 0x7e) return null;
  return String.fromCharCode(...value.bytes);
}

/** Any other value as text: hex for bytes, the items of a structure in brackets. */
function describeValue(value: DlmsValue): string {
  switch (value.type) {
    case 'null':
      return '';
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'integer':
    case 'long64':
    case 'float':
      return String(value.value);
    case 'visible-string':
    case 'utf8-string':
      return value.text;
    case 'array':
    case 'structure':
      return `[${value.items.map(describeValue).join(',')}]`;
    default:
      return bytesToHex(value.bytes);
  }
}

/**
 * A COSEM date-time as an instant, ISO text with its offset. The wall clock is read in `timeZone`,
 * and the clock status's daylight-saving bit settles the hour that occurs twice; the deviation
 * field is not used, because meters disagree on its sign. `null` when a field is not specified.
 */
export function clockText(value: DlmsValue, timeZone: string): string | null {
  if ((value.type !== 'date-time' && value.type !== 'octet-string') || value.bytes.length !== 12) return null;
  return dateTimeText(readDateTime(value.bytes), timeZone);
}

/** See {@link clockText}. */
export function dateTimeText(dt: DlmsDateTime, timeZone: string): string | null {
  const { year, month, day, hour, minute, second } = dt;
  if (year === null || month === null || day === null || hour === null || minute === null || second === null) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wall).getUTCDate() !== day) return null;
  const summer = dt.status === null ? null : (dt.status & 0x80) !== 0;
  const { date } = wallTimeInstant(wall, timeZone, summer);
  return date === null ? null : isoWithOffset(wall, date.getTime());
}
