import { describe, expect, it } from 'vitest';
import { DsmrError, parseTelegram, safeParseTelegram, type DsmrErrorCode, type ParseOptions, type Telegram } from '../src/index.js';
import { APPENDIX_A1, APPENDIX_A1_LINES, latin1, telegramText } from './helpers/telegram.js';

function codes(telegram: Telegram): string[] {
  return telegram.warnings.map((w) => w.code);
}

function errorOf(input: string | Uint8Array, options?: ParseOptions): DsmrError {
  const result = safeParseTelegram(input, options);
  if (result.ok) throw new Error('expected the telegram to be rejected');
  return result.error;
}

function expectError(input: string | Uint8Array, code: DsmrErrorCode, options?: ParseOptions): DsmrError {
  const error = errorOf(input, options);
  expect(error).toBeInstanceOf(DsmrError);
  expect(error.code).toBe(code);
  return error;
}

describe('parseTelegram on the DSMR 5 telegram of appendix A.1', () => {
  const t = parseTelegram(APPENDIX_A1);

  it('reads header, version, timestamp and equipment id', () => {
    expect(t.header).toEqual({ raw: '/XYZ5\\2EXAMPLE-0001', manufacturer: 'XYZ', baudRate: '5', identification: '\\2EXAMPLE-0001' });
    expect(t.version).toBe('50');
    expect(t.timestamp?.toISOString()).toBe('2024-03-15T13:30:00.000Z');
    expect(t.equipmentId).toBe('E0012345678901234');
    expect(t.checksum).toEqual({ expected: 0x95a8, actual: 0x95a8 });
    expect(t.warnings).toEqual([]);
  });

  it('reads registers, tariff and power in fixed units', () => {
    expect(t.electricity.imported).toEqual({ total: null, tariff1: 1234.567, tariff2: 2345.678 });
    expect(t.electricity.exported).toEqual({ total: null, tariff1: 123.456, tariff2: 234.567 });
    expect(t.electricity.tariff).toBe(2);
    expect(t.electricity.power).toEqual({ imported: 0.45, exported: 0 });
  });

  it('reads the power failures and their log', () => {
    expect(t.electricity.powerFailures.count).toBe(7);
    expect(t.electricity.powerFailures.longCount).toBe(2);
    expect(t.electricity.powerFailures.log).toEqual([
      { end: new Date('2024-01-10T08:30:15+01:00'), durationSeconds: 240 },
      { end: new Date('2023-10-28T22:11:02+02:00'), durationSeconds: 12345 },
    ]);
  });

  it('reads phase L1', () => {
    expect(t.electricity.phases).toEqual([
      {
        phase: 1,
        voltage: 231.4,
        current: 2,
        powerImported: 0.45,
        powerExported: 0,
        reactivePowerImported: null,
        reactivePowerExported: null,
        voltageSags: 1,
        voltageSwells: 0,
      },
    ]);
  });

  it('reads the gas meter on M-Bus channel 1', () => {
    expect(t.mbus).toEqual([
      {
        channel: 1,
        deviceType: 3,
        equipmentId: 'G0012345678901234',
        reading: { timestamp: new Date('2024-03-15T14:25:00+01:00'), value: 1234.567, unit: 'm3' },
        valvePosition: null,
      },
    ]);
    expect(t.messages).toEqual({ code: null, text: null });
  });

  it('keeps every line, in order, with raw text and unit', () => {
    expect(t.objects.map((o) => o.raw)).toEqual(APPENDIX_A1_LINES);
    expect(t.objects[0]).toEqual({ obis: '1-3:0.2.8', values: [{ raw: '50', unit: null }], line: 3, raw: '1-3:0.2.8(50)' });
    expect(t.objects[12]!.values).toEqual([
      { raw: '2', unit: null },
      { raw: '0-0:96.7.19', unit: null },
      { raw: '240110083015W', unit: null },
      { raw: '0000000240', unit: 's' },
      { raw: '231028221102S', unit: null },
      { raw: '0000012345', unit: 's' },
    ]);
    expect(t.objects.at(-1)!.line).toBe(25);
  });

  it('gives the same result for bytes and for a string', () => {
    expect(parseTelegram(latin1(APPENDIX_A1))).toEqual(t);
  });

  it('passes strict mode', () => {
    expect(parseTelegram(APPENDIX_A1, { mode: 'strict' })).toEqual(t);
  });
});

describe('CRC policy', () => {
  it('rejects a CRC mismatch with both CRCs and the position of the CRC', () => {
    const damaged = APPENDIX_A1.replace('001234.567*kWh', '001234.568*kWh');
    const error = expectError(damaged, 'CRC_MISMATCH');
    expect(error.checksum?.expected).toBe(0x95a8);
    expect(error.checksum?.actual).not.toBe(0x95a8);
    expect(error.line).toBe(26);
    expect(error.column).toBe(2);
    expect(error.message).toContain('95A8');
    expect(error.message).toContain('!95A8');
  });

  it('accepts a mismatch with verifyCrc: false and reports both CRCs', () => {
    const damaged = APPENDIX_A1.replace('001234.567*kWh', '001234.568*kWh');
    const t = parseTelegram(damaged, { verifyCrc: false });
    expect(t.electricity.imported.tariff1).toBe(1234.568);
    expect(t.checksum?.expected).toBe(0x95a8);
    expect(t.checksum?.actual).not.toBe(0x95a8);
  });

  it('prefers CRC_MISMATCH over a syntax error on a damaged telegram', () => {
    const damaged = APPENDIX_A1.replace('1-0:1.8.2(', '1-0:1.8.2\x00');
    expectError(damaged, 'CRC_MISMATCH');
    expectError(damaged, 'SYNTAX', { verifyCrc: false });
  });

  it('requires a CRC when the telegram has a version line (DSMR ≥ 4)', () => {
    const noCrc = telegramText(['1-3:0.2.8(42)', '1-0:1.8.1(000001.000*kWh)'], { crc: false });
    const error = expectError(noCrc, 'CRC_MISSING');
    expect(error.line).toBe(5);
    expect(parseTelegram(noCrc, { verifyCrc: false }).checksum).toBeNull();
  });

  it('requires a CRC for Belgian e-MUCS telegrams (0-0:96.1.4)', () => {
    expectError(telegramText(['0-0:96.1.4(50217)'], { crc: false }), 'CRC_MISSING');
  });

  it('accepts DSMR 2.2/3.0 telegrams without CRC', () => {
    const t = parseTelegram(telegramText(['0-0:96.1.1(4B384547303034303436333935353037)', '1-0:1.8.1(12345.678*kWh)'], { crc: false }));
    expect(t.checksum).toBeNull();
    expect(t.electricity.imported.tariff1).toBe(12345.678);
    expect(t.equipmentId).toBe('K8EG004046395507');
  });

  it('accepts a lower-case or unpadded CRC with a warning, and rejects it in strict mode', () => {
    const lines = ['1-0:1.8.1(000001.000*kWh)'];
    const upper = telegramText(lines);
    const crcText = upper.slice(upper.indexOf('!') + 1, upper.indexOf('!') + 5);
    const lower = upper.replace(`!${crcText}`, `!${crcText.toLowerCase()}`);
    if (lower !== upper) {
      expect(codes(parseTelegram(lower))).toEqual(['CRC_FORMAT']);
      expectError(lower, 'CRC_FORMAT', { mode: 'strict' });
    }
    const unpadded = telegramText(lines, { crc: '0' }); // CRC "0" cannot match, but its format is judged first
    expect(expectError(unpadded, 'CRC_FORMAT', { mode: 'strict' }).line).toBe(4);
  });
});

describe('lenient and strict', () => {
  const lines = ['1-3:0.2.8(50)', '1-0:1.8.1(000001.000*kWh)', '1-0:1.7.0(00.500*kW)'];

  it('accepts LF-only lines whose CRC covers LF, with a warning', () => {
    const lf = telegramText(lines, { eol: '\n' });
    const t = parseTelegram(lf);
    expect(codes(t)).toEqual(['LINE_ENDING']);
    expect(t.warnings[0]).toMatchObject({ line: 1, column: 18 });
    expect(t.electricity.power.imported).toBe(0.5);
    expectError(lf, 'LINE_ENDING', { mode: 'strict' });
  });

  it('repairs the CRC of a telegram whose CR were stripped by a bridge', () => {
    const stripped = telegramText(lines).replaceAll('\r\n', '\n');
    const t = parseTelegram(stripped);
    expect(codes(t)).toEqual(['LINE_ENDING', 'CRC_LINE_ENDINGS_REPAIRED']);
    expect(t.checksum?.expected).toBe(t.checksum?.actual);
    // strict mode does not repair: the CRC does not match the bytes as received
    expectError(stripped, 'CRC_MISMATCH', { mode: 'strict' });
  });

  it('accepts CR-only lines (Tasmota) with a warning', () => {
    const cr = telegramText(lines, { eol: '\r' });
    expect(codes(parseTelegram(cr))).toEqual(['LINE_ENDING']);
  });

  it('accepts a missing blank line after the header with a warning', () => {
    const t = parseTelegram(telegramText(lines, { blankLine: false }));
    expect(t.warnings).toEqual([expect.objectContaining({ code: 'MISSING_BLANK_LINE', line: 2, column: 1 })]);
    expectError(telegramText(lines, { blankLine: false }), 'MISSING_BLANK_LINE', { mode: 'strict' });
  });

  it('accepts values without unit, assuming the expected one', () => {
    const text = telegramText(['1-0:3.7.0(00.007)', '0-0:17.0.0(77.376)']);
    const t = parseTelegram(text);
    expect(t.electricity.reactivePower.imported).toBe(0.007);
    expect(t.electricity.threshold).toEqual({ value: 77.376, unit: null });
    expect(t.warnings).toEqual([
      expect.objectContaining({ code: 'MISSING_UNIT', obis: '1-0:3.7.0', line: 3, column: 11 }),
      expect.objectContaining({ code: 'MISSING_UNIT', obis: '0-0:17.0.0', line: 4, column: 12 }),
    ]);
    const error = expectError(text, 'MISSING_UNIT', { mode: 'strict' });
    expect(error.obis).toBe('1-0:3.7.0');
  });

  it('reads an empty value as null: silently for text, with a warning for numbers', () => {
    const t = parseTelegram(telegramText(['0-0:96.13.0()', '0-1:96.1.0()', '1-0:1.7.0()', '0-1:24.1.0()']));
    expect(t.messages.text).toBeNull();
    expect(t.electricity.power.imported).toBeNull();
    expect(t.mbus).toEqual([{ channel: 1, deviceType: null, equipmentId: null, reading: null, valvePosition: null }]);
    expect(codes(t)).toEqual(['EMPTY_VALUE', 'EMPTY_VALUE']);
  });

  it('converts W, Wh, var and varh to the fixed units exactly', () => {
    const t = parseTelegram(
      telegramText(['1-0:1.8.0(000326641*Wh)', '1-0:1.7.0(000000621*W)', '1-0:21.7.0(000557.29*W)', '1-0:3.8.0(000005672*varh)', '1-0:4.7.0(000000510*var)']),
    );
    expect(t.electricity.imported.total).toBe(326.641);
    expect(t.electricity.power.imported).toBe(0.621);
    expect(t.electricity.phases[0]!.powerImported).toBe(0.55729);
    expect(t.electricity.reactiveEnergy.imported.total).toBe(5.672);
    expect(t.electricity.reactivePower.exported).toBe(0.51);
    expect(t.objects[0]!.values[0]).toEqual({ raw: '000326641', unit: 'Wh' });
    expect(t.warnings).toEqual([]);
  });

  it('compares units case-insensitively and trimmed', () => {
    const t = parseTelegram(telegramText(['1-0:1.8.1(123456.789*kwh)', '1-0:32.7.0(220.1*v)', '1-0:2.8.1(000001.000*kWh )']), { mode: 'strict' });
    expect(t.electricity.imported.tariff1).toBe(123456.789);
    expect(t.electricity.phases[0]!.voltage).toBe(220.1);
    expect(t.electricity.exported.tariff1).toBe(1);
  });

  it('rejects a unit it cannot convert: null and a warning, or an error in strict mode', () => {
    const text = telegramText(['1-0:1.8.1(000001.000*m3)']);
    const t = parseTelegram(text);
    expect(t.electricity.imported.tariff1).toBeNull();
    expect(codes(t)).toEqual(['UNIT_MISMATCH']);
    expectError(text, 'UNIT_MISMATCH', { mode: 'strict' });
  });

  it('reads negative and oddly precise numbers', () => {
    const t = parseTelegram(telegramText(['1-0:31.7.0(-063*A)', '1-0:1.8.0(00032549.5061662*kWh)', '1-0:51.7.0(0.48*A)']));
    expect(t.electricity.phases[0]!.current).toBe(-63);
    expect(t.electricity.imported.total).toBe(32549.5061662);
    expect(t.electricity.phases[1]!.current).toBe(0.48);
  });

  it('rejects a value that is not a number', () => {
    const text = telegramText(['1-0:1.7.0(00.4x0*kW)']);
    expect(parseTelegram(text).electricity.power.imported).toBeNull();
    expect(expectError(text, 'INVALID_VALUE', { mode: 'strict' })).toMatchObject({ line: 3, column: 11, obis: '1-0:1.7.0' });
  });

  it('keeps the first of duplicate objects, and all of them in objects', () => {
    const text = telegramText(['1-0:1.7.0(00.100*kW)', '1-0:1.7.0(00.200*kW)']);
    const t = parseTelegram(text);
    expect(t.electricity.power.imported).toBe(0.1);
    expect(t.objects).toHaveLength(2);
    expect(t.warnings).toEqual([expect.objectContaining({ code: 'DUPLICATE_OBJECT', line: 4 })]);
    expectError(text, 'DUPLICATE_OBJECT', { mode: 'strict' });
  });

  it('normalises OBIS codes with a .255/*255 suffix or ":" separator, keeping the text in raw', () => {
    const t = parseTelegram(telegramText(['1-0:31.7.0.255(001*A)', '1-0:72:32.0(00003)', '1-0:1.8.0*255(00000001.5*kWh)']));
    expect(t.objects.map((o) => o.obis)).toEqual(['1-0:31.7.0', '1-0:72.32.0', '1-0:1.8.0']);
    expect(t.objects[0]!.raw).toBe('1-0:31.7.0.255(001*A)');
    expect(t.electricity.phases.map((p) => [p.phase, p.current, p.voltageSags])).toEqual([
      [1, 1, null],
      [3, null, 3],
    ]);
    expect(t.electricity.imported.total).toBe(1.5);
    expect(codes(t)).toEqual(['OBIS_FORMAT', 'OBIS_FORMAT', 'OBIS_FORMAT']);
  });

  it('keeps lines with malformed groups as raw text', () => {
    const text = telegramText(['1-0:0.2.0((ER11))', '1-1:0.2.8(ER13))', '1-0:1.7.0(00.100*kW)']);
    const t = parseTelegram(text);
    expect(t.objects.map((o) => [o.obis, o.values, o.raw])).toEqual([
      ['1-0:0.2.0', [{ raw: '(ER11)', unit: null }], '1-0:0.2.0((ER11))'],
      ['1-1:0.2.8', [{ raw: 'ER13)', unit: null }], '1-1:0.2.8(ER13))'],
      ['1-0:1.7.0', [{ raw: '00.100', unit: 'kW' }], '1-0:1.7.0(00.100*kW)'],
    ]);
    expect(codes(t)).toEqual(['MALFORMED_LINE', 'MALFORMED_LINE']);
    expect(expectError(text, 'MALFORMED_LINE', { mode: 'strict' })).toMatchObject({ line: 3, column: 10 });
  });

  it('keeps unknown OBIS codes', () => {
    const t = parseTelegram(telegramText(['1-0:94.32.1(400)', '0-0:96.1.2()', '1-0:1.7.0(00.100*kW)']), { mode: 'strict' });
    expect(t.objects.map((o) => o.obis)).toEqual(['1-0:94.32.1', '0-0:96.1.2', '1-0:1.7.0']);
    expect(t.objects[0]!.values).toEqual([{ raw: '400', unit: null }]);
  });

  it('flags a header that is not manufacturer + baud digit + identification', () => {
    const text = telegramText(['1-0:1.7.0(00.100*kW)'], { header: '/ISk5\x02MT382-1000' });
    expect(codes(parseTelegram(text))).toEqual(['HEADER_FORMAT']);
    expectError(text, 'HEADER_FORMAT', { mode: 'strict' });
    const short = parseTelegram(telegramText([], { header: '/KAM5' }), { mode: 'strict' });
    expect(short.header).toEqual({ raw: '/KAM5', manufacturer: 'KAM', baudRate: '5', identification: '' });
  });

  it('ignores whitespace, NUL and 0xFF around the telegram; warns of other text', () => {
    const text = telegramText(['1-0:1.7.0(00.100*kW)']);
    expect(parseTelegram(`\r\n\0${text}\0\xff\xff`, { mode: 'strict' }).warnings).toEqual([]);
    const garbage = parseTelegram(`noise${text}  25803103\r\nDE00003\r\n`);
    expect(garbage.warnings).toEqual([
      expect.objectContaining({ code: 'LEADING_DATA', line: 1, column: 1 }),
      expect.objectContaining({ code: 'TRAILING_DATA', line: 5, column: 3 }),
    ]);
    expect(garbage.objects).toHaveLength(1);
  });

  it('accepts the checksum line without a line end', () => {
    const text = telegramText(['1-0:1.7.0(00.100*kW)']).trimEnd();
    expect(parseTelegram(text, { mode: 'strict' }).electricity.power.imported).toBe(0.1);
  });
});

describe('timestamps', () => {
  function timestampOf(raw: string, options?: ParseOptions): Telegram {
    return parseTelegram(telegramText([`0-0:1.0.0(${raw})`]), options);
  }

  it('reads W as UTC+1 and S as UTC+2', () => {
    expect(timestampOf('240315143000W').timestamp?.toISOString()).toBe('2024-03-15T13:30:00.000Z');
    expect(timestampOf('230704101530S').timestamp?.toISOString()).toBe('2023-07-04T08:15:30.000Z');
  });

  it.each(['632525252525W', '632525252525S', '000101000000W', '000101000001W', '700101010000W', '000000000000W'])(
    'reads the placeholder %s as null with a warning, in strict mode too',
    (raw) => {
      for (const mode of ['lenient', 'strict'] as const) {
        const t = timestampOf(raw, { mode });
        expect(t.timestamp).toBeNull();
        expect(t.warnings).toEqual([expect.objectContaining({ code: 'TIMESTAMP_NOT_SET', obis: '0-0:1.0.0', line: 3, column: 11 })]);
      }
    },
  );

  it.each(['123412341234W', '240231120000W', '241301120000W', '240101250000S', '220201000000T', '2402011200W', '24020112000xW'])(
    'reads the invalid timestamp %s as null with a warning, and rejects it in strict mode',
    (raw) => {
      const t = timestampOf(raw);
      expect(t.timestamp).toBeNull();
      expect(codes(t)).toEqual(['INVALID_TIMESTAMP']);
      expectError(telegramText([`0-0:1.0.0(${raw})`]), 'INVALID_TIMESTAMP', { mode: 'strict' });
    },
  );

  it('reads the power failure log placeholders as null', () => {
    const t = parseTelegram(telegramText(['1-0:99.97.0(1)(0-0:96.7.19)(000101000001W)(2147483647*s)']));
    expect(t.electricity.powerFailures.log).toEqual([{ end: null, durationSeconds: null }]);
    expect(codes(t)).toEqual(['TIMESTAMP_NOT_SET', 'INVALID_DURATION']);
  });

  it('reads the empty forms of the power failure log', () => {
    expect(parseTelegram(telegramText(['1-0:99.97.0(0)(0-0:96.7.19)'])).electricity.powerFailures.log).toEqual([]);
    expect(parseTelegram(telegramText(['1-0:99.97.0(0)()'])).warnings).toEqual([]);
    expect(codes(parseTelegram(telegramText(['1-0:99.97.0()'])))).toEqual(['EMPTY_VALUE']);
    const mismatch = parseTelegram(telegramText(['1-0:99.97.0(5)(0-0:96.7.19)(170520130938S)(0000005627*s)']));
    expect(mismatch.electricity.powerFailures.log).toHaveLength(1);
    expect(codes(mismatch)).toEqual(['COUNT_MISMATCH']);
  });
});

describe('hex-encoded text', () => {
  it('decodes printable ASCII and keeps anything else as sent', () => {
    const t = parseTelegram(
      telegramText(['0-0:96.1.1(0123456789ABCDEF)', '0-0:96.13.1(3031203631203831)', '0-0:96.13.0(test-/-test)', '0-1:96.1.0(00000000)']),
    );
    expect(t.equipmentId).toBe('0123456789ABCDEF');
    expect(t.messages).toEqual({ code: '01 61 81', text: 'test-/-test' });
    expect(t.mbus[0]!.equipmentId).toBe('00000000');
  });
});

describe('errors', () => {
  it('rejects a line that is no telegram line, naming the line and what was expected', () => {
    const text = telegramText(['1-3:0.2.8(50)', 'A-0:96.1.1(4B38)'], { crc: false });
    const error = expectError(text, 'SYNTAX');
    expect(error).toMatchObject({ line: 4, column: 1, offset: text.indexOf('A-0') });
    expect(error.expected).toEqual(expect.arrayContaining(['the checksum line "!CRC"', 'a data line "A-B:C.D.E(value)"']));
    expect(error.message).toContain('line 4, column 1');
    expect(error.message).toContain('A-0:96.1.1(4B38)');
    expect(error.message).toMatch(/\n {3}4 \| A-0:96\.1\.1\(4B38\)\n {5}\| \^$/);
  });

  it('reports a telegram that ends before its checksum line as TRUNCATED', () => {
    const text = APPENDIX_A1.slice(0, APPENDIX_A1.indexOf('1-0:32.7.0'));
    expect(expectError(text, 'TRUNCATED').line).toBe(19);
  });

  it('rejects input without a header', () => {
    expect(expectError('', 'SYNTAX')).toMatchObject({ line: 1, column: 1, offset: 0 });
    expect(expectError('1-0:1.7.0(00.100*kW)\r\n!\r\n', 'SYNTAX').message).toContain('header line starting with "/"');
  });

  it('rejects a value line that continues nothing', () => {
    expectError(telegramText(['(00001.001)']), 'SYNTAX');
  });

  it('rejects bad options with INVALID_OPTION', () => {
    expectError(APPENDIX_A1, 'INVALID_OPTION', { mode: 'loose' as 'strict' });
    expectError(APPENDIX_A1, 'INVALID_OPTION', { verifyCrc: 'no' as unknown as boolean });
    expect(expectError(APPENDIX_A1, 'INVALID_OPTION', { timeZone: 'Mars/Olympus' }).message).toContain('Mars/Olympus');
  });

  it('rejects input that is neither string nor bytes with INVALID_INPUT', () => {
    expectError(42 as unknown as string, 'INVALID_INPUT');
  });

  it('throws from parseTelegram what safeParseTelegram returns', () => {
    expect(() => parseTelegram('nonsense')).toThrow(DsmrError);
  });
});
