/**
 * Properties over hostile inputs: chunking never changes what comes out (7E1 noise included),
 * many "/" never cost a good telegram, huge inputs only ever give a DsmrError.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DsmrError, createDecoder, formatTelegram, safeParseTelegram, type DecodedItem } from '../src/index.js';
import { anyTelegramArb, meterArb, meterTelegram } from './helpers/arbitraries.js';
import { concat, cut } from './helpers/streams.js';
import { latin1, telegramText } from './helpers/telegram.js';

/** A 7-bit byte with its even-parity bit set, as a 7E1 character arrives on an 8N1 port. */
function withParity(byte: number): number {
  let ones = 0;
  for (let b = byte; b !== 0; b >>= 1) ones += b & 1;
  return ones % 2 === 0 ? byte : byte | 0x80;
}

const sevenBit = (bytes: Uint8Array) => bytes.map(withParity);

/** Pieces of a byte stream: telegrams (plain and 7E1), 7E1 header noise, garbage. */
const pieceArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: meterArb.map((m) => latin1(formatTelegram(meterTelegram(m)))) },
  { weight: 2, arbitrary: fc.constantFrom(latin1(telegramText(['1-0:1.7.0(0000.50*kW)', '0-0:96.1.1(4B384547)'], { crc: false }))).map(sevenBit) },
  // 0xAF then what may or may not look like a 7E1 header
  fc.tuple(fc.constantFrom(...'ABDKFMZab0159'.split('')), fc.integer({ min: 0, max: 20 })).map(([c, n]) => Uint8Array.of(0xaf, ...latin1(c.repeat(n)))),
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(latin1('/'), Uint8Array.of(0xaf), latin1('\r\n')),
);

/** Everything a decoder gives for a stream cut at the given places: items and final stats. */
function decodeAll(stream: Uint8Array, cuts: readonly number[], options = {}): { items: string[]; stats: unknown } {
  const decoder = createDecoder(options);
  const items: DecodedItem[] = [];
  for (const chunk of cut(stream, cuts)) items.push(...(decoder.push(chunk) as DecodedItem[]));
  items.push(...(decoder.flush() as DecodedItem[]));
  return {
    items: items.map((i) => (i.telegram !== undefined ? JSON.stringify(i.telegram) : `${i.error.code}@${i.error.frameOffset}`)),
    stats: decoder.stats,
  };
}

describe('any chunking gives what one chunk gives', () => {
  test.prop([fc.array(pieceArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), fc.constantFrom('lenient' as const, 'strict' as const)], {
    numRuns: 300,
  })('telegrams, errors and stats, with 7E1 noise among the bytes', (pieces, cuts, mode) => {
    const stream = concat(pieces);
    expect(decodeAll(stream, cuts, { mode })).toEqual(decodeAll(stream, [], { mode }));
  });

  test.prop([fc.array(fc.nat(), { maxLength: 200 })])('one byte at a time too', (extra) => {
    // noise "AF A B D 0 AAAAAA" before telegrams: it looks like a 7E1 header for 10 bytes, not for 16
    const stream = concat([Uint8Array.of(0xaf, ...latin1('ABD0AAAAAA')), ...Array.from({ length: 4 }, (_, i) => latin1(telegramText([`1-0:1.7.0(00.${i}00*kW)`])))]);
    const everyByte = Array.from({ length: stream.length }, (_, i) => i);
    const whole = decodeAll(stream, [], { mode: 'strict' });
    expect(whole.items.filter((i) => !i.includes('@'))).toHaveLength(4);
    expect(decodeAll(stream, everyByte, { mode: 'strict' })).toEqual(whole);
    expect(decodeAll(stream, extra, { mode: 'strict' })).toEqual(whole);
  });
});

describe('many "/" never cost a good telegram', () => {
  test.prop([fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.array(fc.nat(), { maxLength: 20 })])(
    'a telegram cut off with n "/" in its values, then mid-line a good one with m "/" in its message',
    (n, m, cuts) => {
      // cut off in the middle of its message: the good telegram's "/" is in the middle of a line
      const cutOff = `/ABC5\r\n\r\n1-3:0.2.8(50)\r\n0-0:96.13.0(${'a/'.repeat(n)}`;
      const good = telegramText(['1-3:0.2.8(50)', `0-0:96.13.0(${'/'.repeat(m)})`, '1-0:1.7.0(00.450*kW)']);
      const stream = latin1(cutOff + good);
      const { items } = decodeAll(stream, cuts);
      const telegrams = items.filter((i) => !i.includes('@')).map((i) => JSON.parse(i) as { electricity: { power: { imported: number } } });
      expect(telegrams.map((t) => t.electricity.power.imported)).toEqual([0.45]);
    },
  );
});

describe('huge inputs give a telegram or a DsmrError, in linear time', () => {
  const patterns = fc.constantFrom(
    (n: number) => telegramText(['1-3:0.2.8(50)', `0-0:96.13.0(${'41'.repeat(Math.floor(n / 2))})`]),
    (n: number) => telegramText(['0-1:24.3.0(090212160000)(00)(60)(1)(0-1:24.2.1)(m3)', ...Array(Math.floor(n / 12)).fill('(00001.001)')], { crc: false }),
    (n: number) => telegramText(['1-0:99.97.0(0)(0-0:96.7.19)', ...Array(Math.floor(n / 4)).fill('(1)')]),
    (n: number) => telegramText([`1-0:99.97.0${'(240110083015W)(0000000240*s)'.repeat(Math.floor(n / 30))}`]),
    (n: number) => telegramText(Array(Math.floor(n / 22)).fill('1-0:1.8.1(000001.000*kWh)')),
    (n: number) => `/ABC5\r\n${'/'.repeat(n)}\r\n!`,
    (n: number) => telegramText([`0-0:96.13.0(${'('.repeat(n)}`]),
  );
  test.prop([patterns, fc.integer({ min: 300_000, max: 400_000 }), fc.boolean()], { numRuns: 20 })('300 KB and more', (pattern, size, bytes) => {
    const text = pattern(size - (size % 60));
    const result = safeParseTelegram(bytes ? latin1(text) : text, { verifyCrc: false });
    if (!result.ok) expect(result.error).toBeInstanceOf(DsmrError);
  });

  test.prop([anyTelegramArb, fc.integer({ min: 1000, max: 5000 })], { numRuns: 20 })('a telegram repeated into one frame of 1-5 MB', (input, times) => {
    const text = formatTelegram(input).repeat(times);
    const result = safeParseTelegram(text);
    if (!result.ok) expect(result.error).toBeInstanceOf(DsmrError);
  });
});
