import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DsmrError, formatTelegram, parseTelegram, safeParseTelegram, type Telegram } from '../src/index.js';
import { anyTelegramArb, meterArb, meterTelegram, profileCaseArb } from './helpers/arbitraries.js';
import { APPENDIX_A1, latin1 } from './helpers/telegram.js';

/** a + b in decimal arithmetic (BigInt millionths), read back as the number that decimal is. */
function exactSum(a: number, b: number): number {
  const millionths = (x: number) => BigInt(x.toFixed(6).replace('.', ''));
  const sum = (millionths(a) + millionths(b)).toString().padStart(7, '0');
  return Number(`${sum.slice(0, -6)}.${sum.slice(-6)}`);
}

function objectsOf(t: Telegram) {
  return t.objects.map((o) => ({ obis: o.obis, values: o.values }));
}

function expectedObjects(input: ReturnType<typeof anyTelegramArb.generate>['value']) {
  return input.objects.map((o) => ({ obis: o.obis, values: o.values.map((v) => ({ raw: v.raw, unit: v.unit ?? null })) }));
}

describe('format → parse round trip', () => {
  test.prop([anyTelegramArb])('gives back every object and value, from a string or from bytes', (input) => {
    const text = formatTelegram(input);
    const fromText = parseTelegram(text);
    expect(objectsOf(fromText)).toEqual(expectedObjects(input));
    expect(fromText.checksum?.expected).toBe(fromText.checksum?.actual);
    expect(parseTelegram(latin1(text))).toEqual(fromText);
  });

  test.prop([meterArb])('gives back the readings of a meter in fixed units, in strict mode', (meter) => {
    const t = parseTelegram(formatTelegram(meterTelegram(meter)), { mode: 'strict' });
    expect(t.warnings).toEqual([]);
    // a DSMR 5 telegram with registers in Wh is what Austrian Sagemcom meters send
    expect(t.profile).toBe(meter.wattHours ? 'at' : 'nl');
    expect(t.timestamp).toEqual(meter.timestamp);
    const registers = (tariff1: number, tariff2: number) => ({ total: null, tariff1, tariff2, allTariffs: exactSum(tariff1, tariff2), allTariffsComputed: true });
    expect(t.electricity.imported).toEqual(registers(meter.importT1, meter.importT2));
    expect(t.electricity.exported).toEqual(registers(meter.exportT1, meter.exportT2));
    expect(t.electricity.tariff).toBe(meter.tariff);
    expect(t.electricity.power).toEqual({ imported: meter.powerImported, exported: meter.powerExported });
    expect(t.electricity.powerFailures.count).toBe(meter.failures);
    expect(t.electricity.phases.map((p) => p.voltage)).toEqual(meter.voltages);
    expect(t.gas).toEqual(t.mbus[0]?.reading ?? null);
    expect(t.mbus).toEqual(
      meter.gas === null
        ? []
        : [{ channel: meter.gas.channel, deviceType: 3, equipmentId: null, reading: { timestamp: meter.gas.timestamp, value: meter.gas.value, unit: 'm3', temperatureCorrected: meter.wattHours ? null : true }, valvePosition: null }],
    );
  });

  test.prop([anyTelegramArb])('survives a bridge that strips CR: same objects, CRC repaired', (input) => {
    const stripped = formatTelegram({ ...input, lineEnding: '\r\n' }).replaceAll('\r\n', '\n');
    const t = parseTelegram(stripped);
    expect(objectsOf(t)).toEqual(expectedObjects(input));
    expect(t.warnings.map((w) => w.code)).toContain('CRC_LINE_ENDINGS_REPAIRED');
  });
});

describe('damage', () => {
  test.prop([anyTelegramArb, fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'any single-byte change is rejected or gives the same objects',
    (input, at, delta) => {
      const bytes = latin1(formatTelegram(input));
      const i = at % bytes.length;
      const changed = bytes.slice();
      changed[i] = (changed[i]! + delta) & 0xff;
      const result = safeParseTelegram(changed);
      if (result.ok) expect(objectsOf(result.telegram)).toEqual(expectedObjects(input));
      else expect(result.error).toBeInstanceOf(DsmrError);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 400 }), fc.constantFrom('strict' as const, 'lenient' as const), fc.boolean()])(
    'random bytes never throw anything but DsmrError',
    (bytes, mode, verifyCrc) => {
      safeParseTelegram(bytes, { mode, verifyCrc }); // rethrows anything that is not a DsmrError
    },
  );

  const a1 = latin1(APPENDIX_A1);
  const edit = fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 8 }), insert: fc.uint8Array({ maxLength: 8 }) });
  test.prop([fc.array(edit, { minLength: 1, maxLength: 6 }), fc.constantFrom('strict' as const, 'lenient' as const)])(
    'edited telegrams never throw anything but DsmrError, and parse or fail with a position',
    (edits, mode) => {
      let bytes = a1;
      for (const { at, remove, insert } of edits) {
        const i = at % (bytes.length + 1);
        const next = new Uint8Array(bytes.length - Math.min(remove, bytes.length - i) + insert.length);
        next.set(bytes.subarray(0, i));
        next.set(insert, i);
        next.set(bytes.subarray(i + remove), i + insert.length);
        bytes = next;
      }
      const result = safeParseTelegram(bytes, { mode, verifyCrc: false });
      if (!result.ok && result.error.code !== 'INVALID_OPTION') {
        expect(result.error.line).toBeGreaterThanOrEqual(1);
        expect(result.error.column).toBeGreaterThanOrEqual(1);
        expect(result.error.offset).toBeGreaterThanOrEqual(0);
      }
    },
  );
});

describe('profiles', () => {
  test.prop([profileCaseArb])('any telegram of any profile: format → parse gives back its readings, strict and clean', (c) => {
    const t = parseTelegram(formatTelegram(c.input), { mode: 'strict', timeZone: 'UTC' });
    expect(t.warnings).toEqual([]);
    expect(t).toMatchObject(c.expected);
    expect(objectsOf(t)).toEqual(c.input.objects.map((o) => ({ obis: o.obis, values: o.values.map((v) => ({ raw: v.raw, unit: v.unit ?? null })) })));
  });
});
