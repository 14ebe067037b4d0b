/**
 * The arguments a JavaScript caller can get wrong, at every public function: each mistake is a
 * DsmrError with a code, at the call (not a TypeError from inside, a stream that dies at its first
 * bad telegram, or a wrong result).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  EncryptedTelegramDecoder,
  P1Connection,
  TelegramDecoder,
  TelegramDecoderStream,
  TelegramFramer,
  crc16,
  crc16x25,
  createDecoder,
  decryptTelegram,
  openP1Socket,
  parseTelegram,
  createTelegramStream,
  formatTelegram,
  formatTimestamp,
  parseDlms,
  readTelegrams,
} from '../src/index.js';
import { detectP1Settings, openP1Port } from '../src/serialport.js';
import { latin1, telegramText } from './helpers/telegram.js';

type Code = 'INVALID_OPTION' | 'INVALID_INPUT';

/** The error `run` throws (or its promise rejects with). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return 'nothing thrown';
}

const rejects = async (run: () => unknown, code: Code) => expect(await thrown(run)).toMatchObject({ name: 'DsmrError', code });

describe('options that are not an object', () => {
  const makers: [string, (options: never) => unknown][] = [
    ['createTelegramStream', (o) => createTelegramStream(o)],
    ['TelegramDecoderStream', (o) => new TelegramDecoderStream(o)],
    ['createDecoder', (o) => createDecoder(o)],
    ['TelegramDecoder', (o) => new TelegramDecoder(o)],
    ['EncryptedTelegramDecoder', (o) => new EncryptedTelegramDecoder(o)],
    ['TelegramFramer', (o) => new TelegramFramer(o)],
    ['P1Connection', (o) => new P1Connection('test', () => Promise.reject(new Error('never connects')), o)],
    ['parseDlms', (o) => parseDlms(new Uint8Array(8), o)],
    ['readTelegrams', (o) => readTelegrams([], o).next()],
    ['detectP1Settings', (o) => detectP1Settings('/dev/null', o)],
  ];
  for (const [name, make] of makers) {
    it(`${name}: null and 42 are INVALID_OPTION`, async () => {
      await rejects(() => make(null as never), 'INVALID_OPTION');
      await rejects(() => make(42 as never), 'INVALID_OPTION');
    });
  }
});

describe('options that do not exist', () => {
  const telegram = telegramText(['1-0:1.7.0(00.123*kW)']);
  const calls: [string, (options: object) => unknown][] = [
    ['parseTelegram', (o) => parseTelegram(telegram, o)],
    ['createTelegramStream', (o) => createTelegramStream(o)],
    ['TelegramDecoderStream', (o) => new TelegramDecoderStream(o)],
    ['createDecoder', (o) => createDecoder(o)],
    ['TelegramDecoder', (o) => new TelegramDecoder(o)],
    // the framer has one option: misspelt the same way
    ['TelegramFramer', (o) => new TelegramFramer('timezone' in o ? { maxtelegrambytes: 1024 } : o)],
    ['readTelegrams', (o) => readTelegrams([], o).next()],
    ['parseDlms', (o) => parseDlms(new Uint8Array(8), o)],
    ['P1Connection', (o) => new P1Connection('test', () => Promise.reject(new Error('never connects')), o)],
    ['openP1Socket', (o) => openP1Socket({ host: '127.0.0.1', port: 1, ...o })],
    ['openP1Port', (o) => openP1Port({ path: '/dev/null', ...o })],
    ['detectP1Settings', (o) => detectP1Settings('/dev/null', o)],
  ];
  for (const [name, call] of calls) {
    it(`${name}: a misspelt option is INVALID_OPTION, with the name it meant`, async () => {
      const error = await thrown(() => call({ timezone: 'Europe/Helsinki' }));
      expect(error).toMatchObject({ name: 'DsmrError', code: 'INVALID_OPTION', message: expect.stringContaining('did you mean') });
      await rejects(() => call({ colour: 'blue' }), 'INVALID_OPTION');
    });
  }

  it('names every option the function takes when nothing is close', async () => {
    expect(await thrown(() => parseTelegram(telegram, { strict: true } as never))).toMatchObject({
      message: 'unknown option "strict": the options are mode, verifyCrc, timeZone, profile',
    });
    expect(await thrown(() => parseTelegram(telegram, { timezone: 'UTC' } as never))).toMatchObject({ message: 'unknown option "timezone": did you mean timeZone?' });
    await rejects(() => decryptTelegram(new Uint8Array(32), { key: '00112233445566778899AABBCCDDEEFF', authKey: 'FF' } as never), 'INVALID_OPTION');
    await rejects(() => new P1Connection('test', () => Promise.reject(new Error('never connects')), { reconnect: { initialDelay: 5, delay: 9 } as never }), 'INVALID_OPTION');
  });
});

describe('callbacks and stream settings', () => {
  it('an onError that is not a function fails at creation, not at the first bad telegram', async () => {
    await rejects(() => createTelegramStream({ onError: 5 as never }), 'INVALID_OPTION');
    await rejects(() => new TelegramDecoderStream({ onError: 'log' as never }), 'INVALID_OPTION');
    await rejects(() => readTelegrams([], { onError: {} as never }).next(), 'INVALID_OPTION');
  });

  it('a bad highWaterMark is INVALID_OPTION (not the TypeError of Node streams)', async () => {
    for (const highWaterMark of [-1, 1.5, '16']) await rejects(() => createTelegramStream({ highWaterMark: highWaterMark as never }), 'INVALID_OPTION');
    expect(createTelegramStream({ highWaterMark: 0 }).readableHighWaterMark).toBe(0);
  });

  it('readTelegrams refuses a source that yields no chunks, and reads the ones that do', async () => {
    for (const source of [42, null, {}, undefined]) await rejects(() => readTelegrams(source as never).next(), 'INVALID_INPUT');
    const telegram = latin1(telegramText(['1-0:1.7.0(00.123*kW)']));
    const webStream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(telegram);
        controller.close();
      },
    });
    for (const source of [[telegram], Readable.from([telegram]), webStream]) {
      const read = [];
      for await (const t of readTelegrams(source)) read.push(t.electricity.power.imported);
      expect(read).toEqual([0.123]);
    }
  });
});

describe('bytes and ranges', () => {
  it('crc16 and crc16x25 take a Uint8Array and a range within it', async () => {
    for (const crc of [crc16, crc16x25] as ((data: Uint8Array, ...rest: number[]) => number)[]) {
      await rejects(() => crc('123456789' as never), 'INVALID_INPUT');
      await rejects(() => crc([1, 2, 3] as never), 'INVALID_INPUT');
    }
    const data = latin1('123456789');
    for (const [start, end] of [[0, 10], [-1, 9], [5, 4], [0.5, 9], [0, Number.NaN]] as const) {
      await rejects(() => crc16(data, 0, start, end), 'INVALID_INPUT');
      await rejects(() => crc16x25(data, start, end), 'INVALID_INPUT');
    }
    for (const seed of [-1, 0x10000, 1.5, Number.NaN]) await rejects(() => crc16(data, seed), 'INVALID_INPUT');
    // the published check values, and the empty range
    expect([crc16(data), crc16x25(data), crc16(data, 0, 3, 3), crc16(data, 0xffff, 9)]).toEqual([0xbb3d, 0x906e, 0, 0xffff]);
  });

  it('TelegramFramer.push takes bytes', async () => {
    await rejects(() => new TelegramFramer().push('/ISK5' as never), 'INVALID_INPUT');
    await rejects(() => new TelegramFramer().push(42 as never), 'INVALID_INPUT');
  });
});

describe('formatTelegram and formatTimestamp', () => {
  const good = { header: 'TST5\\2TEST', objects: [{ obis: '1-0:1.7.0', values: [{ raw: '00.123', unit: 'kW' }] }] };

  it('formatTelegram names the part that is missing or of another type', async () => {
    const cases: [unknown, Code][] = [
      [null, 'INVALID_INPUT'],
      ['telegram', 'INVALID_INPUT'],
      [{}, 'INVALID_INPUT'],
      [{ ...good, header: 5 }, 'INVALID_INPUT'],
      [{ ...good, header: { raw: null } }, 'INVALID_INPUT'],
      [{ ...good, objects: 'x' }, 'INVALID_INPUT'],
      [{ ...good, objects: [null] }, 'INVALID_INPUT'],
      [{ ...good, objects: [{ obis: 1, values: [] }] }, 'INVALID_INPUT'],
      [{ ...good, objects: [{ obis: '1-0:1.7.0', values: [null] }] }, 'INVALID_INPUT'],
      [{ ...good, objects: [{ obis: '1-0:1.7.0', values: [{ raw: 1 }] }] }, 'INVALID_INPUT'],
      [{ ...good, objects: [{ obis: '1-0:1.7.0', values: [{ raw: '1', unit: 3 }] }] }, 'INVALID_INPUT'],
      [{ ...good, crc: 'yes' }, 'INVALID_OPTION'],
      [{ ...good, blankLine: 0 }, 'INVALID_OPTION'],
    ];
    for (const [input, code] of cases) await rejects(() => formatTelegram(input as never), code);
    expect(formatTelegram(good)).toMatch(/^\/TST5\\2TEST\r\n\r\n1-0:1\.7\.0\(00\.123\*kW\)\r\n![0-9A-F]{4}\r\n$/);
  });

  it('formatTimestamp takes a valid Date and a known time zone', async () => {
    await rejects(() => formatTimestamp(new Date(Number.NaN)), 'INVALID_INPUT');
    await rejects(() => formatTimestamp('2024-01-01' as never), 'INVALID_INPUT');
    await rejects(() => formatTimestamp(new Date(0), 'Mars/Olympus'), 'INVALID_OPTION');
    expect(formatTimestamp(new Date('2024-07-01T10:00:00Z'))).toBe('240701120000S');
  });
});

it('formatTimestamp writes only the years a two-digit DSMR year reads back as', async () => {
  await rejects(() => formatTimestamp(new Date('1999-12-31T22:59:59Z')), 'INVALID_INPUT'); // 23:59:59 CET
  await rejects(() => formatTimestamp(new Date('2099-12-31T23:00:00Z')), 'INVALID_INPUT'); // 2100-01-01 00:00 CET
  await rejects(() => formatTimestamp(new Date(-8.64e15)), 'INVALID_INPUT');
  expect(formatTimestamp(new Date('1999-12-31T23:00:00Z'))).toBe('000101000000W');
  expect(formatTimestamp(new Date('2099-12-31T22:59:59Z'))).toBe('991231235959W');
});
