/**
 * What users look for without knowing the meter's layout: the reading over all tariffs, and the
 * gas, water and heat meters by their device type, whatever the channel.
 */
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decimalSum } from '../src/core/model/totals.js';
import { parseTelegram } from '../src/index.js';
import { APPENDIX_A1_LINES, telegramText } from './helpers/telegram.js';

const parse = (lines: readonly string[]) => parseTelegram(telegramText(lines));

describe('allTariffs', () => {
  it('is the exact decimal sum of the two tariff registers when the meter sends no total', () => {
    const t = parse(APPENDIX_A1_LINES);
    expect(t.electricity.imported).toMatchObject({ total: null, allTariffs: 3580.245, allTariffsComputed: true });
    expect(t.electricity.exported).toMatchObject({ allTariffs: 358.023, allTariffsComputed: true });
    // no reactive registers: nothing to add up
    expect(t.electricity.reactiveEnergy.imported).toMatchObject({ allTariffs: null, allTariffsComputed: false });
  });

  it('adds as decimals do (0.1 + 0.2 is 0.3) and keeps one register when the other is missing', () => {
    const t = parse(['1-0:1.8.1(000000.100*kWh)', '1-0:1.8.2(000000.200*kWh)', '1-0:2.8.2(000012.500*kWh)']);
    expect(t.electricity.imported.allTariffs).toBe(0.3);
    expect(t.electricity.exported).toMatchObject({ tariff1: null, allTariffs: 12.5, allTariffsComputed: true });
  });

  it('is the total as sent when there is one, not a sum', () => {
    const t = parse(['1-0:1.8.0(000100.000*kWh)', '1-0:1.8.1(000060.000*kWh)', '1-0:1.8.2(000030.000*kWh)']);
    expect(t.electricity.imported).toMatchObject({ total: 100, allTariffs: 100, allTariffsComputed: false });
  });

  it('is null when the meter has more tariff registers than two (their sum would be short)', () => {
    const t = parse(['1-0:1.8.1(000060.000*kWh)', '1-0:1.8.2(000030.000*kWh)', '1-0:1.8.3(000010.000*kWh)', '1-0:2.8.1(000001.000*kWh)']);
    expect(t.electricity.imported).toMatchObject({ allTariffs: null, allTariffsComputed: false });
    expect(t.electricity.exported.allTariffs).toBe(1);
  });

  it('decimalSum: exact at the longer fraction; numbers in exponent form too', () => {
    expect(decimalSum(1.1, 2.2)).toBe(3.3);
    expect(decimalSum(638.971, 1.03)).toBe(640.001);
    expect(decimalSum(999999999.999, 0.001)).toBe(1000000000);
    expect(decimalSum(1e-7, 2e-7)).toBe(3e-7);
    expect(decimalSum(7e-7, 0.000001)).toBe(0.0000017);
    expect(decimalSum(1e300, 1e300)).toBe(2e300);
  });
});

describe('gas, water and heat', () => {
  it('are found by device type, whatever the channel', () => {
    const t = parse([
      '0-1:24.1.0(007)',
      '0-1:24.2.1(240315142500W)(00012.345*m3)',
      '0-2:24.1.0(003)',
      '0-2:24.2.1(240315142500W)(01234.567*m3)',
      '0-3:24.1.0(004)',
      '0-3:24.2.1(240315140000W)(00001.234*GJ)',
    ]);
    expect(t.gas).toMatchObject({ value: 1234.567, unit: 'm3', timestamp: new Date('2024-03-15T13:25:00Z') });
    expect(t.water).toMatchObject({ value: 12.345, unit: 'm3' });
    expect(t.heat).toMatchObject({ value: 1.234, unit: 'GJ' });
    expect(t.gas).toBe(t.mbus[1]!.reading);
  });

  it('of two gas meters, the most recent reading; null when there is none or it is not valid', () => {
    const two = parse(['0-1:24.1.0(003)', '0-1:24.2.1(240315130000W)(00001.000*m3)', '0-2:24.1.0(003)', '0-2:24.2.1(240315140000W)(00002.000*m3)']);
    expect(two.gas?.value).toBe(2);
    const none = parse(['1-0:1.8.1(000060.000*kWh)', '0-1:24.1.0(003)', '0-1:24.2.1(632525252525S)(00000.000)']);
    expect([none.gas, none.water, none.heat]).toEqual([null, null, null]);
    expect(parse(['0-1:24.2.1(240315130000W)(00001.000*m3)']).gas).toBeNull(); // no device type: not known to be gas
  });
});

describe('decimalSum', () => {
  it('equals the decimal sum read back as a number, for any decimals of up to 9 digits after the point', () => {
    const exact = (a: string, b: string): number => {
      const digits = Math.max(a.length - a.indexOf('.') - 1, b.length - b.indexOf('.') - 1);
      const units = (x: string) => BigInt(x.replace('.', '') + '0'.repeat(digits - (x.length - x.indexOf('.') - 1)));
      const sum = (units(a) + units(b)).toString().padStart(digits + 1, '0');
      return Number(`${sum.slice(0, -digits)}.${sum.slice(-digits)}`);
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 1, max: 9 }), (x, y, digits) => {
        const text = (n: bigint) => { const s = n.toString().padStart(digits + 1, '0'); return `${s.slice(0, -digits)}.${s.slice(-digits)}`; };
        expect(decimalSum(Number(text(x)), Number(text(y)))).toBe(exact(text(x), text(y)));
      }),
    );
  });
});
