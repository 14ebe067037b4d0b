/**
 * Encrypted P1 under attack: the data never chooses its own security level, a lying length field
 * costs no good frame, and every dropped frame is reported.
 */
import { describe, expect, it } from 'vitest';
import { decryptTelegram, parseTelegram, safeParseTelegram, type DecryptionOptions, type Telegram } from '../src/index.js';
import { encryptFrame } from './helpers/encrypt.js';
import { TRANSPORTS, concat, decodeWith } from './helpers/streams.js';
import { APPENDIX_A1, latin1, telegramText } from './helpers/telegram.js';

const KEY = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
const plaintext = latin1(APPENDIX_A1);

/** What a frame gives when decrypted and parsed: a telegram, or the code of the error on the way. */
async function outcome(frame: Uint8Array, options: DecryptionOptions): Promise<Telegram | string> {
  let text: Uint8Array;
  try {
    text = await decryptTelegram(frame, options);
  } catch (error) {
    return (error as { code: string }).code;
  }
  const parsed = safeParseTelegram(text);
  return parsed.ok ? parsed.telegram : parsed.error.code;
}

/** The typed values of a telegram (what must never be wrong). */
const values = (t: Telegram) => ({ electricity: t.electricity, mbus: t.mbus, timestamp: t.timestamp, equipmentId: t.equipmentId });

describe('the security level is the caller’s, never the frame’s', () => {
  const tagged = encryptFrame(plaintext, { key: KEY, frameCounter: 7 });
  const untagged = encryptFrame(plaintext, { key: KEY, frameCounter: 7, securityControl: 0x20 });
  const original = values(parseTelegram(plaintext));

  it('rejects a frame whose security byte was changed from 0x30 to 0x20, by default', async () => {
    const downgraded = tagged.slice();
    downgraded[13] = 0x20;
    expect(await outcome(downgraded, { key: KEY })).toBe('AUTHENTICATION_REQUIRED');
  });

  it('rejects a frame forged without the key (CTR bits flipped, CRC fixed up), by default', async () => {
    // an attacker who knows the plaintext flips the keystream: power 00.450 → 99.450, then fixes the CRC
    const forgedText = APPENDIX_A1.replace('1-0:1.7.0(00.450*kW)', '1-0:1.7.0(99.450*kW)');
    const forgedTelegram = telegramText(forgedText.split('\r\n').slice(2, -2), { header: '/XYZ5\\2EXAMPLE-0001' });
    const forged = untagged.slice();
    const bodyStart = 18;
    const a = latin1(APPENDIX_A1);
    const b = latin1(forgedTelegram);
    for (let i = 0; i < a.length; i++) forged[bodyStart + i]! ^= a[i]! ^ b[i]!;
    expect(await outcome(forged, { key: KEY })).toBe('AUTHENTICATION_REQUIRED');
    // the caller who opts out gets the forged telegram, marked as not authenticated
    const t = parseTelegram(await decryptTelegram(forged, { key: KEY, authentication: 'none' }));
    expect(t.electricity.power.imported).toBe(99.45);
  });

  it.each(['required', 'none'] as const)('flipping any bit of the header or tag never gives a wrong value (authentication %s)', async (authentication) => {
    const positions = [...Array.from({ length: 18 }, (_, i) => i), ...Array.from({ length: 12 }, (_, i) => tagged.length - 12 + i)];
    let accepted = 0;
    for (const at of positions) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = tagged.slice();
        changed[at]! ^= 1 << bit;
        const result = await outcome(changed, { key: KEY, authentication });
        if (typeof result === 'string') continue;
        // only the downgrade 0x30 → 0x20 decrypts, and only when the caller allows untagged frames
        expect([at, changed[at], authentication]).toEqual([13, 0x20, 'none']);
        expect(values(result)).toEqual(original);
        accepted++;
      }
    }
    expect(accepted).toBe(authentication === 'none' ? 1 : 0);
  });

  it.each(['required', 'none'] as const)('flipping any bit of an untagged frame never gives a wrong value (authentication %s)', async (authentication) => {
    for (let at = 0; at < untagged.length; at += at < 18 ? 1 : 37) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = untagged.slice();
        changed[at]! ^= 1 << bit;
        const result = await outcome(changed, { key: KEY, authentication });
        if (typeof result !== 'string') expect(values(result)).toEqual(original);
      }
    }
  });

  it.each(TRANSPORTS)('%s stream: records how each telegram was protected; untagged frames only with authentication: none', async (transport) => {
    const stream = concat([tagged, untagged]);
    const strict = await decodeWith(transport, [stream], { decryption: { key: KEY } });
    expect(strict.telegrams.map((t) => t.encryption)).toEqual([{ systemTitle: '5341471020304050', frameCounter: 7, authenticated: true }]);
    expect(strict.errors.map((e) => e.code)).toEqual(['AUTHENTICATION_REQUIRED']);
    const open = await decodeWith(transport, [stream], { decryption: { key: KEY, authentication: 'none' } });
    expect(open.telegrams.map((t) => t.encryption?.authenticated)).toEqual([true, false]);
    expect(open.errors).toEqual([]);
  });

  it('rejects an unknown authentication setting with INVALID_OPTION', async () => {
    await expect(decryptTelegram(tagged, { key: KEY, authentication: 'sometimes' as 'none' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('reads frames whose tag covers no additional data (authenticationKey: null)', async () => {
    // made the way one public test generator does: GCM without AAD
    const { createCipheriv } = await import('node:crypto');
    const iv = Buffer.concat([Buffer.from('SAG\x10\x20\x30\x40\x50', 'latin1'), Buffer.from([0, 0, 0, 9])]);
    const cipher = createCipheriv('aes-128-gcm', KEY, iv, { authTagLength: 12 });
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const length = 5 + body.length;
    const frame = new Uint8Array(Buffer.concat([Buffer.from([0xdb, 0x08]), iv.subarray(0, 8), Buffer.from([0x82, length >> 8, length & 0xff, 0x30]), iv.subarray(8), body]));
    expect(await outcome(frame, { key: KEY })).toBe('DECRYPTION');
    expect(await decryptTelegram(frame, { key: KEY, authenticationKey: null })).toEqual(plaintext);
  });
});

describe('a lying length field costs no good frame', () => {
  const frames = Array.from({ length: 10 }, (_, i) => encryptFrame(plaintext, { key: KEY, frameCounter: i + 1 }));
  /** a damaged header claiming 16,000 bytes, then ten good frames */
  const liar = frames[0]!.slice(0, 40);
  liar[11] = 16_000 >> 8;
  liar[12] = 16_000 & 0xff;
  const stream = concat([liar, ...frames]);

  it.each(TRANSPORTS)('%s stream: reports the damaged frame and delivers the ten behind it, at the end of input', async (transport) => {
    const { telegrams, errors } = await decodeWith(transport, [stream], { decryption: { key: KEY } });
    expect(telegrams.map((t) => t.encryption?.frameCounter)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['TRUNCATED', 0]]);
  });

  it('delivers them mid-stream as they come, without waiting for the 16,000 bytes claimed', async () => {
    const { createDecoder } = await import('../src/index.js');
    const decoder = createDecoder({ decryption: { key: KEY } });
    const items = await decoder.push(stream);
    expect(items.filter((i) => i.telegram !== undefined)).toHaveLength(10);
    expect(items[0]!.error?.code).toBe('TRUNCATED');
  });

  it.each(TRANSPORTS)('%s stream: the same, one byte at a time', async (transport) => {
    const bytes = Array.from(stream, (b) => Uint8Array.of(b));
    const { telegrams, errors } = await decodeWith(transport, bytes, { decryption: { key: KEY } });
    expect(telegrams).toHaveLength(10);
    expect(errors.map((e) => e.code)).toEqual(['TRUNCATED']);
  });

  it.each(TRANSPORTS)('%s stream: reports a frame over maxTelegramBytes as FRAME_TOO_LARGE, and reads on', async (transport) => {
    const big = encryptFrame(latin1(telegramText([`0-0:96.13.0(${'41'.repeat(3000)})`])), { key: KEY, frameCounter: 99 });
    const { telegrams, errors } = await decodeWith(transport, [concat([big, frames[0]!])], { decryption: { key: KEY }, maxTelegramBytes: 4096 });
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['FRAME_TOO_LARGE', 0]]);
    expect(telegrams.map((t) => t.encryption?.frameCounter)).toEqual([1]);
  });
});
