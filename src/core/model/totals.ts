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

/** Millionths: registers have 3 decimals, 6 after a Wh → kWh conversion. */
const SCALE = 1e6;

/**
 * `a + b` as the decimals the meter sent add up: `1.1 + 2.2` is `3.3`, not `3.3000000000000003`.
 * Each number's shortest form is the decimal text it was read from (trailing zeros aside), so
 * adding whole units of its last decimal and dividing back is exact (the division rounds once).
 */
export function decimalSum(a: number, b: number): number {
  // fast path, no strings: both numbers are whole millionths (`ia / SCALE` gives `a` back only then)
  const ia = Math.round(a * SCALE);
  const ib = Math.round(b * SCALE);
  if (ia / SCALE === a && ib / SCALE === b && Number.isSafeInteger(ia + ib)) return (ia + ib) / SCALE;
  const digits = Math.max(fractionDigits(a), fractionDigits(b));
  const scale = 10 ** digits;
  const scaled = Math.round(a * scale + b * scale);
  // too many digits to add as whole units: the plain sum
  if (!Number.isSafeInteger(scaled)) return a + b;
  return scaled / scale;
}

/** Digits after the point of a number's shortest decimal form (`7e-7`: 7, `1.5e-7`: 8). */
function fractionDigits(value: number): number {
  const text = String(value);
  const exponent = text.indexOf('e');
  const mantissa = exponent < 0 ? text : text.slice(0, exponent);
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? 0 : mantissa.length - point - 1;
  return exponent < 0 ? digits : Math.max(0, digits - Number(text.slice(exponent + 1)));
}
