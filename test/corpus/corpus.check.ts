/**
 * A check run by hand against a corpus of real telegrams kept outside this repository (its files
 * are not ours to copy): every telegram behaves as its manifest says.
 *
 *   DSMR_CORPUS=path/to/corpus npm run check:corpus
 *
 * The corpus folder holds `manifest.json` (entries of the shape of test/helpers/captures.ts) and
 * the files it names. Not part of `npm test`: the tests build their own fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptTelegram, parseTelegram, readTelegrams, safeParseTelegram } from '../../src/index.js';
import type { Capture } from '../helpers/captures.js';
import { checkExpected } from '../helpers/expectations.js';

const root = process.env.DSMR_CORPUS;
if (root === undefined) throw new Error('set DSMR_CORPUS to the corpus folder (with manifest.json)');

interface CorpusEntry extends Capture {
  expected_valid_telegrams_in_file?: number;
}

const entries = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as CorpusEntry[];
const bytesOf = (file: string) => new Uint8Array(readFileSync(join(root, file)));
/** DSMR 4+ telegrams without CRC are rejected by the CRC policy unless verifyCrc: false. */
const needsCrc = (c: Capture) => !c.has_crc && c.expected.p1_version_raw !== undefined;

describe.each(entries.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const bytes = bytesOf(c.file);

  if (c.encrypted) {
    it('decrypts with its keys and behaves as its manifest says', async () => {
      const frame = Buffer.from(Buffer.from(bytes).toString('latin1').trim(), 'hex');
      const plaintext = await decryptTelegram(frame, { key: c.key!, authenticationKey: c.aad });
      if (c.crc_valid === false) {
        const result = safeParseTelegram(plaintext);
        expect(result.ok ? null : result.error.code).toBe('CRC_MISMATCH');
        checkExpected(parseTelegram(plaintext, { verifyCrc: false }), c.expected, c);
      } else {
        checkExpected(parseTelegram(plaintext), c.expected, c);
      }
    });
    return;
  }

  if (c.malformed) {
    it(`yields ${c.expected_valid_telegrams_in_file ?? 0} telegram(s) from a stream, and none alone`, async () => {
      expect(safeParseTelegram(bytes).ok).toBe(false);
      const telegrams = [];
      for await (const t of readTelegrams([bytes])) telegrams.push(t);
      expect(telegrams).toHaveLength(c.expected_valid_telegrams_in_file ?? 0);
      if (telegrams.length === 1) checkExpected(telegrams[0]!, c.expected, c);
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

  if (!c.expected.terminated) {
    it('is rejected as cut off: it has no end line "!"', () => {
      const result = safeParseTelegram(bytes);
      expect(result.ok ? null : result.error.code).toBe('TRUNCATED');
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
