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

/** A telegram of some profile and what its typed view must contain (for `toMatchObject`). */
export interface ProfileCase {
  profile: string;
  input: TelegramInput;
  expected: Record<string, unknown>;
}

const hexOf = (text: string) => Array.from(text, (c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join('');
const idArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'.split('')), minLength: 4, maxLength: 17 });
const minuteInstant = fc.integer({ min: Date.UTC(2001, 0, 1) / 60000, max: Date.UTC(2060, 0, 1) / 60000 }).map((m) => new Date(m * 60000));

/** UTC wall time `YYMMDDhhmmss` (no flag): parsed with `timeZone: 'UTC'` it is the instant itself. */
function utcWall(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`;
}

const legacyArb: fc.Arbitrary<ProfileCase> = fc
  .record({ id: idArb, t1: thousandths(99_999), power: fc.integer({ min: 0, max: 999_999 }).map((n) => n / 100), amps: fc.integer({ min: 1, max: 999 }), channel: fc.integer({ min: 1, max: 4 }), gas: thousandths(99_999), at: minuteInstant })
  .map(({ id, t1, power, amps, channel, gas, at }) => ({
    profile: 'nl-legacy',
    input: {
      header: 'ISk5\\2MT382-1003',
      crc: false,
      objects: [
        { obis: '0-0:96.1.1', values: [{ raw: hexOf(id) }] },
        { obis: '1-0:1.8.1', values: [{ raw: fixed(t1, 5, 3), unit: 'kWh' }] },
        { obis: '1-0:1.7.0', values: [{ raw: fixed(power, 4, 2), unit: 'kW' }] },
        { obis: '0-0:17.0.0', values: [{ raw: fixed(amps, 3, 0), unit: 'A' }] },
        { obis: `0-${channel}:24.1.0`, values: [{ raw: '3' }] },
        {
          obis: `0-${channel}:24.3.0`,
          values: [{ raw: utcWall(at) }, { raw: '00' }, { raw: '60' }, { raw: '1' }, { raw: `0-${channel}:24.2.1` }, { raw: 'm3' }, { raw: fixed(gas, 5, 3) }],
        },
      ],
    },
    expected: {
      profile: 'nl-legacy',
      equipmentId: id,
      electricity: { imported: { tariff1: t1 }, power: { imported: power }, threshold: { value: amps, unit: 'A' } },
      mbus: [{ channel, deviceType: 3, reading: { timestamp: at, value: gas, unit: 'm3', temperatureCorrected: null } }],
    },
  }));

const belgianArb: fc.Arbitrary<ProfileCase> = fc
  .record({
    t1: thousandths(999_999),
    t2: thousandths(999_999),
    demand: thousandths(99),
    peak: fc.record({ at: instant, kw: thousandths(99) }),
    history: fc.array(fc.record({ end: instant, at: instant, kw: thousandths(99) }), { maxLength: 13 }),
    gas: fc.record({ channel: fc.integer({ min: 1, max: 4 }), id: idArb, value: thousandths(99_999), at: instant }),
  })
  .map(({ t1, t2, demand, peak, history, gas }) => ({
    profile: 'be',
    input: {
      header: 'FLU5\\253769484_A',
      objects: [
        { obis: '0-0:96.1.4', values: [{ raw: '50217' }] },
        { obis: '1-0:1.8.1', values: [{ raw: fixed(t1, 6, 3), unit: 'kWh' }] },
        { obis: '1-0:1.8.2', values: [{ raw: fixed(t2, 6, 3), unit: 'kWh' }] },
        { obis: '1-0:1.4.0', values: [{ raw: fixed(demand, 2, 3), unit: 'kW' }] },
        { obis: '1-0:1.6.0', values: [{ raw: tst(peak.at, true) }, { raw: fixed(peak.kw, 2, 3), unit: 'kW' }] },
        {
          obis: '0-0:98.1.0',
          values: [
            { raw: String(history.length) },
            { raw: '1-0:1.6.0' },
            { raw: '1-0:1.6.0' },
            ...history.flatMap((h) => [{ raw: tst(h.end, false) }, { raw: tst(h.at, true) }, { raw: fixed(h.kw, 2, 3), unit: 'kW' }]),
          ],
        },
        { obis: `0-${gas.channel}:24.1.0`, values: [{ raw: '003' }] },
        { obis: `0-${gas.channel}:96.1.1`, values: [{ raw: hexOf(gas.id) }] },
        { obis: `0-${gas.channel}:24.2.3`, values: [{ raw: tst(gas.at, false) }, { raw: fixed(gas.value, 5, 3), unit: 'm3' }] },
      ],
    },
    expected: {
      profile: 'be',
      version: '50217',
      electricity: {
        imported: { tariff1: t1, tariff2: t2 },
        demand: {
          current: demand,
          monthPeak: { timestamp: peak.at, value: peak.kw },
          history: history.map((h) => ({ periodEnd: h.end, timestamp: h.at, value: h.kw })),
        },
      },
      mbus: [{ channel: gas.channel, deviceType: 3, equipmentId: gas.id, reading: { timestamp: gas.at, value: gas.value, unit: 'm3', temperatureCorrected: false } }],
    },
  }));

const smartyArb: fc.Arbitrary<ProfileCase> = fc
  .record({ name: idArb, total: thousandths(999_999), reactive: thousandths(999_999), kva: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10), limit: fc.integer({ min: 0, max: 999 }), back: fc.integer({ min: -999, max: 0 }), relays: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }) })
  .map(({ name, total, reactive, kva, limit, back, relays }) => ({
    profile: 'lu',
    input: {
      header: 'Lux5\\253694471_M',
      objects: [
        { obis: '1-3:0.2.8', values: [{ raw: '42' }] },
        { obis: '0-0:42.0.0', values: [{ raw: hexOf(name) }] },
        { obis: '1-0:1.8.0', values: [{ raw: fixed(total, 6, 3), unit: 'kWh' }] },
        { obis: '1-0:3.8.0', values: [{ raw: fixed(reactive, 6, 3), unit: 'kvarh' }] },
        { obis: '0-0:17.0.0', values: [{ raw: fixed(kva, 3, 1), unit: 'kVA' }] },
        { obis: '1-1:31.4.0', values: [{ raw: fixed(limit, 3, 0), unit: 'A' }, { raw: back < 0 ? `-${fixed(-back, 3, 0)}` : '000', unit: 'A' }] },
        ...relays.map((state, i) => ({ obis: `0-${i + 1}:96.3.10`, values: [{ raw: String(state) }] })),
      ],
    },
    expected: {
      profile: 'lu',
      logicalDeviceName: name,
      electricity: {
        imported: { total },
        reactiveEnergy: { imported: { total: reactive } },
        threshold: { value: kva, unit: 'kVA' },
        currentThreshold: { imported: limit, exported: back === 0 ? 0 : back },
        relays: relays.map((state, i) => ({ relay: i + 1, state })),
      },
      mbus: [],
    },
  }));

const swedishArb: fc.Arbitrary<ProfileCase> = fc
  .record({ at: instant, total: thousandths(99_999_999), reactive: thousandths(99_999_999), q: fc.array(thousandths(9_999), { minLength: 3, maxLength: 3 }) })
  .map(({ at, total, reactive, q }) => ({
    profile: 'se',
    input: {
      header: 'KAM5',
      objects: [
        { obis: '0-0:1.0.0', values: [{ raw: tst(at, false) }] },
        { obis: '1-0:1.8.0', values: [{ raw: fixed(total, 8, 3), unit: 'kWh' }] },
        { obis: '1-0:3.8.0', values: [{ raw: fixed(reactive, 8, 3), unit: 'kVArh' }] },
        ...q.map((v, i) => ({ obis: `1-0:${23 + 20 * i}.7.0`, values: [{ raw: fixed(v, 4, 3), unit: 'kVAr' }] })),
      ],
    },
    expected: {
      profile: 'se',
      timestamp: at,
      electricity: {
        imported: { total },
        reactiveEnergy: { imported: { total: reactive } },
        phases: q.map((v, i) => ({ phase: i + 1, reactivePowerImported: v })),
      },
    },
  }));

/** A meter of any supported profile (Dutch 4/5 and Austrian via meterArb). */
export const profileCaseArb: fc.Arbitrary<ProfileCase> = fc.oneof(
  meterArb.map((m) => ({
    profile: m.wattHours ? 'at' : 'nl',
    input: meterTelegram(m),
    expected: { profile: m.wattHours ? 'at' : 'nl', electricity: { imported: { tariff1: m.importT1, tariff2: m.importT2 } } },
  })),
  legacyArb,
  belgianArb,
  smartyArb,
  swedishArb,
);

