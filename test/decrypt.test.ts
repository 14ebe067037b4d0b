import { afterEach, describe, expect, it, vi } from 'vitest';
import { DsmrError, createDecoder, decryptTelegram, parseTelegram, SMARTY_AUTHENTICATION_KEY } from '../src/index.js';
import { CAPTURES, captureBytes } from './helpers/captures.js';
import { encryptFrame } from './helpers/encrypt.js';
import { TRANSPORTS, concat, cut, decodeWith } from './helpers/streams.js';
import { APPENDIX_A1, latin1, telegramText } from './helpers/telegram.js';

const KEY = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
const OTHER_KEY = Buffer.from('0F0E0D0C0B0A09080706050403020100', 'hex');
const plaintext = latin1(APPENDIX_A1);

async function decryptionError(frame: Uint8Array, options: Parameters<typeof decryptTelegram>[1]): Promise<DsmrError> {
  try {
    await decryptTelegram(frame, options);
  } catch (error) {
    return error as DsmrError;
  }
  throw new Error('expected decryption to fail');
}

describe('decryptTelegram', () => {
  it('decrypts the test vector of the protocol notes (§7.4 A)', async () => {
    const frame = Buffer.from(
      'DB0853414710203040508200A4300000000110301AA2FA19E62760FCE3FAC8BC913CE7A1860DF280D447F7D2ADCCD14BC0E8BB08F3BE4C1E6799B9A1E6D1E23B' +
        '99B9CC99DFA40F46195CCF988ECC4AC80BB9C5B508469D63607657B678B1C017ABFBF3B06268C0B721761DBE72489B487CB2E0817BE5D636FED0F7B21F400751' +
        '7F9E3E2B723A77B82C4250879CFCA54C1BF4ED78F4C1EE5B3E960E4873D2315EC76770249E93C4B204EC1FA256DEF002D4',
      'hex',
    );
    const text = Buffer.from(await decryptTelegram(frame, { key: '000102030405060708090a0b0c0d0e0f' })).toString('latin1');
    expect(text).toBe(
      '/XYZ5\\2EXAMPLE-0001\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(240315143000W)\r\n1-0:1.8.0(001234.567*kWh)\r\n1-0:2.8.0(000123.456*kWh)\r\n1-0:1.7.0(00.450*kW)\r\n!948F\r\n',
    );
    expect(parseTelegram(text).electricity.imported.total).toBe(1234.567);
  });

  it('round-trips frames encrypted with node:crypto, keys as hex or bytes, every length form', async () => {
    for (const lengthForm of [0x82, 0x81, 'short'] as const) {
      const small = lengthForm === 0x82 ? plaintext : latin1(telegramText(['1-0:1.7.0(00.100*kW)']));
      const frame = encryptFrame(small, { key: KEY, lengthForm });
      expect(await decryptTelegram(frame, { key: KEY })).toEqual(small);
      expect(await decryptTelegram(frame, { key: KEY.toString('hex'), authenticationKey: SMARTY_AUTHENTICATION_KEY.toLowerCase() })).toEqual(small);
    }
  });

  it("decrypts frames encrypted without authentication (security byte 0x20) only with authentication: 'none'", async () => {
    const frame = encryptFrame(plaintext, { key: KEY, securityControl: 0x20 });
    expect(await decryptionError(frame, { key: KEY })).toMatchObject({ code: 'AUTHENTICATION_REQUIRED' });
    expect(await decryptTelegram(frame, { key: KEY, authentication: 'none' })).toEqual(plaintext);
  });

  it('rejects a wrong key, a wrong authentication key and a changed tag with DECRYPTION, and no plaintext', async () => {
    const frame = encryptFrame(plaintext, { key: KEY, authenticationKey: Buffer.alloc(16, 0xbb) });
    expect(await decryptTelegram(frame, { key: KEY, authenticationKey: Buffer.alloc(16, 0xbb) })).toEqual(plaintext);
    expect(await decryptionError(frame, { key: OTHER_KEY, authenticationKey: Buffer.alloc(16, 0xbb) })).toMatchObject({ code: 'DECRYPTION' });
    expect(await decryptionError(frame, { key: KEY })).toMatchObject({ code: 'DECRYPTION' });
    const tampered = frame.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    expect(await decryptionError(tampered, { key: KEY, authenticationKey: Buffer.alloc(16, 0xbb) })).toMatchObject({ code: 'DECRYPTION' });
    const changedText = frame.slice();
    changedText[40]! ^= 0x01;
    expect(await decryptionError(changedText, { key: KEY, authenticationKey: Buffer.alloc(16, 0xbb) })).toMatchObject({ code: 'DECRYPTION' });
  });

  it('rejects what is not an encrypted frame, or is cut off', async () => {
    expect(await decryptionError(plaintext, { key: KEY })).toMatchObject({ code: 'DECRYPTION' });
    const frame = encryptFrame(plaintext, { key: KEY });
    expect((await decryptionError(frame.subarray(0, 100), { key: KEY })).message).toContain('cut off');
  });

  it('rejects keys that are not 16 bytes with INVALID_OPTION', async () => {
    const frame = encryptFrame(plaintext, { key: KEY });
    expect(await decryptionError(frame, { key: 'ABCD' })).toMatchObject({ code: 'INVALID_OPTION' });
    expect(await decryptionError(frame, { key: 'Z'.repeat(32) })).toMatchObject({ code: 'INVALID_OPTION' });
    expect(await decryptionError(frame, { key: new Uint8Array(15) })).toMatchObject({ code: 'INVALID_OPTION' });
    expect(await decryptionError(frame, { key: KEY, authenticationKey: 'FF' })).toMatchObject({ code: 'INVALID_OPTION' });
  });

  it.each(CAPTURES.filter((c) => c.encrypted).map((c) => [c.file, c] as const))('decrypts the capture %s', async (_file, c) => {
    const frame = Buffer.from(Buffer.from(captureBytes(c.file)).toString('latin1').trim(), 'hex');
    const text = Buffer.from(await decryptTelegram(frame, { key: c.key!, authenticationKey: c.aad! })).toString('latin1');
    expect(text.startsWith(`/${c.expected.header}`)).toBe(true);
    expect(await decryptionError(frame, { key: c.key! })).toMatchObject({ code: 'DECRYPTION' });
  });
});

describe('decryptTelegram where WebCrypto refuses 96-bit GCM tags (Deno)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Deno's crypto.subtle.decrypt: AES-GCM only with 128-bit tags, else a TypeError. */
  function refuseShortTags(): { refused: number } {
    const counts = { refused: 0 };
    const decrypt = crypto.subtle.decrypt.bind(crypto.subtle);
    vi.spyOn(crypto.subtle, 'decrypt').mockImplementation((algorithm, key, data) => {
      if (typeof algorithm === 'object' && algorithm.name === 'AES-GCM' && (algorithm as AesGcmParams).tagLength !== 128) {
        counts.refused++;
        return Promise.reject(new TypeError('invalid tag length'));
      }
      return decrypt(algorithm, key, data);
    });
    return counts;
  }

  it('decrypts by checking the tag itself, and rejects what the native check rejects, with the same message', async () => {
    const authenticationKey = Buffer.alloc(16, 0xbb);
    const frame = encryptFrame(plaintext, { key: KEY, authenticationKey });
    const tampered = frame.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    const changedText = frame.slice();
    changedText[40]! ^= 0x01;
    const native = [
      await decryptionError(frame, { key: OTHER_KEY, authenticationKey }),
      await decryptionError(frame, { key: KEY }),
      await decryptionError(tampered, { key: KEY, authenticationKey }),
      await decryptionError(changedText, { key: KEY, authenticationKey }),
    ];

    const counts = refuseShortTags();
    expect(await decryptTelegram(frame, { key: KEY, authenticationKey })).toEqual(plaintext);
    expect(counts.refused).toBe(1);
    const fallback = [
      await decryptionError(frame, { key: OTHER_KEY, authenticationKey }),
      await decryptionError(frame, { key: KEY }),
      await decryptionError(tampered, { key: KEY, authenticationKey }),
      await decryptionError(changedText, { key: KEY, authenticationKey }),
    ];
    expect(counts.refused).toBe(5);
    expect(fallback.map((e) => [e.code, e.message])).toEqual(native.map((e) => [e.code, e.message]));
  });

  it('decrypts every encrypted capture', async () => {
    refuseShortTags();
    for (const c of CAPTURES.filter((capture) => capture.encrypted)) {
      const frame = Buffer.from(Buffer.from(captureBytes(c.file)).toString('latin1').trim(), 'hex');
      const text = Buffer.from(await decryptTelegram(frame, { key: c.key!, authenticationKey: c.aad! })).toString('latin1');
      expect(text.startsWith(`/${c.expected.header}`)).toBe(true);
    }
  });
});

describe.each(TRANSPORTS)('%s transport with decryption', (transport) => {
  const frames = [1, 2, 3].map((n) => encryptFrame(latin1(telegramText(['1-3:0.2.8(50)', `1-0:1.7.0(00.${n}00*kW)`])), { key: KEY, frameCounter: n }));
  const powers = (ts: { electricity: { power: { imported: number | null } } }[]) => ts.map((t) => t.electricity.power.imported);

  it('frames encrypted telegrams by their length header, however the bytes are cut', async () => {
    const bytes = concat(frames);
    for (const step of [1, 7, 100, 5000]) {
      const cuts = Array.from({ length: Math.ceil(bytes.length / step) }, (_, i) => i * step);
      const { telegrams, errors } = await decodeWith(transport, cut(bytes, cuts), { decryption: { key: KEY } });
      expect(errors).toEqual([]);
      expect(powers(telegrams)).toEqual([0.1, 0.2, 0.3]);
    }
  });

  it('skips garbage (including false DB 08 headers), reports a damaged frame, delivers the others', async () => {
    const damaged = frames[1]!.slice();
    damaged[60]! ^= 0xff;
    const falseHeader = Uint8Array.of(0xdb, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x82, 0x00, 0x40, 0x30, 0, 0, 0, 1, 9, 9);
    const { telegrams, errors, stats } = await decodeWith(transport, [concat([Uint8Array.of(1, 2, 3), frames[0]!, falseHeader, damaged, Uint8Array.of(0xdb), frames[2]!])], {
      decryption: { key: KEY },
    });
    expect(powers(telegrams)).toEqual([0.1, 0.3]);
    const codes = errors.map((e) => e.code);
    expect(codes.filter((c) => c === 'DECRYPTION').length).toBeGreaterThanOrEqual(1);
    const damagedOffset = 3 + frames[0]!.length + falseHeader.length;
    expect(errors.map((e) => e.frameOffset)).toContain(damagedOffset);
    if (stats !== null) expect(stats.telegrams).toBe(2);
  });

  it('reports a frame cut off by the end of the stream', async () => {
    const { telegrams, errors } = await decodeWith(transport, [concat([frames[0]!, frames[1]!.subarray(0, 50)])], { decryption: { key: KEY } });
    expect(powers(telegrams)).toEqual([0.1]);
    expect(errors.map((e) => e.code)).toEqual(['TRUNCATED']);
  });

  it('reports a wrong key for every frame, and parses the plaintext with the parse options', async () => {
    const wrong = await decodeWith(transport, [concat(frames)], { decryption: { key: OTHER_KEY } });
    expect(wrong.telegrams).toEqual([]);
    expect(wrong.errors.map((e) => e.code)).toEqual(['DECRYPTION', 'DECRYPTION', 'DECRYPTION']);
    const noCrc = encryptFrame(latin1(telegramText(['1-3:0.2.8(50)'], { crc: false })), { key: KEY });
    expect((await decodeWith(transport, [noCrc], { decryption: { key: KEY } })).errors.map((e) => e.code)).toEqual(['CRC_MISSING']);
    expect((await decodeWith(transport, [noCrc], { decryption: { key: KEY }, verifyCrc: false })).telegrams).toHaveLength(1);
  });
});

describe('createDecoder with decryption (its code loads with the first chunk)', () => {
  const frames = [1, 2, 3].map((frameCounter) => encryptFrame(plaintext, { key: KEY, frameCounter }));

  it('checks the keys when it is made, not when the first chunk comes', () => {
    expect(() => createDecoder({ decryption: { key: 'zz' } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => createDecoder({ decryption: { key: KEY }, maxTelegramBytes: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('keeps the order of chunks pushed before its code has loaded, and counts from zero', async () => {
    const decoder = createDecoder({ decryption: { key: KEY } });
    expect(decoder.stats).toEqual({ telegrams: 0, invalid: 0, skippedBytes: 0, bytes: 0 });
    const stream = concat(frames);
    // three pushes in flight at once, the first before anything has loaded
    const pending = [decoder.push(stream.subarray(0, 20)), decoder.push(stream.subarray(20, stream.length - 5)), decoder.push(stream.subarray(stream.length - 5))];
    const items = (await Promise.all(pending)).flat();
    items.push(...(await decoder.flush()));
    expect(items.map((i) => i.telegram?.encryption?.frameCounter)).toEqual([1, 2, 3]);
    expect(decoder.stats).toMatchObject({ telegrams: 3, bytes: stream.length });
  });
});
