/**
 * parseDlms for all inputs: any list of registers with any integer type, scaler and unit reads
 * back as the exact decimal it stands for, whatever transport carries it; any changed bit of an
 * encrypted message is an error (its checksum, or its GCM tag when the checksum is forged too),
 * never a value.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DsmrError, parseDlms, type DlmsTelegram } from '../src/index.js';
import { array, dataNotification, hdlcMessage, mbusMessage, obis, scalerUnit, structure, type AxdrValue } from './helpers/dlms.js';
import { encryptFrame } from './helpers/encrypt.js';

/** The integer types of A-XDR with their ranges (64-bit ones as bigints). */
const registerArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((value): AxdrValue => ({ type: 'integer', tag: 0x06, value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value): AxdrValue => ({ type: 'integer', tag: 0x05, value })),
  fc.integer({ min: 0, max: 0xffff }).map((value): AxdrValue => ({ type: 'integer', tag: 0x12, value })),
  fc.integer({ min: -0x8000, max: 0x7fff }).map((value): AxdrValue => ({ type: 'integer', tag: 0x10, value })),
  fc.integer({ min: -128, max: 127 }).map((value): AxdrValue => ({ type: 'integer', tag: 0x0f, value })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value): AxdrValue => ({ type: 'long64', tag: 0x15, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): AxdrValue => ({ type: 'long64', tag: 0x14, value })),
);

/** Units with their symbols (IEC 62056-6-2). */
const UNITS: Record<number, string> = { 27: 'W', 29: 'var', 30: 'Wh', 32: 'varh', 33: 'A', 35: 'V', 44: 'Hz' };
const itemArb = fc.record({
  code: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 })),
  value: registerArb,
  scaler: fc.integer({ min: -6, max: 6 }),
  unit: fc.constantFrom(...Object.keys(UNITS).map(Number)),
});

/** `integer × 10^scaler` as decimal text, worked out here with BigInt arithmetic (not the library's formatter). */
function decimal(integer: bigint, scaler: number): string {
  if (scaler >= 0) return (integer * 10n ** BigInt(scaler)).toString();
  const unit = 10n ** BigInt(-scaler);
  const magnitude = integer < 0n ? -integer : integer;
  const fraction = (magnitude % unit).toString().padStart(-scaler, '0');
  return `${integer < 0n ? '-' : ''}${magnitude / unit}.${fraction}`;
}

const key = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
const authenticationKey = Buffer.from('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF', 'hex');
const systemTitle = Buffer.from('XYZ\x01\x02\x03\x04\x05', 'latin1');

/** Any A-XDR value tree: the shapes meters send and many they do not. */
const { value: anyValueArb } = fc.letrec<{ value: AxdrValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<AxdrValue>({ type: 'null' }),
    registerArb,
    fc.integer({ min: 0, max: 255 }).map((value): AxdrValue => ({ type: 'integer', tag: 0x16, value })),
    fc.uint8Array({ maxLength: 20 }).map((bytes): AxdrValue => ({ type: 'octet-string', bytes })),
    fc.constantFrom(6, 12).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })).map((bytes): AxdrValue => ({ type: 'octet-string', bytes })),
    fc.string({ maxLength: 12 }).map((text): AxdrValue => ({ type: 'visible-string', text: text.replace(/[^\x20-\x7e]/g, '?') })),
    fc.boolean().map((value): AxdrValue => ({ type: 'boolean', value })),
    fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes): AxdrValue => ({ type: 'date-time', bytes })),
    fc.array(tie('value'), { maxLength: 6 }).map((items): AxdrValue => ({ type: 'structure', items })),
    fc.array(tie('value'), { maxLength: 6 }).map((items): AxdrValue => ({ type: 'array', items })),
  ),
}));

describe('parseDlms', () => {
  test.prop([anyValueArb, fc.uint8Array({ minLength: 0, maxLength: 12 })])('reads any body, or says why with a DsmrError; nothing else escapes', async (body, time) => {
    const apdu = dataNotification(body, time.length === 12 ? time : null);
    const result: DlmsTelegram | unknown = await parseDlms(hdlcMessage(apdu, 500)).catch((error: unknown) => error);
    if (result instanceof Error) expect(result).toBeInstanceOf(DsmrError);
    else expect((result as DlmsTelegram).objects.every((o) => typeof o.obis === 'string' && o.values.length === 1)).toBe(true);
  });

  test.prop([fc.array(itemArb, { minLength: 1, maxLength: 30 }), fc.constantFrom('hdlc', 'mbus', 'apdu')])(
    'reads every register back as the exact decimal it stands for, whatever carries it',
    async (items, transport) => {
      const codeText = ([a, b, c, d, e]: readonly number[]): string => `${a}-${b}:${c}.${d}.${e}`;
      const body = array(...items.map(({ code, value, scaler, unit }) => structure(obis(codeText(code)), value, scalerUnit(scaler, unit))));
      const apdu = dataNotification(body);
      const bytes = transport === 'hdlc' ? hdlcMessage(apdu, 300) : transport === 'mbus' ? mbusMessage(apdu) : Uint8Array.from(apdu);
      const t = await parseDlms(bytes);
      expect(t.objects.map((o) => o.values[0])).toEqual(
        items.map(({ value, scaler, unit }) => ({ raw: decimal(BigInt((value as { value: number | bigint }).value), scaler), unit: UNITS[unit] })),
      );
      expect(t.objects.map((o) => o.obis)).toEqual(items.map(({ code }) => codeText(code)));
    },
  );

  test.prop([fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean()])(
    'a changed bit of an encrypted message is an error, never a value, even with its checksum forged',
    async (where, bit, forge) => {
      const plaintext = Uint8Array.from(dataNotification(array(structure(obis('1-0:1.7.0'), { type: 'integer', tag: 0x06, value: 1234 }, scalerUnit(0, 27)))));
      const apdu = encryptFrame(plaintext, { key, authenticationKey, systemTitle, securityControl: 0x30 });
      const changed = apdu.slice();
      const at = where % changed.length;
      changed[at] = changed[at]! ^ (1 << bit);
      // forged: the attacker fixes the frame's checksum up, so only the GCM tag can tell
      const bytes = forge ? mbusMessage(changed) : (() => {
        const frames = mbusMessage(apdu).slice();
        // the same bit in the framed bytes (after each frame's 7 header bytes)
        frames[7 + at] = frames[7 + at]! ^ (1 << bit);
        return frames;
      })();
      const result = await parseDlms(bytes, { decryption: { key, authenticationKey } }).then(
        (t) => t,
        (error: unknown) => error,
      );
      expect(result).toBeInstanceOf(DsmrError);
      expect(['CRC_MISMATCH', 'DECRYPTION', 'SYNTAX', 'AUTHENTICATION_REQUIRED', 'UNENCRYPTED_TELEGRAM']).toContain((result as DsmrError).code);
    },
  );
});
