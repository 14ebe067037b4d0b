/**
 * A-XDR `Data` (IEC 62056-5-3, DLMS/COSEM): the tagged values of a data-notification's body. Each
 * value is a tag byte, then its content: fixed-size integers big-endian, strings and arrays with a
 * length (one byte, or `0x81`/`0x82` followed by one or two bytes).
 *
 * Integers of up to 32 bits are numbers; 64-bit ones are bigints (a meter's Wh register can pass
 * 2^53). Decoding never trusts a length: a value that claims more bytes than there are is a
 * `SYNTAX` error at its offset, and nesting is bounded, so no input crashes or hangs it.
 */
import { DsmrError } from '../errors.js';

export type DlmsValue =
  | { type: 'null' }
  | { type: 'array' | 'structure'; items: DlmsValue[] }
  | { type: 'boolean'; value: boolean }
  | { type: 'bit-string'; bits: number; bytes: Uint8Array }
  | { type: 'integer'; tag: IntegerTag; value: number }
  | { type: 'long64'; tag: 0x14 | 0x15; value: bigint }
  | { type: 'float'; tag: 0x17 | 0x18; value: number }
  | { type: 'octet-string'; bytes: Uint8Array }
  | { type: 'visible-string' | 'utf8-string'; text: string }
  | { type: 'date-time' | 'date' | 'time'; bytes: Uint8Array };

/** Tags of integers that fit a number: int32, uint32, int8, int16, uint8, uint16, enum. */
export type IntegerTag = 0x05 | 0x06 | 0x0f | 0x10 | 0x11 | 0x12 | 0x16;

/** Byte size and signedness of the integer tags. */
const INTEGERS: Readonly<Record<IntegerTag, readonly [size: number, signed: boolean]>> = {
  0x05: [4, true],
  0x06: [4, false],
  0x0f: [1, true],
  0x10: [2, true],
  0x11: [1, false],
  0x12: [2, false],
  0x16: [1, false],
};

/** Deeper than any list a meter sends; a bound, so crafted input cannot exhaust the stack. */
const MAX_DEPTH = 32;

const latin1 = /* @__PURE__ */ new TextDecoder('latin1');
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8');

function syntaxError(at: number, what: string): never {
  throw new DsmrError('SYNTAX', `A-XDR data at byte ${at}: ${what}`, { offset: at });
}

/**
 * The A-XDR length at `at`: one byte below 0x80, or `0x81`/`0x82` and one or two bytes. Returns it
 * and the offset after it; `SYNTAX` when it cannot be read.
 */
export function readLength(bytes: Uint8Array, at: number): { length: number; end: number } {
  if (at >= bytes.length) syntaxError(at, 'a length needed, no byte left');
  const first = bytes[at]!;
  if (first < 0x80) return { length: first, end: at + 1 };
  const size = first & 0x7f;
  if (size < 1 || size > 2) syntaxError(at, `a length of ${size} bytes`);
  if (at + 1 + size > bytes.length) syntaxError(at + 1, `${size} bytes needed, ${Math.max(0, bytes.length - at - 1)} left`);
  let length = 0;
  for (let i = 1; i <= size; i++) length = (length << 8) | bytes[at + i]!;
  return { length, end: at + 1 + size };
}

/** `SYNTAX` unless `count` bytes follow `at`. */
function need(bytes: Uint8Array, at: number, count: number): void {
  if (at + count > bytes.length) syntaxError(at, `${count} bytes needed, ${Math.max(0, bytes.length - at)} left`);
}

/** The bytes of a value with a length (octet-string, strings), after `at`; and the offset after them. */
function withLength(bytes: Uint8Array, at: number): { content: Uint8Array; end: number } {
  const { length, end } = readLength(bytes, at);
  need(bytes, end, length);
  return { content: bytes.subarray(end, end + length), end: end + length };
}

/** Decodes the value at `offset`; returns it and the offset after it. */
export function decodeData(bytes: Uint8Array, offset = 0, depth = 0): { value: DlmsValue; end: number } {
  need(bytes, offset, 1);
  if (depth > MAX_DEPTH) syntaxError(offset, `nested deeper than ${MAX_DEPTH}`);
  const tag = bytes[offset]!;
  const at = offset + 1;
  switch (tag) {
    case 0x00:
      return { value: { type: 'null' }, end: at };
    case 0x01:
    case 0x02: {
      const { length: count, end } = readLength(bytes, at);
      const items: DlmsValue[] = [];
      let next = end;
      for (let i = 0; i < count; i++) {
        const item = decodeData(bytes, next, depth + 1);
        items.push(item.value);
        next = item.end;
      }
      return { value: { type: tag === 0x01 ? 'array' : 'structure', items }, end: next };
    }
    case 0x03:
      need(bytes, at, 1);
      return { value: { type: 'boolean', value: bytes[at] !== 0 }, end: at + 1 };
    case 0x04: {
      const { length: bits, end } = readLength(bytes, at);
      const size = Math.ceil(bits / 8);
      need(bytes, end, size);
      return { value: { type: 'bit-string', bits, bytes: bytes.subarray(end, end + size) }, end: end + size };
    }
    case 0x05:
    case 0x06:
    case 0x0f:
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x16: {
      // big-endian, read by hand: a DataView per value would be the most of a message's garbage
      const [size, signed] = INTEGERS[tag];
      need(bytes, at, size);
      let value = 0;
      for (let i = 0; i < size; i++) value = value * 256 + bytes[at + i]!;
      if (signed && value >= 2 ** (8 * size - 1)) value -= 2 ** (8 * size);
      return { value: { type: 'integer', tag, value }, end: at + size };
    }
    case 0x14:
    case 0x15: {
      need(bytes, at, 8);
      let value = 0n;
      for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(bytes[at + i]!);
      return { value: { type: 'long64', tag, value: tag === 0x14 ? BigInt.asIntN(64, value) : value }, end: at + 8 };
    }
    case 0x17:
    case 0x18: {
      const size = tag === 0x17 ? 4 : 8;
      need(bytes, at, size);
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, size);
      return { value: { type: 'float', tag, value: size === 4 ? view.getFloat32(0) : view.getFloat64(0) }, end: at + size };
    }
    case 0x09: {
      const { content, end } = withLength(bytes, at);
      return { value: { type: 'octet-string', bytes: content }, end };
    }
    case 0x0a: {
      const { content, end } = withLength(bytes, at);
      return { value: { type: 'visible-string', text: latin1.decode(content) }, end };
    }
    case 0x0c: {
      const { content, end } = withLength(bytes, at);
      return { value: { type: 'utf8-string', text: utf8.decode(content) }, end };
    }
    case 0x19:
    case 0x1a:
    case 0x1b: {
      const size = tag === 0x19 ? 12 : tag === 0x1a ? 5 : 4;
      need(bytes, at, size);
      return { value: { type: tag === 0x19 ? 'date-time' : tag === 0x1a ? 'date' : 'time', bytes: bytes.subarray(at, at + size) }, end: at + size };
    }
    default:
      return syntaxError(offset, `unknown type tag 0x${tag.toString(16).padStart(2, '0')}`);
  }
}
