import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { TelegramFramer, crc16, formatTelegram, parseTelegram, type Telegram } from '../src/index.js';
import { anyTelegramArb, meterArb, meterTelegram } from './helpers/arbitraries.js';
import { TRANSPORTS, concat, cut, decodeWith } from './helpers/streams.js';
import { latin1 } from './helpers/telegram.js';

/** Telegrams of any structure and realistic meter telegrams, as bytes. */
const telegramBytesArb = fc.oneof(anyTelegramArb, meterArb.map(meterTelegram)).map((input) => latin1(formatTelegram(input)));
const telegramListArb = fc.array(telegramBytesArb, { minLength: 1, maxLength: 6 });
const cutsArb = fc.array(fc.nat(), { maxLength: 40 });
/** Garbage as a stream sees it between telegrams: anything but "/". */
const garbageArb = fc.uint8Array({ minLength: 1, maxLength: 60 }).map((bytes) => bytes.map((b) => (b === 0x2f ? 0x2e : b)));

/** DSMR ≥ 4 telegrams: a version line first, so the CRC is required and protects every byte. */
const protectedListArb = fc.array(
  fc.oneof(anyTelegramArb.map((t) => ({ ...t, objects: [{ obis: '1-3:0.2.8', values: [{ raw: '50' }] }, ...t.objects] })), meterArb.map(meterTelegram)).map((input) => latin1(formatTelegram(input))),
  { minLength: 1, maxLength: 6 },
);

function damage(telegrams: readonly Uint8Array[], which: number, at: number, delta: number) {
  const victim = which % telegrams.length;
  const changed = telegrams.map((t) => t.slice());
  const bytes = changed[victim]!;
  const position = at % bytes.length;
  bytes[position] = (bytes[position]! + delta) & 0xff;
  return { victim, position, changed };
}

function parsedAlone(bytes: Uint8Array): Telegram {
  return parseTelegram(bytes);
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  test.prop([telegramListArb, cutsArb])('yields exactly the telegrams, in order, however the bytes are cut', async (telegrams, cuts) => {
    const { telegrams: out, errors } = await decodeWith(transport, cut(concat(telegrams), cuts));
    expect(errors).toEqual([]);
    expect(out).toEqual(telegrams.map(parsedAlone));
  });

  test.prop([telegramListArb, fc.array(fc.option(garbageArb, { nil: null })), cutsArb])(
    'yields exactly the telegrams with garbage (no "/") between them',
    async (telegrams, garbage, cuts) => {
      const parts: Uint8Array[] = [];
      telegrams.forEach((t, i) => {
        const before = garbage[i];
        if (before) parts.push(before);
        parts.push(t);
      });
      const after = garbage[telegrams.length];
      if (after) parts.push(after);
      const { telegrams: out, errors } = await decodeWith(transport, cut(concat(parts), cuts));
      expect(errors).toEqual([]);
      expect(out).toEqual(telegrams.map(parsedAlone));
    },
  );

  test.prop([protectedListArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), cutsArb])(
    'with one byte of a CRC-protected telegram changed: that one is reported (or unchanged), all others come through',
    async (telegrams, which, at, delta, cuts) => {
      const { victim, position, changed } = damage(telegrams, which, at, delta);
      const { telegrams: out, errors, stats } = await decodeWith(transport, cut(concat(changed), cuts));
      const expected = telegrams.map(parsedAlone);
      if (out.length === expected.length) {
        // the change did not matter (the line end after the CRC; a CRC digit's case, which only
        // adds a CRC_FORMAT warning): the same data as sent
        const withoutWarnings = (t: Telegram) => ({ ...t, warnings: [] });
        expect(out.map(withoutWarnings)).toEqual(expected.map(withoutWarnings));
        return;
      }
      expect(out).toEqual(expected.filter((_, i) => i !== victim));
      if (position === 0 && errors.length === 0) {
        // a telegram whose "/" was destroyed is indistinguishable from garbage: it is skipped
        if (stats !== null) expect(stats.skippedBytes).toBeGreaterThan(0);
      } else {
        expect(errors.length).toBeGreaterThanOrEqual(1);
      }
    },
  );

  test.prop([telegramListArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), cutsArb])(
    'with one byte of any telegram changed, all the others come through',
    async (telegrams, which, at, delta, cuts) => {
      // a telegram without version or timestamp line may go without CRC (DSMR 2.2/3.0), so its
      // own damage can go unnoticed: only the others are certain
      const { victim, changed } = damage(telegrams, which, at, delta);
      const { telegrams: out } = await decodeWith(transport, cut(concat(changed), cuts));
      const others = telegrams.map(parsedAlone).filter((_, i) => i !== victim);
      expect(out.length === telegrams.length ? out.filter((_, i) => i !== victim) : out).toEqual(others);
    },
  );
});

describe('TelegramFramer', () => {
  test.prop([telegramListArb, cutsArb])('hands out, with each telegram, the CRC of its bytes from "/" through "!"', (telegrams, cuts) => {
    const framer = new TelegramFramer();
    const events = [...cut(concat(telegrams), cuts).flatMap((c) => framer.push(c)), ...framer.flush()];
    expect(events).toHaveLength(telegrams.length);
    for (const event of events) {
      if (event.type !== 'telegram') throw new Error(`unexpected ${event.error.code}`);
      expect(event.bytes[event.crcLength - 1]).toBe(0x21);
      expect(event.crc).toBe(crc16(event.bytes.subarray(0, event.crcLength)));
    }
  });
});
