/**
 * Byte ↔ text helpers. A telegram is bytes: its CRC covers the bytes as received, so text and bytes
 * must map 1:1. We decode as ISO-8859-1 (byte n → U+00nn). `TextDecoder('latin1')` is not quite
 * that: WHATWG maps the label to windows-1252, which turns 27 of the bytes 0x80–0x9F into
 * characters above U+00FF (0x80 → €) and leaves every other byte as ISO-8859-1 does. So decode
 * with it (fast, native) and fall back to a loop in the rare case such a character shows up.
 * ASCII, what meters send, goes first through the UTF-8 decoder, natively the fastest of all.
 */

import { DsmrError } from './errors.js';

const CHUNK = 0x2000;
const windows1252 = /* @__PURE__ */ new TextDecoder('latin1');
const utf8 = /* @__PURE__ */ new TextDecoder();
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** Decodes bytes to a string, one character per byte (ISO-8859-1). */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const part = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  // one character per byte and no U+FFFD: every byte was ASCII (any other byte joins a shorter
  // multi-byte character or becomes U+FFFD, and a leading BOM is dropped)
  const ascii = utf8.decode(part);
  if (ascii.length === part.length && !ascii.includes('\uFFFD')) return ascii;
  const fast = windows1252.decode(part);
  return BEYOND_LATIN1.test(fast) ? decodeExactly(bytes, start, end) : fast;
}

function decodeExactly(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= CHUNK) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  let text = '';
  for (let i = start; i < end; i += CHUNK) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(i + CHUNK, end)) as unknown as number[]);
  }
  return text;
}

/**
 * Encodes a string to the bytes a meter sent, one character at a time: a character up to U+00FF
 * is one byte (how we and most serial libraries decode bytes), a wider one cannot be a byte and is
 * encoded as UTF-8. Per character, so a text gives the same bytes whole or in pieces.
 */
export function encodeText(text: string): Uint8Array {
  const n = text.length;
  let bytes = new Uint8Array(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c <= 0xff) {
      bytes[length++] = c;
      continue;
    }
    if (bytes.length - length < 4 + (n - i)) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, length + 4 + (n - i)));
      grown.set(bytes.subarray(0, length));
      bytes = grown;
    }
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
      bytes[length++] = 0xf0 | (c >> 18);
      bytes[length++] = 0x80 | ((c >> 12) & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder encodes it
      if (c < 0x800) {
        bytes[length++] = 0xc0 | (c >> 6);
        bytes[length++] = 0x80 | (c & 0x3f);
        continue;
      }
      bytes[length++] = 0xe0 | (c >> 12);
    }
    bytes[length++] = 0x80 | ((c >> 6) & 0x3f);
    bytes[length++] = 0x80 | (c & 0x3f);
  }
  return length === bytes.length ? bytes : bytes.subarray(0, length);
}

/**
 * Decodes a hex-encoded octet string to text when it is printable ASCII, the way DSMR sends
 * equipment identifiers and messages (`4530303132` → `E0012`). Returns `null` when the value is
 * not an even number of hex digits or does not decode to printable characters.
 */
export function decodeHexText(hex: string): string | null {
  const n = hex.length;
  if (n === 0 || n % 2 !== 0) return null;
  // ids and messages through `apply` on a plain array (the fastest for short strings); longer
  // ones as bytes, natively (`apply` has an argument limit)
  // oxlint-disable-next-line unicorn/no-new-array -- a presized array: measured faster than push or Array.from
  const codes: Uint8Array | number[] = n / 2 > 4096 ? new Uint8Array(n / 2) : new Array<number>(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = hexDigit(hex.charCodeAt(i));
    const lo = hexDigit(hex.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return null;
    const code = (hi << 4) | lo;
    // printable ASCII, plus tab; messages in the field carry nothing else
    if ((code < 0x20 && code !== 0x09) || code > 0x7e) return null;
    codes[i / 2] = code;
  }
  return codes instanceof Uint8Array ? decodeLatin1(codes) : String.fromCharCode.apply(null, codes);
}

/** Parses a hex string (any case) to bytes; `null` when it is not an even number of hex digits. */
export function hexToBytes(hex: string): Uint8Array | null {
  const n = hex.length;
  if (n % 2 !== 0) return null;
  const bytes = new Uint8Array(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = hexDigit(hex.charCodeAt(i));
    const lo = hexDigit(hex.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return null;
    bytes[i / 2] = (hi << 4) | lo;
  }
  return bytes;
}

/** Formats bytes as upper-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += bytes[i]!.toString(16).toUpperCase().padStart(2, '0');
  return hex;
}

/** The value of a hex digit character code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * The bytes of a chunk pushed into a decoder: a string is read as {@link encodeText} says.
 * Anything else is the caller's mistake, said with a code.
 */
export function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encodeText(chunk);
  const kind = chunk === null ? 'null' : typeof chunk === 'object' ? (chunk.constructor?.name ?? 'object') : typeof chunk;
  throw new DsmrError('INVALID_INPUT', `a telegram decoder accepts Uint8Array chunks (a Node buffer is one) or strings, got ${kind}`);
}

/** The bytes of `parts`, one after the other (a single part as it is: no copy). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
