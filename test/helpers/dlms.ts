/**
 * DLMS/COSEM bytes for the tests: the encoder `simulate` uses (src/cli/dlms-encoder.ts, written
 * from the standards, separate from the decoders), and a bitwise CRC-16/X-25 as the reference
 * for the table-driven one.
 */
export * from '../../src/cli/dlms-encoder.js';

/** CRC-16/X-25 one bit at a time: the reference for the table-driven one. */
export function crcX25Bitwise(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}
