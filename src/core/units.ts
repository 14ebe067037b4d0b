/**
 * Numbers and units. Meters send decimals as text with any number of digits (`000638.971`,
 * `0.48`, `-063`) and units in any case (`kWh`, `kwh`, `kWh `). Typed fields use fixed units, so a
 * value in W/Wh/var/varh/VA is scaled by 10^-3. The scaling moves the decimal point in the text
 * before converting, so `557.29 W` becomes exactly the double nearest to 0.55729, with no
 * rounding error from a division.
 */

interface UnitInfo {
  /** the unit of the typed field this unit converts to */
  canonical: string;
  /** power of ten to apply to reach the canonical unit */
  exponent: number;
}

const UNITS = new Map<string, UnitInfo>([
  ['kwh', { canonical: 'kWh', exponent: 0 }],
  ['wh', { canonical: 'kWh', exponent: -3 }],
  ['mwh', { canonical: 'kWh', exponent: 3 }],
  ['kw', { canonical: 'kW', exponent: 0 }],
  ['w', { canonical: 'kW', exponent: -3 }],
  ['kvarh', { canonical: 'kvarh', exponent: 0 }],
  ['varh', { canonical: 'kvarh', exponent: -3 }],
  ['kvar', { canonical: 'kvar', exponent: 0 }],
  ['var', { canonical: 'kvar', exponent: -3 }],
  ['kva', { canonical: 'kVA', exponent: 0 }],
  ['va', { canonical: 'kVA', exponent: -3 }],
  ['v', { canonical: 'V', exponent: 0 }],
  ['a', { canonical: 'A', exponent: 0 }],
  ['m3', { canonical: 'm3', exponent: 0 }],
  ['gj', { canonical: 'GJ', exponent: 0 }],
  ['mj', { canonical: 'GJ', exponent: -3 }],
  ['s', { canonical: 's', exponent: 0 }],
  ['hz', { canonical: 'Hz', exponent: 0 }],
]);

/** The unit as our typed fields name it (`kwh ` → `kWh`, `kVArh` → `kvarh`), or the text as sent if unknown. */
export function unitInfo(unit: string): UnitInfo | undefined {
  return UNITS.get(unit.trim().toLowerCase());
}

/** Whether `text` is a decimal number as meters send them: `^[+-]?\d+(\.\d+)?$`. */
export function isDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (n === 0) return false;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) i = 1;
  const digitsStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i === digitsStart) return false;
  if (i === n) return true;
  if (text.charCodeAt(i) !== 46) return false;
  i++;
  const fractionStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  return i === n && i > fractionStart;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parses a decimal and multiplies it by 10^exponent by moving the decimal point in the text.
 * Returns `null` when `text` is not a decimal.
 */
export function parseDecimal(text: string, exponent = 0): number | null {
  if (!isDecimal(text)) return null;
  if (exponent === 0) return Number(text);
  let sign = '';
  let digits = text;
  if (text[0] === '+' || text[0] === '-') {
    sign = text[0];
    digits = text.slice(1);
  }
  const point = digits.indexOf('.');
  let integer = point < 0 ? digits : digits.slice(0, point);
  let fraction = point < 0 ? '' : digits.slice(point + 1);
  if (exponent < 0) {
    const shift = -exponent;
    integer = integer.padStart(shift + 1, '0');
    fraction = integer.slice(integer.length - shift) + fraction;
    integer = integer.slice(0, integer.length - shift);
  } else {
    fraction = fraction.padEnd(exponent, '0');
    integer += fraction.slice(0, exponent);
    fraction = fraction.slice(exponent);
  }
  return Number(`${sign}${integer}.${fraction || '0'}`);
}
