/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final XOR), the checksum of DSMR ≥ 4 telegrams.
 *
 * Slicing-by-8: eight 256-entry tables let the loop consume eight bytes per step instead of one.
 * Table k holds the CRC of a byte followed by k zero bytes, so the eight lookups of one step can be
 * XORed together. All eight tables live in one Uint16Array for cache locality.
 */
const TABLES = /* @__PURE__ */ buildTables();

function buildTables(): Uint16Array {
  const tables = new Uint16Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    tables[i] = crc;
  }
  for (let i = 0; i < 256; i++) {
    let crc = tables[i]!;
    for (let k = 1; k < 8; k++) {
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
 * @returns the CRC as a number in `0..0xFFFF`; a DSMR telegram prints it as 4 upper-case hex digits.
 */
export function crc16(data: Uint8Array, seed = 0, start = 0, end = data.length): number {
  const t = TABLES;
  let crc = seed & 0xffff;
  let i = start;
  const stop8 = end - 8;
  while (i <= stop8) {
    crc ^= data[i]! | (data[i + 1]! << 8);
    crc =
      t[0x700 + (crc & 0xff)]! ^
      t[0x600 + (crc >>> 8)]! ^
      t[0x500 + data[i + 2]!]! ^
      t[0x400 + data[i + 3]!]! ^
      t[0x300 + data[i + 4]!]! ^
      t[0x200 + data[i + 5]!]! ^
      t[0x100 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
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
