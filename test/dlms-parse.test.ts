/**
 * parseDlms on messages built by the tests' own encoder (test/helpers/dlms.ts): the four list
 * layouts meters send, the conventions for lists that leave codes or scalers unsaid, the clock,
 * encryption, and every way a message can be bad.
 */
import { describe, expect, it } from 'vitest';
import { DsmrError, parseDlms, parseTelegram, type DlmsTelegram } from '../src/index.js';
import { LLC, dataNotification, dateTime, encodeData, hdlcFrame, i16, mbusFrame, obis, scalerUnit, structure, text, u16, u32 } from './helpers/dlms.js';
import { internedCodes } from '../src/core/model/obis.js';
import { encryptFrame } from './helpers/encrypt.js';
import { concat } from './helpers/streams.js';

const W = 27;
const WH = 30;
const A = 33;
const V = 35;

const inHdlc = (apdu: number[]): Uint8Array => hdlcFrame([...LLC, ...apdu]);
const codeError = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(DsmrError);
    return (error as DsmrError).code;
  }
};

/** An Aidon-style list: an array of `{ logical name, value, { scaler, unit } }`. */
const aidonBody = (clock: Uint8Array) => ({
  type: 'array' as const,
  items: [
    structure(obis('1-1:0.2.129'), text('AIDON_V0001')),
    structure(obis('0-0:96.1.0'), text('7359992890941742')),
    structure(obis('0-0:96.1.7'), text('6515')),
    structure(obis('1-0:1.7.0'), u32(1362), scalerUnit(0, W)),
    structure(obis('1-0:32.7.0'), u16(2500), scalerUnit(-1, V)),
    structure(obis('1-0:31.7.0'), i16(93), scalerUnit(-1, A)),
    structure(obis('0-0:1.0.0'), { type: 'octet-string', bytes: clock }),
    structure(obis('1-0:1.8.0'), u32(21882340), scalerUnit(0, WH)),
  ],
});

describe('parseDlms', () => {
  it('reads a list that names its codes and scalers into the typed view and the objects', async () => {
    const t = await parseDlms(inHdlc(dataNotification(aidonBody(dateTime(2019, 6, 12, 18, 0, 0, 0xff88, 0x80)))));
    expect(t.protocol).toBe('dlms');
    expect(t.header).toBeNull();
    expect(t.dlms).toEqual({ transport: 'hdlc', listId: 'AIDON_V0001', convention: null, invokeId: 0x40000000, time: null });
    expect(t.electricity.power.imported).toBe(1.362);
    expect(t.electricity.phases).toMatchObject([{ phase: 1, voltage: 250, current: 9.3 }]);
    expect(t.electricity.imported.total).toBe(21882.34);
    expect(t.equipmentId).toBe('7359992890941742');
    expect(t.meterType).toBe('6515');
    // 18:00 in June in Central Europe (DST bit set) is 16:00 UTC; the deviation field is not used
    expect(t.timestamp).toEqual(new Date('2019-06-12T16:00:00Z'));
    expect(t.objects.map((o) => o.raw)).toEqual([
      '1-1:0.2.129(AIDON_V0001)',
      '0-0:96.1.0(7359992890941742)',
      '0-0:96.1.7(6515)',
      '1-0:1.7.0(1362*W)',
      '1-0:32.7.0(250.0*V)',
      '1-0:31.7.0(9.3*A)',
      '0-0:1.0.0(2019-06-12T18:00:00+02:00)',
      '1-0:1.8.0(21882340*Wh)',
    ]);
    expect(t.objects[4]!.values).toEqual([{ raw: '250.0', unit: 'V' }]);
    expect(t.warnings).toEqual([]);
  });

  it('gives the same typed fields as the DSMR telegram with the same readings', async () => {
    const dlms = await parseDlms(inHdlc(dataNotification(aidonBody(dateTime(2019, 6, 12, 18, 0, 0)))));
    const dsmr = parseTelegram('/XXX5TEST\r\n\r\n1-0:1.7.0(01.362*kW)\r\n1-0:32.7.0(250.0*V)\r\n1-0:31.7.0(9.3*A)\r\n1-0:1.8.0(21882.340*kWh)\r\n!', { verifyCrc: false });
    expect(dlms.electricity.power).toEqual(dsmr.electricity.power);
    expect(dlms.electricity.phases).toEqual(dsmr.electricity.phases);
    expect(dlms.electricity.imported).toEqual(dsmr.electricity.imported);
  });

  it('reads a Kaifa list of values by its documented layout and scalers', async () => {
    const values = [text('KFM_001'), text('6970631400000066'), text('MA304H3E'), u32(228), u32(0), u32(0), u32(0), u32(954), u32(45), u32(932), u32(2392), u32(0), u32(2380)];
    const t = await parseDlms(inHdlc(dataNotification(structure(...values))));
    expect(t.dlms.listId).toBe('KFM_001');
    expect(t.dlms.convention).toBe('Kaifa KFM_001');
    expect(t.objects.map((o) => o.obis)).toEqual(['1-1:0.2.129', '0-0:96.1.0', '0-0:96.1.7', '1-0:1.7.0', '1-0:2.7.0', '1-0:3.7.0', '1-0:4.7.0', '1-0:31.7.0', '1-0:51.7.0', '1-0:71.7.0', '1-0:32.7.0', '1-0:52.7.0', '1-0:72.7.0']);
    expect(t.electricity.phases.map((p) => [p.voltage, p.current])).toEqual([
      [239.2, 0.954],
      [0, 0.045],
      [238, 0.932],
    ]);
    expect(t.electricity.power.imported).toBe(0.228);
  });

  it('reads Kamstrup pairs on B = 1 with their 10 Wh energy registers and clock 0-1:1.0.0', async () => {
    const body = structure(
      text('Kamstrup_V0001'),
      obis('1-1:0.0.5'),
      text('5706567274389702'),
      obis('0-1:1.0.0'),
      { type: 'octet-string', bytes: dateTime(2017, 10, 20, 4, 0, 5, 0xff88, 0x80) },
      obis('1-1:1.7.0'),
      u32(2531),
      obis('1-1:32.7.0'),
      u16(231),
      obis('1-1:31.7.0'),
      u32(996),
      obis('1-1:1.8.0'),
      u32(427244),
    );
    const t = await parseDlms(inHdlc(dataNotification(body)));
    expect(t.dlms).toMatchObject({ listId: 'Kamstrup_V0001', convention: 'Kamstrup_V0001' });
    // Kamstrup's own codes for the meter id and type
    expect([t.equipmentId, t.meterType]).toEqual(['5706567274389702', null]);
    expect(t.objects.find((o) => o.obis === '1-1:1.8.0')!.values[0]).toEqual({ raw: '4272440', unit: 'Wh' });
    expect(t.electricity.imported.total).toBe(4272.44);
    expect(t.electricity.phases).toMatchObject([{ voltage: 231, current: 9.96 }]);
    expect(t.timestamp).toEqual(new Date('2017-10-20T02:00:05Z'));
  });

  it('keeps a list it does not know, raw, with a warning, and fills no typed field from it', async () => {
    const t = await parseDlms(inHdlc(dataNotification(structure(u32(7), u16(2301), text('XYZ')))));
    expect(t.objects.map((o) => [o.obis, o.values[0]!.raw, o.values[0]!.unit])).toEqual([
      ['', '7', null],
      ['', '2301', null],
      ['', 'XYZ', null],
    ]);
    expect(t.warnings.map((w) => w.code)).toEqual(['UNKNOWN_LIST']);
    expect(t.electricity.phases).toEqual([]);
    // informational: strict mode reads it too
    expect((await parseDlms(inHdlc(dataNotification(structure(u32(7), u16(2301)))), { mode: 'strict' })).objects).toHaveLength(2);
  });

  it('does not scale a quantity whose scaler it does not know', async () => {
    const t = await parseDlms(inHdlc(dataNotification(structure(obis('1-0:32.7.0'), u16(2301)))));
    expect(t.objects[0]!.values[0]).toEqual({ raw: '2301', unit: null });
    expect(t.electricity.phases).toEqual([]);
    expect(t.warnings.map((w) => w.code)).toEqual(['UNKNOWN_LIST']);
  });

  it('keeps the table of interned OBIS codes bounded over messages of ever new codes', async () => {
    for (let message = 0; message < 200; message++) {
      const items = Array.from({ length: 50 }, (_, k) => structure(obis(`1-0:${message}.${k}.${(message * 50 + k) % 256}`), u32(k), scalerUnit(0, W)));
      await parseDlms(inHdlc(dataNotification({ type: 'array', items })));
    }
    // 10,000 distinct codes went by; the table starts over between parses once half full (1,024)
    expect(internedCodes()).toBeLessThanOrEqual(1024 + 50);
  });

  it('keeps every digit of a 64-bit register', async () => {
    const big = 2n ** 53n + 1n;
    const body = { type: 'array' as const, items: [structure(obis('1-0:1.8.0'), { type: 'long64', tag: 0x15, value: big }, scalerUnit(-3, WH))] };
    const t = await parseDlms(inHdlc(dataNotification(body)));
    expect(t.objects[0]!.values[0]!.raw).toBe('9007199254740.993');
  });

  it('settles the hour that occurs twice with the clock status DST bit', async () => {
    const at = async (status: number): Promise<Date | null> =>
      (await parseDlms(inHdlc(dataNotification({ type: 'array', items: [structure(obis('0-0:1.0.0'), { type: 'octet-string', bytes: dateTime(2024, 10, 27, 2, 30, 0, 0x8000, status) })] })))).timestamp;
    expect(await at(0x80)).toEqual(new Date('2024-10-27T00:30:00Z'));
    expect(await at(0x00)).toEqual(new Date('2024-10-27T01:30:00Z'));
  });

  it('takes the notification time when the list has no clock, and reads M-Bus frames and bare APDUs', async () => {
    const apdu = dataNotification({ type: 'array', items: [structure(obis('1-0:1.7.0'), u32(5), scalerUnit(0, W))] }, dateTime(2024, 1, 15, 12, 0, 0));
    const viaMbus = await parseDlms(concat([mbusFrame(apdu.slice(0, 10), false, 0), mbusFrame(apdu.slice(10), true, 1)]));
    const bare = await parseDlms(Uint8Array.from(apdu));
    for (const [t, transport] of [
      [viaMbus, 'mbus'],
      [bare, 'apdu'],
    ] as const) {
      expect(t.dlms.transport).toBe(transport);
      expect(t.timestamp).toEqual(new Date('2024-01-15T11:00:00Z'));
      expect(t.dlms.time).toEqual(new Date('2024-01-15T11:00:00Z'));
      expect(t.electricity.power.imported).toBe(0.005);
    }
  });

  it('joins segmented HDLC frames and general-block-transfer blocks', async () => {
    const apdu = dataNotification(aidonBody(dateTime(2019, 6, 12, 18, 0, 0)));
    const whole = await parseDlms(inHdlc(apdu));
    const message = [...LLC, ...apdu];
    const segmented = concat([hdlcFrame(message.slice(0, 40), { segmented: true }), hdlcFrame(message.slice(40, 80), { segmented: true }), hdlcFrame(message.slice(80))]);
    const block = (n: number, last: boolean, part: number[]) => [0xe0, last ? 0x80 : 0x00, 0, n, 0, 0, ...(part.length < 0x80 ? [] : [0x81]), part.length, ...part];
    const blocks = concat([hdlcFrame([...LLC, ...block(1, false, apdu.slice(0, 50))]), hdlcFrame(block(2, true, apdu.slice(50)))]);
    for (const bytes of [segmented, blocks]) {
      const t = await parseDlms(bytes);
      expect(t.objects).toEqual(whole.objects);
    }
  });

  it('says what is wrong with a message, with a code', async () => {
    const good = inHdlc(dataNotification(aidonBody(dateTime(2019, 6, 12, 18, 0, 0))));
    const damaged = good.slice();
    damaged[40] = damaged[40]! ^ 0x01;
    expect(await codeError(parseDlms(damaged))).toBe('CRC_MISMATCH');
    expect(await codeError(parseDlms(good.subarray(0, good.length - 5)))).toBe('TRUNCATED');
    expect(await codeError(parseDlms(concat([good, good])))).toBe('SYNTAX');
    expect(await codeError(parseDlms(inHdlc([0x0e, 0, 0, 0, 1, 0, 0])))).toBe('SYNTAX');
    expect(await codeError(parseDlms(inHdlc([0x0f, 0, 0, 0, 1, 0, 0x02, 0x05])))).toBe('SYNTAX');
    expect(await codeError(parseDlms('7E' as unknown as Uint8Array))).toBe('INVALID_INPUT');
    expect(await codeError(parseDlms(good, { timeZone: 'Mars/Olympus' }))).toBe('INVALID_OPTION');
  });
});

describe('parseDlms, encrypted (general-glo-ciphering)', () => {
  const key = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex');
  const authenticationKey = Buffer.from('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF', 'hex');
  const systemTitle = Buffer.from('KFM\x10\x10\x00\x00\x23', 'latin1');
  const plaintext = Uint8Array.from(dataNotification({ type: 'array', items: [structure(obis('1-0:1.7.0'), u32(1234), scalerUnit(0, W))] }));
  const inMbus = (apdu: Uint8Array): Uint8Array => concat([mbusFrame(apdu.subarray(0, 30), false, 0), mbusFrame(apdu.subarray(30), true, 1)]);
  const tagged = inMbus(encryptFrame(plaintext, { key, authenticationKey, systemTitle, securityControl: 0x30, frameCounter: 7 }));
  const untagged = inMbus(encryptFrame(plaintext, { key, systemTitle, securityControl: 0x21 }));

  it('decrypts general-ded-ciphering (DC) as general-glo-ciphering, with the dedicated key', async () => {
    const ded = inMbus(encryptFrame(plaintext, { key, authenticationKey, systemTitle, securityControl: 0x30, frameCounter: 9, tag: 0xdc }));
    const t = await parseDlms(ded, { decryption: { key, authenticationKey } });
    expect([t.electricity.power.imported, t.encryption?.authenticated, t.encryption?.frameCounter]).toEqual([1.234, true, 9]);
  });

  it('decrypts and authenticates with both keys', async () => {
    const t: DlmsTelegram = await parseDlms(tagged, { decryption: { key, authenticationKey } });
    expect(t.electricity.power.imported).toBe(1.234);
    expect(t.encryption).toEqual({ systemTitle: systemTitle.toString('hex').toUpperCase(), frameCounter: 7, authenticated: true });
  });

  it('refuses what it cannot authenticate unless the caller opts out', async () => {
    expect(await codeError(parseDlms(tagged))).toBe('ENCRYPTED_NO_KEY');
    expect(await codeError(parseDlms(tagged, { decryption: { key, authenticationKey: key } }))).toBe('DECRYPTION');
    // a tag, but no authentication key to check it with (DLMS meters share none)
    expect(await codeError(parseDlms(tagged, { decryption: { key } }))).toBe('AUTHENTICATION_REQUIRED');
    expect(await codeError(parseDlms(untagged, { decryption: { key } }))).toBe('AUTHENTICATION_REQUIRED');
    for (const bytes of [tagged, untagged]) {
      const t = await parseDlms(bytes, { decryption: { key, authentication: 'none' } });
      expect(t.electricity.power.imported).toBe(1.234);
      expect(t.encryption?.authenticated).toBe(false);
    }
  });

  it('never gives a value from a changed ciphertext it authenticates', async () => {
    for (let i = 30; i < tagged.length - 2; i += 7) {
      if (tagged[i] === 0x68 || tagged[i] === 0x16) continue;
      const changed = tagged.slice();
      changed[i] = changed[i]! ^ 0x04;
      // the M-Bus checksum catches it first; a frame whose checksum were fixed up would still fail its tag
      expect(['CRC_MISMATCH', 'DECRYPTION', 'SYNTAX']).toContain(await codeError(parseDlms(changed, { decryption: { key, authenticationKey } })));
    }
  });

  it('rejects bytes that are no encrypted APDU', async () => {
    expect(encodeData(u32(1))).toHaveLength(5);
    expect(await codeError(parseDlms(Uint8Array.from([0xdb, 0x08, 1, 2, 3]), { decryption: { key } }))).toBe('DECRYPTION');
  });
});
