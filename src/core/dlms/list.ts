/**
 * The COSEM objects of a data-notification's body. Meters lay the body out in four ways:
 *
 * - an array of structures `{ logical name, value, { scaler, unit }? }` (Aidon);
 * - a structure of a push setup's capture objects `[{ class, logical name, attribute, index }…]`
 *   followed by their values (the Swiss and Austrian push lists);
 * - one structure of `logical name, value[, { scaler, unit }]` runs, or of such structures, with
 *   loose values between them such as a list id (Kamstrup, the Swedish lists);
 * - values only, their meaning by position (Kaifa, some Iskraemeco lists).
 *
 * Each object keeps its value as decoded; its scaler and unit when the meter sent them.
 */
import type { DlmsValue } from './axdr.js';

/** One object of a list: its code when the list names it, its value, and its scaler and unit when sent. */
export interface DlmsItem {
  /** `A-B:C.D.E`, with `.F` only when F is not 255; `null` in a list of values only */
  obis: string | null;
  /** the logical name's 6 bytes, when the list sends it */
  name: Uint8Array | null;
  value: DlmsValue;
  /** the value is `value × 10^scaler` in `unit` */
  scaler: number | null;
  /** the DLMS unit number (27 W, 30 Wh, 33 A, 35 V, …; see {@link DLMS_UNITS}) */
  unit: number | null;
  /** the interface class of a capture object (3 register, 8 clock, …), when the list says */
  classId: number | null;
}

export type ListShape = 'objects' | 'push' | 'pairs' | 'values';

/** DLMS unit numbers (IEC 62056-6-2) of the quantities meters send. */
export const DlmsUnit = { W: 27, VA: 28, var: 29, Wh: 30, VAh: 31, varh: 32, A: 33, V: 35, Hz: 44 } as const;

/** The symbol of each unit number; 255 is "count", no unit. */
export const DLMS_UNITS: ReadonlyMap<number, string> = /* @__PURE__ */ new Map([
  [8, '°'],
  [9, '°C'],
  [13, 'm3'],
  ...Object.entries(DlmsUnit).map(([symbol, unit]) => [unit, symbol] as const),
  [255, ''],
]);

/** The interface class of a push setup, whose own value in a push list is the capture list. */
const PUSH_SETUP = 40;

/** A logical name: an octet-string of 6 bytes. */
const isObis = (value: DlmsValue | undefined): value is { type: 'octet-string'; bytes: Uint8Array } => value?.type === 'octet-string' && value.bytes.length === 6;

export function obisText(bytes: Uint8Array): string {
  const [a, b, c, d, e, f] = bytes as unknown as [number, number, number, number, number, number];
  return `${a}-${b}:${c}.${d}.${e}${f === 255 ? '' : `.${f}`}`;
}

/** `{ scaler (integer), unit (enum) }`. */
function scalerUnit(value: DlmsValue | undefined): { scaler: number; unit: number } | null {
  if (value?.type !== 'structure' || value.items.length !== 2) return null;
  const [scaler, unit] = value.items;
  if (scaler?.type !== 'integer' || unit?.type !== 'integer' || unit.tag !== 0x16) return null;
  return { scaler: scaler.value, unit: unit.value };
}

const item = (name: Uint8Array | null, value: DlmsValue, su: { scaler: number; unit: number } | null = null, classId: number | null = null): DlmsItem => ({
  obis: name === null ? null : obisText(name),
  name,
  value,
  scaler: su?.scaler ?? null,
  unit: su?.unit ?? null,
  classId,
});

/** The objects of a body, and which of the four layouts it has. */
export function listItems(body: DlmsValue): { shape: ListShape; items: DlmsItem[] } {
  if (body.type === 'array' && body.items.length > 0 && body.items.every((s) => s.type === 'structure' && isObis(s.items[0]) && s.items.length >= 2)) {
    return {
      shape: 'objects',
      items: body.items.map((s) => {
        const { items } = s as { items: DlmsValue[] };
        return item((items[0] as { bytes: Uint8Array }).bytes, items[1]!, scalerUnit(items[2]));
      }),
    };
  }
  if (body.type !== 'structure') return { shape: 'values', items: [item(null, body)] };
  const parts = body.items;
  const captures = parts[0];
  if (captures?.type === 'array' && captures.items.length > 0 && captures.items.every((c) => c.type === 'structure' && c.items.length === 4 && isObis(c.items[1]))) {
    // value k belongs to capture object k; the push setup's own (class 40) is the capture list
    const items: DlmsItem[] = [];
    captures.items.forEach((capture, k) => {
      const [classItem, name] = (capture as { items: DlmsValue[] }).items;
      const classId = classItem?.type === 'integer' ? classItem.value : null;
      const value = parts[k];
      if (value === undefined || classId === PUSH_SETUP) return;
      items.push(item((name as { bytes: Uint8Array }).bytes, value, null, classId));
    });
    return { shape: 'push', items };
  }
  const ordered: DlmsItem[] = [];
  let named = 0;
  for (let j = 0; j < parts.length; ) {
    const part = parts[j]!;
    const next = parts[j + 1];
    if (isObis(part) && next !== undefined && !isObis(next)) {
      const su = scalerUnit(parts[j + 2]);
      ordered.push(item(part.bytes, next, su));
      named++;
      j += su === null ? 2 : 3;
    } else if (part.type === 'structure' && isObis(part.items[0]) && part.items.length >= 2) {
      ordered.push(item(part.items[0].bytes, part.items[1]!, scalerUnit(part.items[2])));
      named++;
      j++;
    } else {
      // padding (a single-phase meter's null-data) is no object
      if (part.type !== 'null') ordered.push(item(null, part));
      j++;
    }
  }
  if (named > 0 && named >= ordered.length - named) return { shape: 'pairs', items: ordered };
  return { shape: 'values', items: parts.map((part) => item(null, part)) };
}

/**
 * The exact decimal text of `integer × 10^scaler`: `2500` with scaler −1 is `"250.0"`, with 2
 * `"250000"`. Never through a double, so a 64-bit register keeps every digit.
 */
export function scaledText(integer: number | bigint, scaler: number): string {
  const negative = integer < 0;
  // a number here is an integer of at most 32 bits: its digits without a bigint
  let digits = typeof integer === 'number' ? String(Math.abs(integer)) : (negative ? -integer : integer).toString();
  if (scaler >= 0) return digits === '0' ? '0' : `${negative ? '-' : ''}${digits}${'0'.repeat(scaler)}`;
  const places = -scaler;
  digits = digits.padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
}
