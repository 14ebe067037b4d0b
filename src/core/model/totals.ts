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
 * Below this, doubles are closer together than half a millionth, so a number that is a whole
 * count of millionths is one of exactly one count (and the counts add up exactly).
 */
const FAST_LIMIT = 1e9;

/**
 * `a + b` as the decimals the meter sent add up: `1.1 + 2.2` is `3.3`, not `3.3000000000000003`.
 * Each number's shortest form is the decimal text it was read from (trailing zeros aside), so
 * adding those decimals and reading the sum back gives the double nearest the exact sum.
 */
export function decimalSum(a: number, b: number): number {
  // the usual case, without strings: both are whole millionths (`ia / SCALE` gives `a` back only then)
  if (Math.abs(a) < FAST_LIMIT && Math.abs(b) < FAST_LIMIT) {
    const ia = Math.round(a * SCALE);
    const ib = Math.round(b * SCALE);
    if (ia / SCALE === a && ib / SCALE === b) return (ia + ib) / SCALE;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a + b;
  const x = decimalOf(a);
  const y = decimalOf(b);
  const digits = Math.max(x.digits, y.digits);
  const sum = x.units * 10n ** BigInt(digits - x.digits) + y.units * 10n ** BigInt(digits - y.digits);
  const sign = sum < 0n ? '-' : '';
  const text = (sum < 0n ? -sum : sum).toString().padStart(digits + 1, '0');
  return Number(`${sign}${text.slice(0, text.length - digits)}.${text.slice(text.length - digits) || '0'}`);
}

/** A number's shortest decimal form as `units / 10^digits` (`7e-7`: 7 and 7; `1.5e+21`: 15·10^20 and 0). */
function decimalOf(value: number): { units: bigint; digits: number } {
  const text = String(value);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const fraction = point < 0 ? '' : mantissa.slice(point + 1);
  let units = BigInt(point < 0 ? mantissa : mantissa.slice(0, point) + fraction);
  let digits = fraction.length - exponent;
  if (digits < 0) {
    units *= 10n ** BigInt(-digits);
    digits = 0;
  }
  return { units, digits };
}
