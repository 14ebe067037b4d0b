/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final XOR), the checksum of DSMR ≥ 4
 * telegrams, table-driven.
 *
 * Slicing-by-16: table k holds the CRC of a byte followed by k zero bytes, so the lookups for 16
 * bytes can be XORed together and the loop consumes 16 bytes a step, read as four 32-bit words
 * where the bytes are aligned (typed arrays are little-endian on every platform JavaScript runs
 * on; a big-endian one takes the byte loop). All 16 tables live in one Uint16Array.
 */
import { describe, expectBytes, expectRange } from './arguments.js';
import { DsmrError } from './errors.js';

const TABLES = /* @__PURE__ */ buildTables();
const LITTLE_ENDIAN = /* @__PURE__ */ (() => new Uint8Array(Uint16Array.of(1).buffer)[0] === 1)();

function buildTables(): Uint16Array {
  const tables = new Uint16Array(16 * 256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    tables[i] = crc;
  }
  for (let i = 0; i < 256; i++) {
    let crc = tables[i]!;
    for (let k = 1; k < 16; k++) {
      crc = (crc >>> 8) ^ tables[crc & 0xff]!;
      tables[k * 256 + i] = crc;
    }
  }
  return tables;
}

/**
 * Computes the CRC-16/ARC of `data[start..end)`.
 *
 * @param data - the bytes, e.g. a telegram from `/` through `!` inclusive.
 * @param seed - the CRC of the bytes before `data`, so a CRC can be computed over chunks:
 *   `crc16(b, crc16(a)) === crc16(concat(a, b))`. Default `0`.
 * @param start - the first byte of `data` to include. Default `0`.
 * @param end - the byte after the last one to include. Default `data.length`.
 * @returns the CRC as a number in `0..0xFFFF`; a DSMR telegram prints it as 4 upper-case hex digits.
 * @throws {@link DsmrError} `INVALID_INPUT` when `data` is not a `Uint8Array`, the seed not an
 *   integer in `0..0xFFFF`, or `start`/`end` not a range within it.
 */
export function crc16(data: Uint8Array, seed = 0, start = 0, end = data?.length): number {
  expectBytes(data, 'crc16');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff) throw new DsmrError('INVALID_INPUT', `crc16: the seed must be a CRC, an integer in 0..0xFFFF, got ${describe(seed)}`);
  expectRange(start, end, data.length, 'crc16');
  const t = TABLES;
  let crc = seed;
  let i = start;
  // bytes one at a time up to a 4-byte boundary of the underlying buffer
  while (i < end && (data.byteOffset + i) % 4 !== 0) crc = (crc >>> 8) ^ t[(crc ^ data[i++]!) & 0xff]!;
  if (LITTLE_ENDIAN && end - i >= 16) {
    const words = new Uint32Array(data.buffer, data.byteOffset + i, (end - i) >>> 2);
    const blocks = words.length >>> 2;
    for (let w = 0; w < blocks * 4; w += 4) {
      const a = words[w]! ^ crc;
      const b = words[w + 1]!;
      const c = words[w + 2]!;
      const d = words[w + 3]!;
      crc =
        t[0xf00 + (a & 0xff)]! ^
        t[0xe00 + ((a >>> 8) & 0xff)]! ^
        t[0xd00 + ((a >>> 16) & 0xff)]! ^
        t[0xc00 + (a >>> 24)]! ^
        t[0xb00 + (b & 0xff)]! ^
        t[0xa00 + ((b >>> 8) & 0xff)]! ^
        t[0x900 + ((b >>> 16) & 0xff)]! ^
        t[0x800 + (b >>> 24)]! ^
        t[0x700 + (c & 0xff)]! ^
        t[0x600 + ((c >>> 8) & 0xff)]! ^
        t[0x500 + ((c >>> 16) & 0xff)]! ^
        t[0x400 + (c >>> 24)]! ^
        t[0x300 + (d & 0xff)]! ^
        t[0x200 + ((d >>> 8) & 0xff)]! ^
        t[0x100 + ((d >>> 16) & 0xff)]! ^
        t[d >>> 24]!;
    }
    i += blocks * 16;
  }
  while (i < end) crc = (crc >>> 8) ^ t[(crc ^ data[i++]!) & 0xff]!;
  return crc;
}

/** Formats a CRC the way a telegram carries it: 4 upper-case hex digits, most significant first. */
export function formatCrc(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * `SHIFT[k]` is what feeding 2^k zero bytes does to a CRC state, as the images of its 16 bits:
 * with init 0 and no final XOR, CRC-16/ARC is linear, so this matrix is all there is to it.
 */
const SHIFT = /* @__PURE__ */ buildShifts();

function buildShifts(): Uint16Array {
  const shifts = new Uint16Array(32 * 16);
  for (let bit = 0; bit < 16; bit++) shifts[bit] = crc16(new Uint8Array(1), 1 << bit);
  for (let k = 1; k < 32; k++) {
    for (let bit = 0; bit < 16; bit++) shifts[k * 16 + bit] = applyShift(k - 1, applyShift(k - 1, 1 << bit, shifts), shifts);
  }
  return shifts;
}

function applyShift(k: number, crc: number, shifts: Uint16Array): number {
  let out = 0;
  for (let bit = 0; crc !== 0; bit++, crc >>>= 1) if (crc & 1) out ^= shifts[k * 16 + bit]!;
  return out;
}

/**
 * The CRC of `a` followed by `b` from the CRCs of both and the length of `b`, in O(log length):
 * `crc16Combine(crc16(a), crc16(b), b.length) === crc16(concat(a, b))`. Also, since XOR undoes it,
 * the CRC of a suffix `b` from the CRC of `a‖b` and of its prefix `a`.
 */
export function crc16Combine(crcA: number, crcB: number, lengthB: number): number {
  let crc = crcA & 0xffff;
  for (let k = 0; lengthB > 0 && crc !== 0; k++, lengthB = Math.floor(lengthB / 2)) {
    if (lengthB % 2 === 1) crc = applyShift(k, crc, SHIFT);
  }
  return crc ^ crcB;
}
