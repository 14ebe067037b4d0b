/**
 * Any value where the public functions take options or input: they work, or throw (reject with)
 * a DsmrError; never another error.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import {
  DsmrError,
  TelegramDecoder,
  TelegramDecoderStream,
  TelegramFramer,
  crc16,
  crc16x25,
  createDecoder,
  createTelegramStream,
  decryptTelegram,
  formatTelegram,
  formatTimestamp,
  parseDlms,
  parseTelegram,
  readTelegrams,
} from '../src/index.js';

/** Runs `call`; a DsmrError or a result is fine, anything else fails the property. */
async function onlyDsmrErrors(call: () => unknown): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof DsmrError)) expect.fail(`not a DsmrError: ${String(error)}`);
  }
}

const CALLS: Record<string, (value: never) => unknown> = {
  parseTelegram: (v) => parseTelegram('/TST5\r\n\r\n1-0:1.7.0(1*kW)\r\n!', v),
  createTelegramStream: (v) => createTelegramStream(v).destroy(),
  TelegramDecoderStream: (v) => new TelegramDecoderStream(v),
  createDecoder: (v) => createDecoder(v),
  TelegramDecoder: (v) => new TelegramDecoder(v),
  'TelegramDecoder.push': (v) => new TelegramDecoder().push(v),
  TelegramFramer: (v) => new TelegramFramer(v),
  'TelegramFramer.push': (v) => new TelegramFramer().push(v),
  readTelegrams: (v) => readTelegrams([], v).next(),
  'readTelegrams source': (v) => readTelegrams(v).next(),
  parseDlms: (v) => parseDlms(v),
  'parseDlms options': (v) => parseDlms(new Uint8Array([0x7e, 0xa0, 0x07, 0x7e]), v),
  decryptTelegram: (v) => decryptTelegram(v, { key: '00112233445566778899AABBCCDDEEFF' }),
  'decryptTelegram options': (v) => decryptTelegram(new Uint8Array(32), v),
  crc16: (v) => crc16(v),
  crc16x25: (v) => crc16x25(v),
  'crc16 seed': (v) => crc16(new Uint8Array(4), v),
  'crc16 range': (v) => crc16(new Uint8Array(4), 0, v),
  formatTelegram: (v) => formatTelegram(v),
  formatTimestamp: (v) => formatTimestamp(v),
  'formatTimestamp zone': (v) => formatTimestamp(new Date(0), v),
};

test.prop([fc.constantFrom(...Object.keys(CALLS)), fc.anything({ withNullPrototype: true, withBoxedValues: true, withTypedArray: true, withDate: true })])(
  'any value as options or input: a result or a DsmrError',
  async (name, value) => {
    await onlyDsmrErrors(() => CALLS[name]!(value as never));
  },
);
