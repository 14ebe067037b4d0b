/**
 * Inputs an attacker or a broken meter sends to the parser: nothing but a DsmrError may come
 * out, every number is right or null with a reason, and cost stays linear.
 */
import { describe, expect, it } from 'vitest';
import { crc16 } from '../src/core/checksum.js';
import { DsmrError, parseTelegram, safeParseTelegram, type DsmrErrorCode, type ParseOptions } from '../src/index.js';
import { concat } from './helpers/streams.js';
import { TRANSPORTS, decodeWith } from './helpers/streams.js';
import { hex, latin1, telegramText } from './helpers/telegram.js';

function errorCode(input: string | Uint8Array, options?: ParseOptions): DsmrErrorCode | null {
  const result = safeParseTelegram(input, options);
  return result.ok ? null : result.error.code;
}

/** Text of `n` printable characters, hex encoded as meters send messages and ids. */
function hexText(n: number): string {
  return '41'.repeat(n);
}

describe('huge fields', () => {
  it.each(['0-0:96.13.0', '0-0:96.1.1', '0-1:96.1.0'])('decodes a %s of 200,000 characters (400 KB of hex)', (obis) => {
    const text = telegramText(['1-3:0.2.8(50)', `${obis}(${hexText(200_000)})`]);
    const t = parseTelegram(text, { verifyCrc: true });
    const decoded = obis === '0-0:96.13.0' ? t.messages.text : obis === '0-0:96.1.1' ? t.equipmentId : t.mbus[0]!.equipmentId;
    expect(decoded).toHaveLength(200_000);
    expect(decoded).toBe('A'.repeat(200_000));
  });

  it('reads 150,000 value lines after a DSMR 2.2 gas object without a stack overflow', () => {
    const lines = ['0-1:24.1.0(3)', '0-1:24.3.0(090212160000)(00)(60)(1)(0-1:24.2.1)(m3)', ...Array.from({ length: 150_000 }, () => '(00001.001)')];
    const t = parseTelegram(telegramText(lines, { crc: false }));
    expect(t.objects[1]!.values).toHaveLength(6 + 150_000);
    expect(t.mbus[0]!.reading?.value).toBe(1.001);
  }, 30_000);

  it('reads 150,000 stray value lines with a warning each, without a stack overflow', () => {
    const lines = ['1-0:1.8.1(000001.000*kWh)', ...Array.from({ length: 150_000 }, () => '(1)')];
    const t = parseTelegram(telegramText(lines));
    expect(t.warnings.filter((w) => w.code === 'CONTINUATION_LINE')).toHaveLength(150_000);
    expect(t.warnings.at(-1)!.line).toBe(3 + 150_000);
  }, 30_000);
});

describe('numbers that do not fit', () => {
  const huge = '9'.repeat(400);

  it('reads a value beyond the double range as null with INVALID_VALUE, an error in strict mode', () => {
    const text = telegramText([`1-0:1.7.0(${huge}*kW)`, `1-0:1.8.1(${huge}.000*kWh)`, `0-0:96.7.21(${huge})`]);
    const t = parseTelegram(text);
    expect(t.electricity.power.imported).toBeNull();
    expect(t.electricity.imported.tariff1).toBeNull();
    expect(t.electricity.powerFailures.count).toBeNull();
    expect(t.warnings.filter((w) => w.code === 'INVALID_VALUE').map((w) => w.obis)).toEqual(['1-0:1.7.0', '1-0:1.8.1', '0-0:96.7.21']);
    expect(errorCode(text, { mode: 'strict' })).toBe('INVALID_VALUE');
    expect(JSON.stringify(t)).not.toContain('null,"exported"'.replace('null', 'Infinity'));
  });

  it('reads a counter above 2^53 as null with INVALID_VALUE: it would not be exact', () => {
    const t = parseTelegram(telegramText(['0-0:96.7.21(12345678901234567890)']));
    expect(t.electricity.powerFailures.count).toBeNull();
    expect(t.warnings.map((w) => w.code)).toContain('INVALID_VALUE');
  });

  it('reads -0.000 as 0, not -0', () => {
    const t = parseTelegram(telegramText(['1-0:1.7.0(-00.000*kW)', '1-0:31.7.0(-000*A)', '1-0:13.7.0(-0.000)']));
    expect(Object.is(t.electricity.power.imported, 0)).toBe(true);
    expect(Object.is(t.electricity.phases[0]!.current, 0)).toBe(true);
    expect(Object.is(t.electricity.powerFactor, 0)).toBe(true);
  });
});

describe('string input', () => {
  /** Per character: one byte up to U+00FF, UTF-8 above (how the library reads strings). */
  function bytesOf(text: string): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const c of text) parts.push(c.codePointAt(0)! <= 0xff ? Uint8Array.of(c.codePointAt(0)!) : new TextEncoder().encode(c));
    return concat(parts);
  }

  // é is one byte (0xE9), € three (E2 82 AC): a string with both must be read the same way
  // whether it comes whole or in pieces, and its CRC computed over those bytes
  const body = '/TST5\\2é-METER\r\n\r\n1-3:0.2.8(50)\r\n0-0:96.13.0(€)\r\n!';
  const text = `${body}${hex(crc16(bytesOf(body)))}\r\n`;

  it('reads each character up to U+00FF as one byte and wider ones as UTF-8, in parseTelegram', () => {
    const t = parseTelegram(text);
    expect(t.header.raw).toBe('/TST5\\2é-METER');
    expect(t.checksum?.actual).toBe(crc16(bytesOf(body)));
  });

  it.each(TRANSPORTS)('reads strings the same way in the %s stream, however they are cut', async (transport) => {
    for (const size of [1, 7, 20, text.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const { telegrams, errors } = await decodeWith(transport, chunks);
      expect(errors).toEqual([]);
      expect(telegrams.map((t) => t.header?.raw)).toEqual(['/TST5\\2é-METER']);
    }
  });
});

describe('what real meters send, read in lenient mode', () => {
  it('joins a long value wrapped over two lines (DSMR spec examples), with a warning; strict rejects it', () => {
    const text = telegramText(['1-3:0.2.8(50)', '0-0:96.13.0(303132', '333435)', '1-0:1.7.0(00.450*kW)']);
    const t = parseTelegram(text);
    expect(t.messages.text).toBe('012345');
    expect(t.objects.map((o) => o.obis)).toEqual(['1-3:0.2.8', '0-0:96.13.0', '1-0:1.7.0']);
    expect(t.objects[1]!.values).toEqual([{ raw: '303132333435', unit: null }]);
    expect(t.objects[1]!.raw).toBe('0-0:96.13.0(303132\r\n333435)');
    expect(t.electricity.power.imported).toBe(0.45);
    expect(t.warnings.map((w) => [w.code, w.line, w.column])).toEqual([['WRAPPED_VALUE', 5, 1]]);
    expect(t.objects[2]!.line).toBe(6);
    expect(errorCode(text, { mode: 'strict' })).toBe('WRAPPED_VALUE');
  });

  it('does not take the next data line, header or checksum line as the rest of a value', () => {
    for (const next of ['1-0:1.7.0(00.450*kW)', '!']) {
      const text = telegramText(['1-3:0.2.8(50)', '0-0:96.13.0(3031', next]);
      const t = safeParseTelegram(text);
      if (t.ok) expect(t.telegram.warnings.map((w) => w.code)).toContain('MALFORMED_LINE');
    }
  });

  it('reads a lower-case DST flag like an upper-case one, with a warning; strict rejects it', () => {
    const text = telegramText(['1-3:0.2.8(40)', '0-0:1.0.0(150701192959s)', '0-1:24.1.0(003)', '0-1:24.2.1(150701190000w)(00123.456*m3)']);
    const t = parseTelegram(text);
    expect(t.timestamp).toEqual(new Date('2015-07-01T19:29:59+02:00'));
    expect(t.mbus[0]!.reading!.timestamp).toEqual(new Date('2015-07-01T19:00:00+01:00'));
    expect(t.warnings.map((w) => w.code)).toEqual(['TIMESTAMP_FORMAT', 'TIMESTAMP_FORMAT']);
    expect(errorCode(text, { mode: 'strict' })).toBe('TIMESTAMP_FORMAT');
  });

  it('reads units written without "*" (Fluvius), keeping the value as sent; strict rejects them', () => {
    const text = telegramText(['0-0:96.1.4(50213)', '1-0:1.8.1(000123.456kWh)', '1-0:32.7.0(234.5V)', '1-0:31.7.0(005A)', '0-0:17.0.0(999.9kW)', '1-0:1.7.0(557W)']);
    const t = parseTelegram(text);
    expect(t.electricity.imported.tariff1).toBe(123.456);
    expect(t.electricity.phases[0]).toMatchObject({ voltage: 234.5, current: 5 });
    expect(t.electricity.threshold).toEqual({ value: 999.9, unit: 'kW' });
    expect(t.electricity.power.imported).toBe(0.557);
    expect(t.objects[1]!.values).toEqual([{ raw: '000123.456kWh', unit: null }]);
    expect(t.warnings.map((w) => w.code)).toEqual(Array(5).fill('UNIT_SEPARATOR'));
    expect(errorCode(text, { mode: 'strict' })).toBe('UNIT_SEPARATOR');
  });

  it('still says MISSING_UNIT for a bare number and UNIT_MISMATCH for a wrong unit without "*"', () => {
    const t = parseTelegram(telegramText(['1-0:1.8.1(000123.456)', '1-0:1.8.2(000123.456V)']));
    expect(t.electricity.imported.tariff1).toBe(123.456);
    expect(t.electricity.imported.tariff2).toBeNull();
    expect(t.warnings.map((w) => w.code)).toEqual(['MISSING_UNIT', 'UNIT_SEPARATOR', 'UNIT_MISMATCH']);
  });

  it('repairs the CR → LF of a tty in canonical mode (ICRNL): every CR LF arrives as LF LF', () => {
    const text = telegramText(['1-3:0.2.8(50)', '0-0:1.0.0(240315143000W)', '1-0:1.7.0(00.450*kW)']);
    const icrnl = text.replaceAll('\r', '\n');
    const t = parseTelegram(icrnl);
    expect(t.electricity.power.imported).toBe(0.45);
    expect(t.objects.map((o) => o.obis)).toEqual(['1-3:0.2.8', '0-0:1.0.0', '1-0:1.7.0']);
    expect(t.warnings.map((w) => w.code)).toEqual(['CRC_LINE_ENDINGS_REPAIRED']);
    expect(t.checksum).toEqual({ expected: crc16(latin1(text.slice(0, text.indexOf('!') + 1))), actual: crc16(latin1(text.slice(0, text.indexOf('!') + 1))) });
    expect(errorCode(icrnl, { mode: 'strict' })).toBe('CRC_MISMATCH');
    expect(errorCode(latin1(icrnl))).toBeNull();
  });

  it('does not repair a telegram whose CRC fails for another reason', () => {
    const text = telegramText(['1-3:0.2.8(50)', '1-0:1.7.0(00.450*kW)']).replace('0.450', '0.451').replaceAll('\r', '\n');
    expect(errorCode(text)).toBe('CRC_MISMATCH');
  });
});

describe('only DsmrError leaves the parser', () => {
  it.each([
    ['a 300 KB hex value', telegramText(['1-3:0.2.8(50)', `0-0:96.13.0(${'4'.repeat(300_001)})`])],
    ['300 KB of "("', `/ABC5\r\n\r\n${'('.repeat(300_000)}\r\n!`],
    ['300 KB of value groups on one line', telegramText([`1-0:99.97.0${'(1)'.repeat(100_000)}`])],
    ['300 KB of "/"', '/'.repeat(300_000)],
  ])('%s', (_name, input) => {
    const result = safeParseTelegram(input);
    if (!result.ok) expect(result.error).toBeInstanceOf(DsmrError);
  });
});

describe('7E1 detection holds back a few bytes, never the stream', () => {
  it('passes 0xAF garbage on at once, chunk by chunk, keeping at most 17 bytes', async () => {
    const { createDecoder } = await import('../src/index.js');
    const decoder = createDecoder();
    const chunk = new Uint8Array(4096).fill(0xaf);
    for (let i = 1; i <= 256; i++) {
      decoder.push(chunk);
      expect(decoder.stats.skippedBytes).toBeGreaterThanOrEqual(i * 4096 - 17);
    }
    decoder.flush();
    expect(decoder.stats.skippedBytes).toBe(256 * 4096);
  });

  it('then still finds a 7E1 telegram and a plain one is never stripped', async () => {
    const { createDecoder } = await import('../src/index.js');
    const sevenBit = latin1(telegramText(['1-0:1.7.0(0000.50*kW)', '0-0:96.1.1(4B384547)'], { crc: false })).map((b) => {
      let ones = 0;
      for (let x = b; x !== 0; x >>= 1) ones += x & 1;
      return ones % 2 === 0 ? b : b | 0x80;
    });
    const decoder = createDecoder();
    const items = [...(decoder.push(new Uint8Array(10_000).fill(0xaf)) as []), ...(decoder.push(sevenBit) as []), ...(decoder.flush() as [])];
    expect(items.map((i: { telegram?: { electricity: { power: { imported: number } } } }) => i.telegram?.electricity.power.imported)).toEqual([0.5]);
  });
});

describe('a value wrapped right after its "("', () => {
  it('is joined without the line break', () => {
    const t = parseTelegram(telegramText(['1-3:0.2.8(50)', '0-0:96.7.9(', '00002)', '1-0:52.7.0(', '230.1*V)']));
    expect(t.objects[1]!.values).toEqual([{ raw: '00002', unit: null }]);
    expect(t.electricity.powerFailures.longCount).toBe(2);
    expect(t.electricity.phases[0]!.voltage).toBe(230.1);
    expect(t.warnings.map((w) => w.code)).toEqual(['WRAPPED_VALUE', 'WRAPPED_VALUE']);
  });
});
