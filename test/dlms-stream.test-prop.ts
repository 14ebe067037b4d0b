/**
 * DLMS through the streams, for all inputs: messages built by the tests' encoder, with garbage
 * between them and cut anywhere, come out every one, in order, with the values they were built
 * with; a changed byte costs its own message only and never gives a wrong value; `protocol:
 * 'auto'` (the default) tells DLMS from DSMR by the bytes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DsmrError, createDecoder, formatTelegram, type DecoderOptions } from '../src/index.js';
import { LLC, dataNotification, hdlcFrame, mbusFrame, obis, scalerUnit, structure, u32 } from './helpers/dlms.js';
import { encryptFrame } from './helpers/encrypt.js';
import { TRANSPORTS, concat, cut, decodeWith } from './helpers/streams.js';

const W = 27;
const V = 35;

/** One message: active power in W and a voltage in tenths of a volt, as an Aidon list says them. */
interface Reading {
  watts: number;
  decivolts: number;
}
const readingArb: fc.Arbitrary<Reading> = fc.record({ watts: fc.integer({ min: 0, max: 0xffffffff }), decivolts: fc.integer({ min: 0, max: 0xffff }) });

function apduOf(r: Reading): number[] {
  return dataNotification({
    type: 'array',
    items: [structure(obis('1-0:1.7.0'), u32(r.watts), scalerUnit(0, W)), structure(obis('1-0:32.7.0'), { type: 'integer', tag: 0x12, value: r.decivolts }, scalerUnit(-1, V))],
  });
}

/** A message in one HDLC frame, in segments, or in M-Bus frames. */
type Wrapping = 'hdlc' | 'segments' | 'mbus';
function wrap(apdu: number[], how: Wrapping): Uint8Array {
  if (how === 'hdlc') return hdlcFrame([...LLC, ...apdu]);
  if (how === 'mbus') return concat([mbusFrame(apdu.slice(0, 9), false, 0), mbusFrame(apdu.slice(9), true, 1)]);
  const message = [...LLC, ...apdu];
  return concat([hdlcFrame(message.slice(0, 11), { segmented: true }), hdlcFrame(message.slice(11))]);
}

/** What a reading reads as in the typed view, computed here from the integers. */
const expected = (r: Reading) => ({ power: r.watts / 1000, voltage: r.decivolts / 10 });
const typed = (t: { electricity: { power: { imported: number | null }; phases: { voltage: number | null }[] } }) => ({ power: t.electricity.power.imported, voltage: t.electricity.phases[0]?.voltage ?? null });

/** Garbage that starts no frame of either transport: no 7E, 68, DB or `/`. */
const garbageArb = fc.uint8Array({ maxLength: 40 }).map((bytes) => bytes.map((b) => (b === 0x7e || b === 0x68 || b === 0xdb || b === 0x2f ? 0x55 : b)));

describe('DLMS streams', () => {
  test.prop([fc.array(fc.tuple(readingArb, garbageArb), { minLength: 1, maxLength: 6 }), fc.constantFrom<Wrapping>('hdlc', 'segments', 'mbus'), fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom(...TRANSPORTS)])(
    'deliver every message, in order, through garbage and any chunking',
    async (messages, how, cuts, transport) => {
      // one transport a stream: a meter's port speaks one
      const bytes = concat(messages.flatMap(([r, garbage]) => [garbage, wrap(apduOf(r), how)]));
      const { telegrams, errors } = await decodeWith(transport, cut(bytes, cuts));
      expect(errors).toEqual([]);
      expect(telegrams.map(typed)).toEqual(messages.map(([r]) => expected(r)));
      expect(telegrams.every((t) => t.protocol === 'dlms' && t.dlms.transport === (how === 'mbus' ? 'mbus' : 'hdlc'))).toBe(true);
    },
  );

  test.prop([fc.array(fc.tuple(readingArb, fc.uint8Array({ maxLength: 60 })), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 })])(
    'with protocol: dlms, any noise at all between frames (7E and 68 included) costs no frame',
    async (messages, cuts) => {
      const bytes = concat(messages.flatMap(([r, noise]) => [noise, wrap(apduOf(r), 'hdlc')]));
      const { telegrams } = await decodeWith('iterator', cut(bytes, cuts), { protocol: 'dlms' });
      expect(telegrams.map(typed)).toEqual(messages.map(([r]) => expected(r)));
    },
  );

  test.prop([fc.array(readingArb, { minLength: 2, maxLength: 5 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.array(fc.nat(), { maxLength: 5 })])(
    'a changed byte costs at most its own message, and never gives a wrong value',
    async (readings, where, delta, cuts) => {
      const frames = readings.map((r) => wrap(apduOf(r), 'hdlc'));
      const bytes = concat(frames);
      const at = where % bytes.length;
      bytes[at] = bytes[at]! ^ delta;
      const { telegrams, errors } = await decodeWith('iterator', cut(bytes, cuts), { protocol: 'dlms' });
      // each telegram is one of the messages sent, in order, with its values
      const sent = readings.map(expected);
      let next = 0;
      for (const t of telegrams) {
        const k = sent.findIndex((s, i) => i >= next && s.power === typed(t).power && s.voltage === typed(t).voltage);
        expect(k).toBeGreaterThanOrEqual(0);
        next = k + 1;
      }
      expect(telegrams.length).toBeGreaterThanOrEqual(readings.length - 2);
      for (const error of errors) expect(error).toBeInstanceOf(DsmrError);
    },
  );

  it('reports a damaged frame with CRC_MISMATCH and reads the next', async () => {
    const frames = [1, 2, 3].map((watts) => wrap(apduOf({ watts, decivolts: 2300 }), 'hdlc'));
    const damaged = frames[1]!.slice();
    damaged[20] = damaged[20]! ^ 0x10;
    const { telegrams, errors } = await decodeWith('node', [concat([frames[0]!, damaged, frames[2]!])]);
    expect(telegrams.map((t) => t.electricity.power.imported)).toEqual([0.001, 0.003]);
    expect(errors.map((e) => [e.code, e.frameOffset])).toEqual([['CRC_MISMATCH', frames[0]!.length]]);
  });

  it('tells DLMS from DSMR by the bytes, and DSMR streams read as before', async () => {
    const dsmr = formatTelegram({ header: 'XXX5TEST', objects: [{ obis: '1-0:1.7.0', values: [{ raw: '00.123', unit: 'kW' }] }] });
    for (const transport of TRANSPORTS) {
      const text = await decodeWith(transport, [dsmr]);
      expect(text.telegrams.map((t) => [t.protocol, t.electricity.power.imported])).toEqual([['dsmr', 0.123]]);
      const binary = await decodeWith(transport, [wrap(apduOf({ watts: 123, decivolts: 0 }), 'hdlc')]);
      expect(binary.telegrams.map((t) => [t.protocol, t.electricity.power.imported])).toEqual([['dlms', 0.123]]);
    }
    // a stated protocol reads only that one
    expect((await decodeWith('iterator', [dsmr], { protocol: 'dlms' })).telegrams).toEqual([]);
    expect((await decodeWith('iterator', [wrap(apduOf({ watts: 1, decivolts: 0 }), 'hdlc')], { protocol: 'dsmr' })).telegrams).toEqual([]);
    expect(() => createDecoder({ protocol: 'modbus' } as unknown as DecoderOptions)).toThrow(/protocol must be/);
  });

  it('says once that encrypted messages need a key, and that plain ones are not read with one', async () => {
    const key = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
    const authenticationKey = Buffer.from('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF', 'hex');
    const systemTitle = Buffer.from('KFM\x10\x10\x00\x00\x23', 'latin1');
    const encrypted = [1, 2, 3].map((watts) => hdlcFrame([...LLC, ...encryptFrame(Uint8Array.from(apduOf({ watts, decivolts: 0 })), { key, authenticationKey, systemTitle, frameCounter: watts })]));
    const without = await decodeWith('web', encrypted);
    expect(without.telegrams).toEqual([]);
    expect(without.errors.map((e) => e.code)).toEqual(['ENCRYPTED_NO_KEY']);
    expect(without.stats?.invalid).toBe(3);
    const withKeys = await decodeWith('web', encrypted, { decryption: { key, authenticationKey } });
    expect(withKeys.telegrams.map((t) => [t.electricity.power.imported, t.encryption?.frameCounter])).toEqual([
      [0.001, 1],
      [0.002, 2],
      [0.003, 3],
    ]);
    const plain = await decodeWith('web', [1, 2].map((watts) => wrap(apduOf({ watts, decivolts: 0 }), 'hdlc')), { decryption: { key, authenticationKey } });
    expect(plain.telegrams).toEqual([]);
    expect(plain.errors.map((e) => e.code)).toEqual(['UNENCRYPTED_TELEGRAM']);
  });

  it('holds a bounded number of bytes for a message whose segments never end', async () => {
    const segment = hdlcFrame([...LLC, ...Array.from({ length: 200 }, () => 0x11)], { segmented: true });
    const { errors } = await decodeWith('iterator', Array.from({ length: 100 }, () => segment), { protocol: 'dlms', maxTelegramBytes: 4096 });
    expect(errors.map((e) => e.code)).toContain('FRAME_TOO_LARGE');
    expect(errors.length).toBeLessThanOrEqual(6);
  });
});
