/**
 * CRC-16/X-25 (poly 0x1021 reflected = 0x8408, init 0xFFFF, final XOR 0xFFFF): the HCS and FCS
 * of HDLC frames (IEC 62056-46). Table-driven, a byte a step: HDLC frames are at most 2 KB.
 */
import { expectBytes, expectRange } from '../arguments.js';

const TABLE = /* @__PURE__ */ (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[i] = crc;
  }
  return table;
})();

/**
 * CRC-16/X-25 of `data[start..end)`: the check sequence of HDLC frames (HCS, FCS), sent least
 * significant byte first. Check value: `123456789` → `0x906E`.
 *
 * @throws {@link DsmrError} `INVALID_INPUT` when `data` is not a `Uint8Array` or `start`/`end`
 *   not a range within it.
 */
export function crc16x25(data: Uint8Array, start = 0, end = data?.length): number {
  expectBytes(data, 'crc16x25');
  expectRange(start, end, data.length, 'crc16x25');
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]!) & 0xff]!;
  return (crc ^ 0xffff) & 0xffff;
}
