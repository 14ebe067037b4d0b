/**
 * Every real capture behaves as its manifest says: parsed with the values of its `expected`
 * block, or rejected with the right code.
 */
import { describe, expect, it } from 'vitest';
import { decryptTelegram, parseTelegram, safeParseTelegram } from '../src/index.js';
import { CAPTURES, captureBytes, type Capture } from './helpers/captures.js';
import { checkExpected } from './helpers/expectations.js';

/** Files without a CRC that carry a version line: rejected by default (CRC policy). */
const needsCrc = (c: Capture) => !c.has_crc && c.expected.p1_version_raw !== undefined;

const plain = CAPTURES.filter((c) => !c.encrypted);

describe.each(CAPTURES.filter((c) => c.encrypted).map((c) => [c.file, c] as const))('%s (encrypted)', (_file, c) => {
  const frame = Buffer.from(Buffer.from(captureBytes(c.file)).toString('latin1').trim(), 'hex');

  it('decrypts with its keys and behaves as its manifest says', async () => {
    const plaintext = await decryptTelegram(frame, { key: c.key!, authenticationKey: c.aad! });
    if (c.crc_valid === false) {
      const result = safeParseTelegram(plaintext);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISMATCH');
      checkExpected(parseTelegram(plaintext, { verifyCrc: false }), c.expected, c);
    } else {
      checkExpected(parseTelegram(plaintext), c.expected, c);
    }
  });
});

describe.each(plain.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const bytes = captureBytes(c.file);

  if (c.malformed) {
    it('is rejected, by its CRC and (unchecked) by its syntax', () => {
      const checked = safeParseTelegram(bytes);
      expect(checked.ok ? null : checked.error.code).toBe('CRC_MISMATCH');
      const unchecked = safeParseTelegram(bytes, { verifyCrc: false });
      expect(unchecked.ok ? null : unchecked.error.code).toBe('SYNTAX');
    });
    return;
  }

  if (c.crc_valid === false) {
    it('is rejected for its CRC, and parses with verifyCrc: false', () => {
      const result = safeParseTelegram(bytes);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISMATCH');
      checkExpected(parseTelegram(bytes, { verifyCrc: false }), c.expected, c);
    });
    return;
  }

  if (needsCrc(c)) {
    it('is rejected for its missing CRC, and parses with verifyCrc: false', () => {
      const result = safeParseTelegram(bytes);
      expect(result.ok ? null : result.error.code).toBe('CRC_MISSING');
      checkExpected(parseTelegram(bytes, { verifyCrc: false }), c.expected, c);
    });
    return;
  }

  it('parses with the values of its manifest', () => {
    const t = parseTelegram(bytes);
    if (c.has_crc) expect(t.checksum).toEqual({ expected: parseInt(c.crc_field!, 16), actual: parseInt(c.crc_field!, 16) });
    else expect(t.checksum).toBeNull();
    checkExpected(t, c.expected, c);
  });
});
