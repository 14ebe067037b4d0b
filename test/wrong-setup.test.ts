/**
 * The input does not match the setup: encrypted frames without a key, plain telegrams with one.
 * Said once a stream, with what to do, instead of skipping everything in silence.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { TelegramDecoder } from '../src/index.js';
import { encryptFrame } from './helpers/encrypt.js';
import { TRANSPORTS, concat, cut, decodeWith } from './helpers/streams.js';
import { APPENDIX_A1, latin1 } from './helpers/telegram.js';

const KEY = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
const plaintext = latin1(APPENDIX_A1);
const frames = [1, 2, 3].map((frameCounter) => encryptFrame(plaintext, { key: KEY, frameCounter }));
const encrypted = concat([latin1('noise\r\n'), ...frames]);
const plain = concat([plaintext, plaintext, plaintext]);

describe('encrypted frames without a key', () => {
  it.each(TRANSPORTS)('%s stream: one ENCRYPTED_NO_KEY report naming the key, at the first frame', async (transport) => {
    const { telegrams, errors, stats } = await decodeWith(transport, [encrypted]);
    expect(telegrams).toEqual([]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['ENCRYPTED_NO_KEY', 7]]);
    expect(errors[0]!.message).toMatch(/key/);
    if (stats !== null) expect(stats.invalid).toBe(1);
  });

  test.prop([fc.array(fc.nat(), { maxLength: 30 })])('said once however the bytes are cut', (cuts) => {
    const decoder = new TelegramDecoder();
    const items = [...cut(encrypted, cuts).flatMap((chunk) => decoder.push(chunk)), ...decoder.flush()];
    expect(items.map((i) => [i.error?.code, i.error?.frameOffset])).toEqual([['ENCRYPTED_NO_KEY', 7]]);
  });

  it('said with one byte at a time too', () => {
    const decoder = new TelegramDecoder();
    const codes: string[] = [];
    for (const byte of encrypted) for (const item of decoder.push(Uint8Array.of(byte))) codes.push(item.error!.code);
    expect(codes).toEqual(['ENCRYPTED_NO_KEY']);
  });

  it('is not said for plain telegrams, nor for garbage holding DB 08 without a plausible header', async () => {
    const garbage = Uint8Array.from({ length: 4000 }, (_, i) => (i % 37 === 0 ? 0xdb : i % 37 === 1 ? 0x08 : (i * 7919) & 0xff));
    const { telegrams, errors } = await decodeWith('iterator', [garbage, plain]);
    expect(telegrams).toHaveLength(3);
    expect(errors.map((e) => e.code)).not.toContain('ENCRYPTED_NO_KEY');
  });
});

describe('plain telegrams with a key', () => {
  it.each(TRANSPORTS)('%s stream: one UNENCRYPTED_TELEGRAM report, and no telegram read without authentication', async (transport) => {
    const { telegrams, errors } = await decodeWith(transport, [plain], { decryption: { key: KEY } });
    expect(telegrams).toEqual([]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['UNENCRYPTED_TELEGRAM', 0]]);
    expect(errors[0]!.message).toMatch(/leave out the key/);
  });

  it('is not said once frames decrypt, nor when the key is right', async () => {
    const { telegrams, errors } = await decodeWith('iterator', [encrypted, plain], { decryption: { key: KEY } });
    expect(telegrams).toHaveLength(3);
    expect(errors).toEqual([]);
  });
});
