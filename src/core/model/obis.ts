/**
 * OBIS codes, interned: one {@link ObisCode} object per distinct reduced code `A-B:C.D.E`, so
 * that a telegram's lines share their code's text, registry lookups are cached on it and a
 * duplicate check is a comparison. Found by two small-integer keys (no string is made to look a
 * code up, and no number outgrows a small integer: `A-B` and `C.D.E`).
 */

/** The B group that stands for "any channel" in the registry (`0-n:24.2.1`): no real code has B above 99. */
export const ANY_CHANNEL = 999;

/** A reduced OBIS code `A-B:C.D.E`. Interned: compare with `===`. */
export class ObisCode {
  /** `A-B:C.D.E`, `n` for {@link ANY_CHANNEL} */
  readonly text: string;
  /** `A·1000 + B` and `C·10⁶ + D·10³ + E`: the code as two small integers, to compare it in two steps */
  readonly high: number;
  readonly low: number;
  /** What the registry's tables found for this code, by profile (see registry.ts). */
  lookups: unknown[] | null = null;
  /** The last parse that saw this code (see model/build.ts: duplicates). */
  seen = 0;

  constructor(
    readonly a: number,
    readonly b: number,
    readonly c: number,
    readonly d: number,
    readonly e: number,
  ) {
    this.text = `${a}-${b === ANY_CHANNEL ? 'n' : b}:${c}.${d}.${e}`;
    this.high = a * 1000 + b;
    this.low = c * 1e6 + d * 1e3 + e;
  }

  /** Whether this is the code `other` (its text, parsed once by the caller). */
  is(other: ObisCode): boolean {
    return this.low === other.low && this.high === other.high;
  }

  /** The B group: the channel of an M-Bus code, the relay of a Luxembourg relay code. */
  get channel(): number {
    return this.b;
  }
}

/** More codes than any meter sends (a few dozen): a stream of random codes makes the table start over (between parses). */
const MAX_CODES = 1024;
/** Open addressing: slot → index in `codes` + 1 (0: empty), at most half full. */
const SLOTS = 2 * MAX_CODES;
const slots = new Int32Array(SLOTS);
let codes: ObisCode[] = [];

/**
 * The code A-B:C.D.E (A ≤ 9, B ≤ 99 or {@link ANY_CHANNEL}, C/D/E ≤ 999), the same object each
 * time: a hash of the five numbers, probed in a typed array (cheaper than a Map, per data line).
 */
export function obisCode(a: number, b: number, c: number, d: number, e: number): ObisCode {
  let h = Math.imul(a * 1024 + b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d * 1024 + e, 0xc2b2ae35);
  h = (h ^ (h >>> 15)) & (SLOTS - 1);
  for (;;) {
    const slot = slots[h]!;
    if (slot === 0) break;
    const code = codes[slot - 1]!;
    if (code.e === e && code.d === d && code.c === c && code.b === b && code.a === a) return code;
    h = (h + 1) & (SLOTS - 1);
  }
  if (codes.length < MAX_CODES) {
    const code = new ObisCode(a, b, c, d, e);
    codes.push(code);
    slots[h] = codes.length;
    return code;
  }
  // full in the middle of a parse (thousands of distinct codes): the rest by text, still one object per code
  const code = new ObisCode(a, b, c, d, e);
  const known = overflow.get(code.text);
  if (known !== undefined) return known;
  overflow.set(code.text, code);
  return code;
}

/** Codes of a parse that filled the table. */
const overflow = new Map<string, ObisCode>();

/**
 * Called before each parse: forgets the codes when a stream of random ones half filled the table.
 * Never during a parse, so within one the same code is always the same object.
 */
export function trimCodes(): void {
  if (codes.length >= MAX_CODES / 2 || overflow.size > 0) {
    slots.fill(0);
    codes = [];
    overflow.clear();
  }
}

/** How many codes are interned now (the tests check that it stays bounded). */
export function internedCodes(): number {
  return codes.length + overflow.size;
}

/** The code written `A-B:C.D.E` (B may be `n`), or `null` when the text is not of that form. */
export function parseObisCode(text: string): ObisCode | null {
  const m = /^(\d)-(\d{1,2}|n):(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return null;
  return obisCode(Number(m[1]), m[2] === 'n' ? ANY_CHANNEL : Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** For `0-1:…` to `0-4:…`: the code with B = n (the registry's channel entries); else `null`. */
export function anyChannelCode(code: ObisCode): ObisCode | null {
  return code.a === 0 && code.b >= 1 && code.b <= 4 ? obisCode(0, ANY_CHANNEL, code.c, code.d, code.e) : null;
}
