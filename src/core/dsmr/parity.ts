/**
 * DSMR 2.2/3.0 meters send 7E1 characters (7 data bits, even parity). Read on a port opened as
 * 8N1, the parity bit arrives as bit 7: every character with an odd number of 1-bits gets 0x80
 * added, so `/` (0x2F) arrives as 0xAF. Stripping bit 7 restores the text.
 *
 * Detection: in such a stream the first `/` is 0xAF, never 0x2F, and every byte has even parity.
 * We also require the stripped header to look like one (`/` + 3 letters + a digit), so garbage
 * that happens to contain 0xAF does not switch a healthy stream to stripping.
 */

import { SLASH, headerAt } from './grammar.js';

const SLASH_WITH_PARITY = 0xaf;
/** how many bytes after the 0xAF must have even parity */
const CHECKED = 16;

function hasEvenParity(byte: number): boolean {
  let b = byte ^ (byte >>> 4);
  b ^= b >>> 2;
  b ^= b >>> 1;
  return (b & 1) === 0;
}

/** What {@link scanParity} found. */
type ParityScan =
  /** a 0xAF that starts a 7E1 header, at `at` */
  | { verdict: '7E1'; at: number }
  /** a plain `/` came first */
  | { verdict: '8N1'; at: number }
  /** a 0xAF at `at` with too few bytes after it to tell, and more may come */
  | { verdict: 'more'; at: number }
  /** no header of either kind */
  | { verdict: 'unknown'; at: number };

/**
 * Whether a 0xAF at `i` starts a 7E1 header: 3 letters and a digit follow (bit 7 stripped), and
 * the next {@link CHECKED} bytes (all there are at the end of the input) have even parity.
 */
function startsSevenBitHeader(bytes: Uint8Array, i: number, end: number): boolean {
  if (!headerAt(bytes, i, end, 0x7f)) return false;
  const last = Math.min(end, i + 1 + CHECKED);
  for (let j = i + 1; j < last; j++) if (!hasEvenParity(bytes[j]!)) return false;
  return true;
}

/**
 * Looks for the first header in `bytes`: a plain `/`, or a 0xAF judged on the same
 * {@link CHECKED} bytes after it however the input is cut (`final`: the input ends here, so a
 * 0xAF near the end is judged on what there is). One pass, at most CHECKED bytes looked at again.
 */
function scanParity(bytes: Uint8Array, final: boolean): ParityScan {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const byte = bytes[i]!;
    if (byte === SLASH) return { verdict: '8N1', at: i };
    if (byte !== SLASH_WITH_PARITY) continue;
    if (!final && n - i <= CHECKED) return { verdict: 'more', at: i };
    if (startsSevenBitHeader(bytes, i, n)) return { verdict: '7E1', at: i };
  }
  return { verdict: 'unknown', at: n };
}

/**
 * What a whole input says about 7E1 characters read as 8N1: `'7E1'`, `'8N1'` (a plain `/` came
 * first) or `'unknown'` (no header in it).
 */
export function detectSevenBit(bytes: Uint8Array): '7E1' | '8N1' | 'unknown' {
  const { verdict } = scanParity(bytes, true);
  return verdict === 'more' ? 'unknown' : verdict;
}

/** A copy of `bytes` with bit 7 of every byte cleared. */
export function stripParity(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! & 0x7f;
  return out;
}

/**
 * Decides, for a stream, whether to strip parity: undecided until a `/` (plain or with parity)
 * shows which; once decided, for good, from that header on. Holds back at most the
 * {@link CHECKED} + 1 bytes from a 0xAF near the end of a chunk until the next chunk tells, so
 * the decision is the same however the stream is cut, and memory stays bounded.
 */
export class ParityStripper {
  private decided: boolean | null = null;
  private held: Uint8Array | null = null;

  get stripping(): boolean {
    return this.decided === true;
  }

  /** The bytes to frame: stripped from the 7E1 header on. */
  push(chunk: Uint8Array): Uint8Array {
    if (this.decided === false) return chunk;
    if (this.decided === true) return stripParity(chunk);
    return this.decide(this.withHeld(chunk), false);
  }

  /** Releases held bytes at the end of the stream (judged on what there is). */
  flush(): Uint8Array {
    if (this.held === null) return new Uint8Array(0);
    const held = this.held;
    this.held = null;
    return this.decided === null ? this.decide(held, true) : held;
  }

  private withHeld(chunk: Uint8Array): Uint8Array {
    const held = this.held;
    if (held === null) return chunk;
    this.held = null;
    const bytes = new Uint8Array(held.length + chunk.length);
    bytes.set(held);
    bytes.set(chunk, held.length);
    return bytes;
  }

  private decide(bytes: Uint8Array, final: boolean): Uint8Array {
    const { verdict, at } = scanParity(bytes, final);
    if (verdict === 'unknown') return bytes;
    if (verdict === 'more') {
      this.held = bytes.slice(at);
      return bytes.subarray(0, at);
    }
    this.decided = verdict === '7E1';
    if (!this.decided) return bytes;
    // the bytes before the header were garbage, passed on as they came
    const out = stripParity(bytes);
    out.set(bytes.subarray(0, at));
    return out;
  }
}
