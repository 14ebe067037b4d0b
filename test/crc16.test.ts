import { describe, expect, it } from 'vitest';
import { crc16 } from '../src/index.js';
import { crc16Bitwise } from './helpers/crc-reference.js';
import { APPENDIX_A1, latin1 } from './helpers/telegram.js';

describe('crc16', () => {
  it('has the CRC-16/ARC check value', () => {
    expect(crc16(latin1('123456789'))).toBe(0xbb3d);
  });

  it('is 0 for no bytes and matches the table entries of the protocol notes', () => {
    expect(crc16(new Uint8Array())).toBe(0);
    expect(crc16(Uint8Array.of(1))).toBe(0xc0c1);
    expect(crc16(Uint8Array.of(255))).toBe(0x4040);
  });

  it('gives 95A8 over the appendix A.1 telegram and A660 with LF-only lines', () => {
    const crlf = APPENDIX_A1.slice(0, APPENDIX_A1.indexOf('!') + 1);
    expect(crc16(latin1(crlf))).toBe(0x95a8);
    expect(crc16(latin1(crlf.replaceAll('\r\n', '\n')))).toBe(0xa660);
  });

  it('matches the bitwise reference for every length 0..64 (all slicing remainders)', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let n = 0; n <= 64; n++) expect(crc16(bytes.subarray(0, n))).toBe(crc16Bitwise(bytes.subarray(0, n)));
  });

  it('runs over a range with start and end', () => {
    const bytes = latin1('xx123456789yy');
    expect(crc16(bytes, 0, 2, 11)).toBe(0xbb3d);
  });
});
