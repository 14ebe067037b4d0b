import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { parseDecimal } from '../src/core/model/units.js';

/** The number format of the protocol notes (§4.3), as the reference. */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

const decimalArb = fc
  .tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,20}$/), fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }))
  .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`);

/** `Number()`, except that a negative zero (`-0.000`) is zero: what a meter means by it. */
const number = (text: string): number => Number(text) + 0;

test.prop([decimalArb])('parseDecimal equals Number() for every decimal, whatever its length', (text) => {
  expect(parseDecimal(text)).toBe(number(text));
});

test('a negative zero is zero, scaled or not', () => {
  for (const exponent of [0, -3, 3]) expect(Object.is(parseDecimal('-0.000', exponent), 0)).toBe(true);
});

test.prop([decimalArb, fc.constantFrom(-3, 3)])('parseDecimal scaled by 10^±3 equals Number() of the text with the point moved', (text, exponent) => {
  const sign = /^[+-]/.test(text) ? text[0] : '';
  const [int, frac = ''] = text.replace(/^[+-]/, '').split('.');
  const all = int! + frac;
  const point = int!.length + exponent;
  const shifted = point <= 0 ? `0.${'0'.repeat(-point)}${all}` : point >= all.length ? all + '0'.repeat(point - all.length) : `${all.slice(0, point)}.${all.slice(point)}`;
  expect(parseDecimal(text, exponent)).toBe(number(sign + shifted));
});

test.prop([fc.string({ maxLength: 12 }), fc.stringMatching(/^[+-]?[\d.]{0,8}$/)])('parseDecimal rejects exactly what is not ^[+-]?\\d+(\\.\\d+)?$', (any, numberish) => {
  for (const text of [any, numberish]) expect(parseDecimal(text) === null).toBe(!DECIMAL.test(text));
});

test.prop([fc.constantFrom('', '+', '-', '.', '1.', '.5', '1..2', '1e5', ' 1', '1 ', '0x10', 'Infinity', '1,5', '--1')])('rejects what meters never send as a number', (text) => {
  expect(parseDecimal(text)).toBeNull();
});
