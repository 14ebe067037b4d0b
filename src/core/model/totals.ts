/**
 * The reading over all tariffs (`allTariffs`): the total register when sent, else the exact
 * decimal sum of the two tariff registers, which Dutch and Belgian meters send instead.
 */
import type { TypedFields } from './fields.js';
import type { EnergyRegisters } from './telegram.js';

/**
 * The bit (`1 << c`) of a further tariff register `1-b:c.8.e` (e ≥ 3) of the four energy
 * registers (c = 1..4); 0 for any other code.
 */
export const furtherTariffBit = (a: number, c: number, d: number, e: number): number => (a === 1 && d === 8 && e >= 3 && c >= 1 && c <= 4 ? 1 << c : 0);

/** Sets `allTariffs` of the four energy registers; `furtherTariffs`: the bits of {@link furtherTariffBit} seen. */
export function completeTotals(fields: TypedFields, furtherTariffs: number): void {
  const { electricity } = fields;
  complete(electricity.imported, (furtherTariffs & (1 << 1)) !== 0);
  complete(electricity.exported, (furtherTariffs & (1 << 2)) !== 0);
  complete(electricity.reactiveEnergy.imported, (furtherTariffs & (1 << 3)) !== 0);
  complete(electricity.reactiveEnergy.exported, (furtherTariffs & (1 << 4)) !== 0);
}

function complete(registers: EnergyRegisters, hasFurtherTariffs: boolean): void {
  const { total, tariff1, tariff2 } = registers;
  if (total !== null) {
    registers.allTariffs = total;
    return;
  }
  if (hasFurtherTariffs || (tariff1 === null && tariff2 === null)) return;
  registers.allTariffs = tariff1 === null ? tariff2 : tariff2 === null ? tariff1 : decimalSum(tariff1, tariff2);
  registers.allTariffsComputed = true;
}

/**
 * `a + b` as the decimals the meter sent add up: `1.1 + 2.2` is `3.3`, not `3.3000000000000003`.
 * Each number's shortest form is the decimal text it was read from (trailing zeros aside), so
 * adding at the scale of the longer fraction and dividing back is exact.
 */
export function decimalSum(a: number, b: number): number {
  const digits = Math.max(fractionDigits(a), fractionDigits(b));
  const scale = 10 ** digits;
  const scaled = Math.round(a * scale + b * scale);
  // numbers in exponent form, or too large to scale exactly: the plain sum
  if (Number.isNaN(digits) || !Number.isSafeInteger(scaled)) return a + b;
  return scaled / scale;
}

/** Digits after the point of a number's shortest decimal form; NaN in exponent form (1e-7). */
function fractionDigits(value: number): number {
  const text = String(value);
  if (text.includes('e')) return Number.NaN;
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}
