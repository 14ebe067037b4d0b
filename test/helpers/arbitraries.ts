/** fast-check generators of telegrams: any structure, and realistic meters with known readings. */
import { fc } from '@fast-check/vitest';
import type { ObjectInput, TelegramInput } from '../../src/index.js';

/** Characters a value may hold: Latin-1 without the group syntax `(`, `)`, `*` and line ends. */
const valueChar = fc.integer({ min: 0, max: 0xff }).filter((c) => ![0x28, 0x29, 0x2a, 0x0a, 0x0d].includes(c)).map((c) => String.fromCharCode(c));
const unitChar = fc.constantFrom(...'kWhVAvarm3sGJ *'.split(''));

const digits = (min: number, max: number) => fc.integer({ min, max }).map(String);

export const obisArb = fc
  .tuple(digits(0, 9), digits(0, 99), digits(0, 255), digits(0, 255), digits(0, 255))
  .map(([a, b, c, d, e]) => `${a}-${b}:${c}.${d}.${e}`);

export const valueArb = fc.record({
  raw: fc.string({ unit: valueChar, maxLength: 20 }),
  unit: fc.option(fc.string({ unit: unitChar, maxLength: 6 }), { nil: null }),
});

export const objectArb: fc.Arbitrary<ObjectInput> = fc.record({
  obis: fc.oneof({ weight: 4, arbitrary: obisArb }, fc.constantFrom('0-1:24.3.0', '1-0:1.8.1', '0-0:1.0.0', '1-0:99.97.0', '0-1:24.2.1')),
  values: fc.array(valueArb, { minLength: 1, maxLength: 5 }),
});

/** Printable header text after `/` (strict-mode valid: manufacturer, baud digit, identification). */
export const headerArb = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('')), minLength: 3, maxLength: 3 }),
    digits(0, 9),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 24 }),
  )
  .map(([m, z, id]) => m + z + id);

/** A telegram of any structure (random codes and values), always with a correct CRC. */
export const anyTelegramArb: fc.Arbitrary<TelegramInput> = fc.record({
  header: headerArb,
  objects: fc.array(objectArb, { maxLength: 12 }),
  lineEnding: fc.constantFrom('\r\n' as const, '\n' as const),
  blankLine: fc.boolean(),
});

/** Readings of a DSMR 5 meter, with the values the typed view must give back. */
export interface MeterReadings {
  header: string;
  timestamp: Date;
  importT1: number;
  importT2: number;
  exportT1: number;
  exportT2: number;
  tariff: 1 | 2;
  powerImported: number;
  powerExported: number;
  failures: number;
  voltages: number[];
  gas: { channel: number; value: number; timestamp: Date } | null;
  /** send energy in Wh and power in W, like Austrian Sagemcom meters */
  wattHours: boolean;
}

const thousandths = (max: number) => fc.integer({ min: 0, max: max * 1000 }).map((n) => n / 1000);
const instant = fc.integer({ min: Date.UTC(2001, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }).map((s) => new Date(s * 1000));

export const meterArb: fc.Arbitrary<MeterReadings> = fc.record({
  header: headerArb,
  timestamp: instant,
  importT1: thousandths(999_999),
  importT2: thousandths(999_999),
  exportT1: thousandths(999_999),
  exportT2: thousandths(999_999),
  tariff: fc.constantFrom(1 as const, 2 as const),
  powerImported: thousandths(99),
  powerExported: thousandths(99),
  failures: fc.integer({ min: 0, max: 99_999 }),
  voltages: fc.array(fc.integer({ min: 0, max: 9999 }).map((n) => n / 10), { minLength: 1, maxLength: 3 }),
  gas: fc.option(fc.record({ channel: fc.integer({ min: 1, max: 4 }), value: thousandths(99_999), timestamp: instant }), { nil: null }),
  wattHours: fc.boolean(),
});

function fixed(value: number, integerDigits: number, decimals: number): string {
  const [int, frac = ''] = value.toFixed(decimals).split('.');
  return decimals === 0 ? int!.padStart(integerDigits, '0') : `${int!.padStart(integerDigits, '0')}.${frac}`;
}

/** `YYMMDDhhmmssX` of an instant, with the flag chosen by the instant's CET/CEST offset. */
export function tst(date: Date, summer: boolean): string {
  const local = new Date(date.getTime() + (summer ? 2 : 1) * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(local.getUTCFullYear() % 100)}${two(local.getUTCMonth() + 1)}${two(local.getUTCDate())}${two(local.getUTCHours())}${two(local.getUTCMinutes())}${two(local.getUTCSeconds())}${summer ? 'S' : 'W'}`;
}

/** The telegram a meter with these readings sends. */
export function meterTelegram(m: MeterReadings): TelegramInput {
  const energy = (kwh: number) => (m.wattHours ? { raw: fixed(Math.round(kwh * 1000), 9, 0), unit: 'Wh' } : { raw: fixed(kwh, 6, 3), unit: 'kWh' });
  const power = (kw: number) => (m.wattHours ? { raw: fixed(Math.round(kw * 1000), 9, 0), unit: 'W' } : { raw: fixed(kw, 2, 3), unit: 'kW' });
  const objects: ObjectInput[] = [
    { obis: '1-3:0.2.8', values: [{ raw: '50' }] },
    { obis: '0-0:1.0.0', values: [{ raw: tst(m.timestamp, m.timestamp.getUTCMonth() % 2 === 0) }] },
    { obis: '1-0:1.8.1', values: [energy(m.importT1)] },
    { obis: '1-0:1.8.2', values: [energy(m.importT2)] },
    { obis: '1-0:2.8.1', values: [energy(m.exportT1)] },
    { obis: '1-0:2.8.2', values: [energy(m.exportT2)] },
    { obis: '0-0:96.14.0', values: [{ raw: fixed(m.tariff, 4, 0) }] },
    { obis: '1-0:1.7.0', values: [power(m.powerImported)] },
    { obis: '1-0:2.7.0', values: [power(m.powerExported)] },
    { obis: '0-0:96.7.21', values: [{ raw: fixed(m.failures, 5, 0) }] },
    ...m.voltages.map((v, i) => ({ obis: `1-0:${32 + 20 * i}.7.0`, values: [{ raw: fixed(v, 3, 1), unit: 'V' }] })),
  ];
  if (m.gas !== null) {
    const c = m.gas.channel;
    objects.push(
      { obis: `0-${c}:24.1.0`, values: [{ raw: '003' }] },
      { obis: `0-${c}:24.2.1`, values: [{ raw: tst(m.gas.timestamp, false) }, { raw: fixed(m.gas.value, 5, 3), unit: 'm3' }] },
    );
  }
  return { header: m.header, objects };
}
