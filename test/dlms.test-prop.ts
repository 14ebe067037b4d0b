/**
 * DLMS/COSEM, step 1: CRC-16/X-25, the HDLC framer and A-XDR decoding, for all inputs: round
 * trips, any chunking, garbage between frames, a changed byte, and bytes that are no data at all.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeData, type DlmsValue } from '../src/core/dlms/axdr.js';
import { crc16x25 } from '../src/core/dlms/crc16x25.js';
import type { FramerEvent } from '../src/core/dlms/framer.js';
import { HdlcFramer, HdlcMessages } from '../src/core/dlms/hdlc.js';
import { listItems, scaledText } from '../src/core/dlms/list.js';
import { MbusFramer, MbusMessages } from '../src/core/dlms/mbus.js';
import { BlockTransfer, readDataNotification, readDateTime } from '../src/core/dlms/notification.js';
import { decryptFrame } from '../src/core/crypto/decrypt.js';
import { DLMS_CIPHERING } from '../src/core/crypto/frame-header.js';
import { decryptionKeys } from '../src/core/crypto/keys.js';
import { DsmrError } from '../src/index.js';
import { encryptFrame } from './helpers/encrypt.js';
import { LLC, crcX25Bitwise, encodeData, hdlcFrame, mbusFrame } from './helpers/dlms.js';
import { concat, cut } from './helpers/streams.js';

describe('crc16x25', () => {
  it('has the check value of CRC-16/X-25', () => {
    expect(crc16x25(new TextEncoder().encode('123456789'))).toBe(0x906e);
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('equals the bitwise reference for any bytes', (bytes) => {
    expect(crc16x25(bytes)).toBe(crcX25Bitwise(bytes));
  });
});

/** Runs the framer over chunks; the frames' information fields and the error codes, in order. */
function frame(chunks: readonly Uint8Array[]): { frames: number[][]; errors: string[]; events: FramerEvent[] } {
  const framer = new HdlcFramer();
  const events = [...chunks.flatMap((chunk) => framer.push(chunk)), ...framer.flush()];
  return {
    frames: events.flatMap((e) => (e.type === 'frame' ? [[...e.frame.payload]] : [])),
    errors: events.flatMap((e) => (e.type === 'error' ? [e.error.code] : [])),
    events,
  };
}

/** Garbage that holds no flag, so it cannot open a frame. */
const garbageArb = fc.uint8Array({ maxLength: 40 }).map((bytes) => bytes.map((b) => (b === 0x7e ? 0x7d : b)));
/** Garbage rich in flags and frame-format bytes (`7E A…`): false frame starts of every length. */
const trickyGarbageArb = fc
  .array(fc.oneof(fc.constantFrom(0x7e, 0xa0, 0xa1, 0xa8, 0x07, 0x13), fc.integer({ min: 0, max: 255 })), { maxLength: 40 })
  .map((bytes) => Uint8Array.from(bytes));
const infoArb = fc.uint8Array({ minLength: 1, maxLength: 120 });

describe('HdlcFramer', () => {
  test.prop([fc.array(fc.tuple(garbageArb, infoArb), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 })])(
    'finds every frame between any garbage, however the bytes are cut',
    (items, cuts) => {
      const stream = concat(items.flatMap(([garbage, info]) => [garbage, hdlcFrame(info)]));
      const { frames, errors } = frame(cut(stream, cuts));
      expect(frames).toEqual(items.map(([, info]) => [...info]));
      expect(errors).toEqual([]);
    },
  );

  test.prop([fc.array(fc.tuple(trickyGarbageArb, infoArb), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 })])(
    'false frame starts in the garbage (flags, `7E A…` claiming any length) cost no frame',
    (items, cuts) => {
      const stream = concat(items.flatMap(([garbage, info]) => [garbage, hdlcFrame(info)]));
      const { frames, events } = frame(cut(stream, cuts));
      expect(frames).toEqual(items.map(([, info]) => [...info]));
      for (const event of events) if (event.type === 'error') expect(event.error).toBeInstanceOf(DsmrError);
    },
  );

  test.prop([fc.array(infoArb, { minLength: 2, maxLength: 5 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.array(fc.nat(), { maxLength: 10 })])(
    'a changed byte in one frame never gives a wrong frame: that frame is reported or skipped, every other one comes',
    (infos, which, xor, cuts) => {
      const frames = infos.map((info) => hdlcFrame(info));
      const hit = which % frames.length;
      const damaged = frames[hit]!.slice();
      // a byte between the flags: the format, an address, the HCS, the information or the FCS
      const at = 1 + ((which >> 3) % (damaged.length - 2));
      damaged[at]! ^= xor;
      const result = frame(cut(concat(frames.map((f, i) => (i === hit ? damaged : f))), cuts));
      const others = infos.filter((_, i) => i !== hit).map((info) => [...info]);
      // every good frame, in order, and nothing that is not one of the frames sent
      expect(result.frames.filter((f) => others.some((o) => o.length === f.length && o.every((b, i) => b === f[i])))).toEqual(others);
      expect(result.frames).toHaveLength(others.length);
      for (const event of result.events) if (event.type === 'error') expect(event.error).toBeInstanceOf(DsmrError);
    },
  );

  it('says CRC_MISMATCH for a frame whose FCS fails, TRUNCATED for one cut off at the end', () => {
    const good = hdlcFrame([1, 2, 3]);
    const bad = good.slice();
    bad[bad.length - 4]! ^= 0x01;
    expect(frame([bad, good]).errors).toEqual(['CRC_MISMATCH']);
    expect(frame([bad, good]).frames).toEqual([[1, 2, 3]]);
    const cutOff = frame([good, good.subarray(0, 9)]);
    expect(cutOff).toMatchObject({ frames: [[1, 2, 3]], errors: ['TRUNCATED'] });
  });

  it('reads a closing flag that opens the next frame, frames without information, and stream offsets', () => {
    const a = hdlcFrame([0x0f, 1]);
    const b = hdlcFrame([]);
    const c = hdlcFrame([0x0f, 2]);
    const shared = concat([a, b.subarray(1), c.subarray(1)]);
    const { events } = frame([Uint8Array.of(0, 0), shared]);
    expect(events.map((e) => (e.type === 'frame' ? [e.frame.offset, [...e.frame.payload]] : e.error.code))).toEqual([
      [2, [0x0f, 1]],
      [2 + a.length - 1, []],
      [2 + a.length + b.length - 2, [0x0f, 2]],
    ]);
  });

  test.prop([fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 30 })])('takes any bytes: only DsmrErrors, and never holds more than a frame', (bytes, cuts) => {
    const framer = new HdlcFramer();
    for (const chunk of cut(bytes, cuts)) {
      for (const event of framer.push(chunk)) if (event.type === 'error') expect(event.error).toBeInstanceOf(DsmrError);
      expect((framer as unknown as { end: number; start: number }).end - (framer as unknown as { start: number }).start).toBeLessThanOrEqual(2050 + chunk.length);
    }
    for (const event of framer.flush()) if (event.type === 'error') expect(event.error).toBeInstanceOf(DsmrError);
  });
});

describe('HdlcMessages', () => {
  test.prop([fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 5 })])(
    'joins the segments of a message and strips its LLC header',
    (apdu, sizes) => {
      const message = Uint8Array.from([...LLC, ...apdu]);
      const parts: Uint8Array[] = [];
      let at = 0;
      for (const size of sizes) {
        if (at + size >= message.length) break;
        parts.push(message.subarray(at, at + size));
        at += size;
      }
      parts.push(message.subarray(at));
      const frames = parts.map((part, i) => hdlcFrame(part, { segmented: i < parts.length - 1 }));
      const messages = new HdlcMessages();
      const out = frame(frames).events.flatMap((e) => (e.type === 'frame' ? [messages.add(e.frame)] : []));
      expect(out.slice(0, -1).every((m) => m === null)).toBe(true);
      expect([...out.at(-1)!]).toEqual([...apdu]);
    },
  );
});

const bytesArb = (size: number) => fc.uint8Array({ minLength: size, maxLength: size });
const valueArb: fc.Arbitrary<DlmsValue> = fc.letrec<{ value: DlmsValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<DlmsValue>({ type: 'null' }),
    fc.boolean().map((value): DlmsValue => ({ type: 'boolean', value })),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x05, value })),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x06, value })),
    fc.integer({ min: -128, max: 127 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x0f, value })),
    fc.integer({ min: -32768, max: 32767 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x10, value })),
    fc.integer({ min: 0, max: 255 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x11, value })),
    fc.integer({ min: 0, max: 65535 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x12, value })),
    fc.integer({ min: 0, max: 255 }).map((value): DlmsValue => ({ type: 'integer', tag: 0x16, value })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): DlmsValue => ({ type: 'long64', tag: 0x14, value })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value): DlmsValue => ({ type: 'long64', tag: 0x15, value })),
    fc.double({ noNaN: true }).map((value): DlmsValue => ({ type: 'float', tag: 0x18, value })),
    fc.uint8Array({ maxLength: 300 }).map((bytes): DlmsValue => ({ type: 'octet-string', bytes })),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }).map((text): DlmsValue => ({ type: 'visible-string', text })),
    fc.string({ maxLength: 20 }).map((text): DlmsValue => ({ type: 'utf8-string', text })),
    bytesArb(12).map((bytes): DlmsValue => ({ type: 'date-time', bytes })),
    fc.array(tie('value'), { maxLength: 5 }).map((items): DlmsValue => ({ type: 'array', items })),
    fc.array(tie('value'), { maxLength: 5 }).map((items): DlmsValue => ({ type: 'structure', items })),
  ),
})).value;

/** Values as plain data, to compare (typed arrays as number lists). */
const plain = (value: DlmsValue): unknown => JSON.parse(JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? [...v] : typeof v === 'bigint' ? `${v}n` : v)));

describe('decodeData (A-XDR)', () => {
  test.prop([valueArb])('decodes what the encoder wrote, to its last byte', (value) => {
    const bytes = Uint8Array.from(encodeData(value));
    const { value: decoded, end } = decodeData(bytes);
    expect(plain(decoded)).toEqual(plain(value));
    expect(end).toBe(bytes.length);
  });

  test.prop([valueArb, fc.nat()])('a value cut short is a SYNTAX error, never a value or another error', (value, at) => {
    const bytes = Uint8Array.from(encodeData(value));
    const short = bytes.subarray(0, at % bytes.length);
    expect(() => decodeData(short)).toThrow(expect.objectContaining({ name: 'DsmrError', code: 'SYNTAX' }));
  });

  test.prop([fc.uint8Array({ maxLength: 200 })])('any bytes: a value or a DsmrError', (bytes) => {
    try {
      decodeData(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(DsmrError);
    }
  });

  it('bounds nesting, so crafted input cannot exhaust the stack', () => {
    // an array of one array of one array … (tag 01, length 01), far deeper than any meter's list
    const deep = new Uint8Array(100_000).fill(0x01);
    expect(() => decodeData(deep)).toThrow(expect.objectContaining({ code: 'SYNTAX', message: expect.stringContaining('nested deeper') }));
  });
});

const obis = (a: number, b: number, c: number, d: number, e: number, f = 255): DlmsValue => ({ type: 'octet-string', bytes: Uint8Array.of(a, b, c, d, e, f) });
const u32 = (value: number): DlmsValue => ({ type: 'integer', tag: 0x06, value });
const scalerUnitOf = (scaler: number, unit: number): DlmsValue => ({ type: 'structure', items: [{ type: 'integer', tag: 0x0f, value: scaler }, { type: 'integer', tag: 0x16, value: unit }] });
const dateTimeBytes = (year: number, month: number, day: number, hour: number, minute: number, second: number, deviation: number, status: number) =>
  Uint8Array.of(year >> 8, year & 0xff, month, day, 0xff, hour, minute, second, 0xff, (deviation >> 8) & 0xff, deviation & 0xff, status);

describe('data-notification', () => {
  test.prop([fc.nat({ max: 2 ** 32 - 1 }), fc.constantFrom('absent', 'octet-string', 'bare'), valueArb])('reads the invoke id, the date-time in each form, and the body', (invokeId, form, body) => {
    const stamp = dateTimeBytes(2024, 6, 1, 12, 30, 5, -120, 0x80);
    const time = form === 'absent' ? [0x00] : form === 'octet-string' ? [0x09, 0x0c, ...stamp] : [0x0c, ...stamp];
    const apdu = Uint8Array.from([0x0f, invokeId >>> 24, (invokeId >>> 16) & 0xff, (invokeId >>> 8) & 0xff, invokeId & 0xff, ...time, ...encodeData(body)]);
    const notification = readDataNotification(apdu);
    expect(notification.invokeId).toBe(invokeId);
    expect(plain(notification.body)).toEqual(plain(body));
    expect(notification.dateTime).toEqual(form === 'absent' ? null : { year: 2024, month: 6, day: 1, hour: 12, minute: 30, second: 5, hundredths: null, deviation: -120, status: 0x80 });
  });

  it('reads "not specified" in a date-time as null, and refuses what is not a data-notification', () => {
    expect(readDateTime(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00, 0xff))).toEqual({
      year: null, month: null, day: null, hour: null, minute: null, second: null, hundredths: null, deviation: null, status: null,
    });
    expect(() => readDataNotification(Uint8Array.of(0xdb, 0x08))).toThrow(expect.objectContaining({ code: 'SYNTAX', message: expect.stringContaining('0xdb') }));
    expect(() => readDataNotification(Uint8Array.of(0x0f, 0, 0, 0, 1, 0x00, 0x11, 5, 0xff))).toThrow(expect.objectContaining({ code: 'SYNTAX', message: expect.stringContaining('1 bytes after') }));
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 700 }), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 6 })])('general-block-transfer blocks join into the APDU they carry', (apdu, sizes) => {
    const blocks: Uint8Array[] = [];
    let at = 0;
    for (const size of [...sizes, apdu.length]) {
      if (at >= apdu.length) break;
      const part = apdu.subarray(at, Math.min(apdu.length, at + size));
      at += part.length;
      const last = at >= apdu.length;
      const length = part.length < 0x80 ? [part.length] : part.length < 0x100 ? [0x81, part.length] : [0x82, part.length >> 8, part.length & 0xff];
      blocks.push(Uint8Array.from([0xe0, last ? 0xc0 : 0x40, 0, blocks.length + 1, 0, 0, ...length, ...part]));
    }
    const transfer = new BlockTransfer();
    const out = blocks.map((block) => transfer.add(block));
    expect(out.slice(0, -1).every((o) => o === null)).toBe(true);
    expect([...out.at(-1)!]).toEqual([...apdu]);
    // a block missing: TRUNCATED, and the next message starts afresh
    if (blocks.length > 2) {
      const again = new BlockTransfer();
      again.add(blocks[0]!);
      expect(() => again.add(blocks[2]!)).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
      expect([...blocks.map((b) => again.add(b)).at(-1)!]).toEqual([...apdu]);
    }
  });
});

describe('listItems', () => {
  it('reads a list of objects with scaler and unit (as Aidon sends)', () => {
    const body: DlmsValue = {
      type: 'array',
      items: [
        { type: 'structure', items: [obis(1, 1, 0, 2, 129), { type: 'visible-string', text: 'LIST_V1' }] },
        { type: 'structure', items: [obis(1, 0, 1, 7, 0), u32(1362), scalerUnitOf(0, 27)] },
        { type: 'structure', items: [obis(1, 0, 32, 7, 0), { type: 'integer', tag: 0x12, value: 2303 }, scalerUnitOf(-1, 35)] },
      ],
    };
    const { shape, items } = listItems(body);
    expect(shape).toBe('objects');
    expect(items.map((i) => [i.obis, i.scaler, i.unit])).toEqual([['1-1:0.2.129', null, null], ['1-0:1.7.0', 0, 27], ['1-0:32.7.0', -1, 35]]);
    expect(scaledText((items[2]!.value as { value: number }).value, items[2]!.scaler!)).toBe('230.3');
    expect([scaledText(2500, -1), scaledText(2500, 2), scaledText(0, 3), scaledText(-5, -3), scaledText(2n ** 64n - 1n, -3)]).toEqual(['250.0', '250000', '0', '-0.005', '18446744073709551.615']);
  });

  it('reads name–value runs with a list id among them (as Kamstrup sends), skipping null padding', () => {
    const body: DlmsValue = { type: 'structure', items: [{ type: 'visible-string', text: 'Kamstrup_V0001' }, obis(1, 1, 1, 7, 0), u32(1468), { type: 'null' }, obis(1, 1, 32, 7, 0), { type: 'integer', tag: 0x12, value: 230 }] };
    const { shape, items } = listItems(body);
    expect(shape).toBe('pairs');
    expect(items.map((i) => [i.obis, i.value.type])).toEqual([[null, 'visible-string'], ['1-1:1.7.0', 'integer'], ['1-1:32.7.0', 'integer']]);
  });

  it('reads a push list by its capture objects, without the push setup itself', () => {
    const capture = (classId: number, name: DlmsValue): DlmsValue => ({ type: 'structure', items: [{ type: 'integer', tag: 0x12, value: classId }, name, { type: 'integer', tag: 0x0f, value: 2 }, { type: 'integer', tag: 0x12, value: 0 }] });
    const captures: DlmsValue = { type: 'array', items: [capture(40, obis(0, 0, 25, 9, 0)), capture(1, obis(0, 0, 42, 0, 0)), capture(3, obis(1, 1, 1, 8, 0))] };
    const body: DlmsValue = { type: 'structure', items: [captures, { type: 'octet-string', bytes: new TextEncoder().encode('XYZ1') }, u32(15207)] };
    const { shape, items } = listItems(body);
    expect(shape).toBe('push');
    expect(items.map((i) => [i.obis, i.classId])).toEqual([['0-0:42.0.0', 1], ['1-1:1.8.0', 3]]);
  });

  it('keeps a list of values only, by position, without names', () => {
    const { shape, items } = listItems({ type: 'structure', items: [{ type: 'visible-string', text: 'KFM_001' }, u32(1), u32(2)] });
    expect(shape).toBe('values');
    expect(items.map((i) => i.obis)).toEqual([null, null, null]);
  });

  test.prop([fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.integer({ min: -9, max: 9 })])('scaledText is the integer with the decimal point moved, every digit kept', (integer, scaler) => {
    const text = scaledText(integer, scaler);
    const digits = text.replace('-', '').replace('.', '').replace(/^0+(?=\d)/, '');
    const unsigned = (integer < 0n ? -integer : integer).toString();
    expect(digits).toBe(scaler >= 0 ? (integer === 0n ? '0' : unsigned + '0'.repeat(scaler)) : unsigned.padStart(-scaler + 1, '0').replace(/^0+(?=\d)/, ''));
    expect(text.includes('.')).toBe(scaler < 0);
    if (scaler < 0) expect(text.split('.')[1]).toHaveLength(-scaler);
    expect(text.startsWith('-')).toBe(integer < 0n);
  });
});

describe('MbusFramer and MbusMessages', () => {
  const partArb = fc.uint8Array({ minLength: 1, maxLength: 200 });

  /** garbage with start bytes and lengths: false frame starts (68 L L 68 needs more luck) */
  const mbusGarbageArb = fc.array(fc.oneof(fc.constantFrom(0x68, 0x16, 0x10, 0x05), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }).map((b) => Uint8Array.from(b));

  test.prop([fc.array(fc.tuple(mbusGarbageArb, fc.array(partArb, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 20 })])(
    'joins the frames of each message between any garbage, however the bytes are cut',
    (messages, cuts) => {
      const stream = concat(messages.flatMap(([garbage, parts]) => [garbage, ...parts.map((part, i) => mbusFrame(part, i === parts.length - 1, i))]));
      const framer = new MbusFramer();
      const joiner = new MbusMessages();
      const events = [...cut(stream, cuts).flatMap((chunk) => framer.push(chunk)), ...framer.flush()];
      const apdus = events.flatMap((e) => (e.type === 'frame' ? [joiner.add(e.frame)] : [])).filter((a) => a !== null);
      expect(apdus.map((a) => [...a!])).toEqual(messages.map(([, parts]) => parts.flatMap((part) => [...part])));
      for (const event of events) if (event.type === 'error') expect(event.error).toBeInstanceOf(DsmrError);
    },
  );

  it('says CRC_MISMATCH for a frame whose checksum fails, and reads the next one', () => {
    const good = mbusFrame([1, 2, 3]);
    const bad = good.slice();
    bad[8]! ^= 0x40;
    const framer = new MbusFramer();
    const events = [...framer.push(concat([bad, good])), ...framer.flush()];
    expect(events.map((e) => (e.type === 'frame' ? [...e.frame.payload] : e.error.code))).toEqual(['CRC_MISMATCH', [0x01, 0x67, 1, 2, 3]]);
  });
});

describe('general-glo-ciphering of DLMS APDUs', () => {
  const key = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
  const keys = decryptionKeys({ key });
  const apdu = Uint8Array.from([0x0f, 0, 0, 0, 1, 0x00, ...encodeData({ type: 'integer', tag: 0x06, value: 1362 })]);

  it('decrypts security suites 0 and 1 for DLMS, and checks the tag of both', async () => {
    for (const securityControl of [0x30, 0x31] as const) {
      const frame = encryptFrame(apdu, { key, securityControl, systemTitle: Buffer.from('KFM\x10\x10\x00\x00\x23', 'latin1') });
      const { plaintext, encryption } = await decryptFrame(frame, keys, DLMS_CIPHERING);
      expect([...plaintext]).toEqual([...apdu]);
      expect(encryption.authenticated).toBe(true);
      const changed = frame.slice();
      changed[changed.length - 15]! ^= 1;
      await expect(decryptFrame(changed, keys, DLMS_CIPHERING)).rejects.toMatchObject({ code: 'DECRYPTION' });
    }
  });

  it('keeps P1 frames to suite 0, and frames without tag to the caller who allows them', async () => {
    await expect(decryptFrame(encryptFrame(apdu, { key, securityControl: 0x31 }), keys)).rejects.toMatchObject({ code: 'DECRYPTION' });
    const untagged = encryptFrame(apdu, { key, securityControl: 0x21 });
    await expect(decryptFrame(untagged, keys, DLMS_CIPHERING)).rejects.toMatchObject({ code: 'AUTHENTICATION_REQUIRED' });
    const open = await decryptFrame(untagged, decryptionKeys({ key, authentication: 'none' }), DLMS_CIPHERING);
    expect([...open.plaintext]).toEqual([...apdu]);
  });
});
