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

/** Units as meters spell them, already looked up: the same few strings come in every telegram. */
const SEEN_UNITS = new Map<string, UnitInfo | undefined>();

/** The unit as our typed fields name it (`kwh ` → `kWh`, `kVArh` → `kvarh`), or `undefined` if unknown. */
export function unitInfo(unit: string): UnitInfo | undefined {
  const seen = SEEN_UNITS.get(unit);
  if (seen !== undefined || SEEN_UNITS.has(unit)) return seen;
  const info = UNITS.get(unit.trim().toLowerCase());
  if (SEEN_UNITS.size < 256) SEEN_UNITS.set(unit, info);
  return info;
}

/** Exact powers of ten: every 10^k for k ≤ 22 is a double without rounding. */
const POW10 = /* @__PURE__ */ Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Parses a decimal and multiplies it by 10^exponent. Returns `null` when `text` is not a decimal
 * or is beyond the range of a double (more than 308 digits); `-0` is returned as `0`.
 *
 * Fast path (every value meters send): with at most 15 digits the digits form an exact integer
 * m < 2^53, and m / 10^k (or m · 10^k) with an exact power of ten is one correctly rounded IEEE
 * operation, so the result is the double nearest to the decimal: what `Number(text)` gives.
 * Longer values move the decimal point in the text and let `Number` round.
 */
export function parseDecimal(text: string, exponent = 0): number | null {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) {
    negative = first === 45;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c === 46 && fractionDigits < 0 && i > (negative || first === 43 ? 1 : 0)) {
      fractionDigits = 0;
    } else {
      return null;
    }
  }
  const signLength = first === 43 || first === 45 ? 1 : 0;
  if (n === signLength || fractionDigits === 0) return null; // '', '+', '12.'
  const scale = exponent - (fractionDigits < 0 ? 0 : fractionDigits);
  if (digits <= 15 && scale >= -22 && scale <= 22) {
    const value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
    // `-0.000` is zero, not negative zero
    return negative && value !== 0 ? -value : value;
  }
  const value = parseShifted(text, exponent);
  // beyond the range of a double: not a number we can give
  return Number.isFinite(value) ? value + 0 : null;
}

/** The slow path of {@link parseDecimal}: move the decimal point in the text, then `Number`. */
function parseShifted(text: string, exponent: number): number {
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
