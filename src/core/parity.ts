/**
 * DSMR 2.2/3.0 meters send 7E1 characters (7 data bits, even parity). Read on a port opened as
 * 8N1, the parity bit arrives as bit 7: every character with an odd number of 1-bits gets 0x80
 * added, so `/` (0x2F) arrives as 0xAF. Stripping bit 7 restores the text (protocol notes §1.3).
 *
 * Detection: in such a stream the first `/` is 0xAF, never 0x2F, and every byte has even parity.
 * We also require the stripped header to look like one (`/` + 3 letters + a digit), so garbage
 * that happens to contain 0xAF does not switch a healthy stream to stripping.
 */

const SLASH = 0x2f;
const SLASH_WITH_PARITY = 0xaf;
/** how many bytes after the 0xAF must have even parity */
const CHECKED = 16;

function hasEvenParity(byte: number): boolean {
  let b = byte ^ (byte >>> 4);
  b ^= b >>> 2;
  b ^= b >>> 1;
  return (b & 1) === 0;
}

function isLetter(byte: number): boolean {
  return (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
}

/**
 * What `bytes` say about 7E1 characters read as 8N1: `'7E1'`, `'8N1'` (a plain `/` came first),
 * `'unknown'` (no header in them), or `'more'` (they end too soon after a 0xAF to tell).
 */
export function detectSevenBit(bytes: Uint8Array): '7E1' | '8N1' | 'unknown' | 'more' {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const byte = bytes[i]!;
    if (byte === SLASH) return '8N1';
    if (byte !== SLASH_WITH_PARITY) continue;
    const end = Math.min(n, i + 1 + CHECKED);
    if (end - i < 6) return 'more';
    let evenParity = true;
    for (let j = i + 1; j < end && evenParity; j++) evenParity = hasEvenParity(bytes[j]!);
    const header = isLetter(bytes[i + 1]! & 0x7f) && isLetter(bytes[i + 2]! & 0x7f) && isLetter(bytes[i + 3]! & 0x7f);
    const baud = bytes[i + 4]! & 0x7f;
    if (evenParity && header && baud >= 48 && baud <= 57) return '7E1';
  }
  return 'unknown';
}

/** A copy of `bytes` with bit 7 of every byte cleared. */
export function stripParity(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! & 0x7f;
  return out;
}

/**
 * Decides, for a stream, whether to strip parity: undecided until a `/` (plain or with parity)
 * shows which; once decided, for good. Holds back the few bytes of a chunk that ends right after
 * a 0xAF, until the next chunk tells.
 */
export class ParityStripper {
  private decided: boolean | null = null;
  private held: Uint8Array | null = null;

  get stripping(): boolean {
    return this.decided === true;
  }

  /** The bytes to frame: stripped once 7E1 is detected. */
  push(chunk: Uint8Array): Uint8Array {
    if (this.decided === false) return chunk;
    if (this.decided === true) return stripParity(chunk);
    let bytes = chunk;
    if (this.held !== null) {
      bytes = new Uint8Array(this.held.length + chunk.length);
      bytes.set(this.held);
      bytes.set(chunk, this.held.length);
      this.held = null;
    }
    const verdict = detectSevenBit(bytes);
    if (verdict === 'more') {
      this.held = bytes;
      return new Uint8Array(0);
    }
    if (verdict === 'unknown') return bytes;
    this.decided = verdict === '7E1';
    return this.decided ? stripParity(bytes) : bytes;
  }

  /** Releases held bytes at the end of the stream. */
  flush(): Uint8Array {
    const held = this.held ?? new Uint8Array(0);
    this.held = null;
    return held;
  }
}
