import { describe, expect, it } from 'vitest';
import { DsmrError, formatTelegram, parseTelegram } from '../src/index.js';
import { APPENDIX_A1 } from './helpers/telegram.js';

describe('formatTelegram', () => {
  it('writes the appendix A.1 telegram byte for byte from its parsed form', () => {
    expect(formatTelegram(parseTelegram(APPENDIX_A1))).toBe(APPENDIX_A1);
  });

  it('writes a header with or without "/", CR LF lines, the blank line and a CRC', () => {
    const text = formatTelegram({ header: 'KFM5KAIFA-METER', objects: [{ obis: '1-0:1.7.0', values: [{ raw: '00.416', unit: 'kW' }] }] });
    expect(text).toMatch(/^\/KFM5KAIFA-METER\r\n\r\n1-0:1\.7\.0\(00\.416\*kW\)\r\n![0-9A-F]{4}\r\n$/);
    expect(formatTelegram({ header: '/KFM5KAIFA-METER', objects: [{ obis: '1-0:1.7.0', values: [{ raw: '00.416', unit: 'kW' }] }] })).toBe(text);
    expect(parseTelegram(text, { mode: 'strict' }).electricity.power.imported).toBe(0.416);
  });

  it('writes DSMR 2.2 telegrams: no CRC, LF if asked, the gas value on its own line', () => {
    const text = formatTelegram({
      header: 'ISk5\\2MT382-1003',
      crc: false,
      lineEnding: '\n',
      blankLine: false,
      objects: [
        {
          obis: '0-1:24.3.0',
          values: [{ raw: '090212160000' }, { raw: '00' }, { raw: '60' }, { raw: '1' }, { raw: '0-1:24.2.1' }, { raw: 'm3' }, { raw: '00001.001' }],
        },
      ],
    });
    expect(text).toBe('/ISk5\\2MT382-1003\n0-1:24.3.0(090212160000)(00)(60)(1)(0-1:24.2.1)(m3)\n(00001.001)\n!\n');
    expect(parseTelegram(text).objects[0]!.values).toHaveLength(7);
  });

  it('refuses what cannot be written as a telegram', () => {
    const bad = (objects: Parameters<typeof formatTelegram>[0]['objects'], header = 'TST5') => () => formatTelegram({ header, objects });
    expect(bad([{ obis: '1-0:1.7.0', values: [{ raw: '1(2' }] }])).toThrow(DsmrError);
    expect(bad([{ obis: '1-0:1.7.0', values: [{ raw: '1*2' }] }])).toThrow(/contains/);
    expect(bad([{ obis: '1-0:1.7.0', values: [{ raw: '1', unit: 'k\nW' }] }])).toThrow(/unit/);
    expect(bad([{ obis: '1-0:1.7', values: [{ raw: '1' }] }])).toThrow(/A-B:C\.D\.E/);
    expect(bad([{ obis: '1-0:1.7.0', values: [] }])).toThrow(/at least one value/);
    expect(bad([], 'TST5\r\n')).toThrow(/single line/);
    expect(bad([{ obis: '1-0:1.7.0', values: [{ raw: ')' }] }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
