/**
 * OBIS codes as numbers. A reduced code A-B:C.D.E has A ≤ 9, B ≤ 99 and C, D, E ≤ 999, so
 * A·10¹² + B·10⁹ + C·10⁶ + D·10³ + E is exact in a double and unique. Registry lookups and
 * duplicate checks then hash a number instead of a freshly sliced string, per data line.
 */

/** The B group that stands for "any channel" (`0-n:24.2.1`): no real code has B above 99. */
export const ANY_CHANNEL = 999;

const A = 1e12;
const B = 1e9;
const C = 1e6;
const D = 1e3;

export function obisKey(a: number, b: number, c: number, d: number, e: number): number {
  return a * A + b * B + c * C + d * D + e;
}

/** The key of `A-B:C.D.E` (B may be `n`), or `null` when the text is not of that form. */
export function keyOfObis(code: string): number | null {
  const m = /^(\d)-(\d{1,2}|n):(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(code);
  if (m === null) return null;
  return obisKey(Number(m[1]), m[2] === 'n' ? ANY_CHANNEL : Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The code of a key, written `A-B:C.D.E`. */
export function normalObis(key: number): string {
  const part = (unit: number, base: number): number => Math.floor((key % (unit * base)) / unit);
  return `${Math.floor(key / A)}-${part(B, 1000)}:${part(C, 1000)}.${part(D, 1000)}.${key % D}`;
}

/** The B group (channel) of a key. */
export function channelOf(key: number): number {
  return Math.floor((key % A) / B);
}

/** For `0-1:…` to `0-4:…`: the key with B = n (the registry's channel entries); else `null`. */
export function anyChannelKey(key: number): number | null {
  if (key >= A) return null; // A ≠ 0
  const b = Math.floor(key / B);
  return b >= 1 && b <= 4 ? key + (ANY_CHANNEL - b) * B : null;
}

/** Codes written out once each (a telegram has the same few dozen): at most this many kept. */
const TEXTS = new Map<number, string>();
const MAX_TEXTS = 4096;

/** The code of a key, written `A-B:C.D.E`: the same string for the same code, from a small cache. */
export function obisText(key: number): string {
  let text = TEXTS.get(key);
  if (text === undefined) {
    if (TEXTS.size >= MAX_TEXTS) TEXTS.clear();
    text = normalObis(key);
    TEXTS.set(key, text);
  }
  return text;
}
