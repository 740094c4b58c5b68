import { CoerceFailure } from './coerce-value.js';
import { quote, toHalfWidth } from './coerce-text.js';

const PLAIN_INTEGER = /^[+-]?\d+$/;
const INTEGER_WITH_ZERO_FRACTION = /^([+-]?\d+)\.0*$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Full-width digits to ASCII, and thousands separators removed only where they group by three
 * ("1,234,567.8"): "1,2" stays invalid, since in some locales it means 1.2.
 */
export function normalizeNumber(s: string): string | null {
  const t = toHalfWidth(s);
  if (!t.includes(',')) return t;
  return GROUPED.test(t) ? t.replaceAll(',', '') : null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A 64-bit integer (the INTEGER column of both dialects): a number when it is a safe integer, a
 * bigint beyond ±(2^53 − 1), so 9007199254740993 is stored as sent, not as …992.
 */
export function parseInteger(s: string, maxDigits: number | null): number | bigint | CoerceFailure {
  const t = normalizeNumber(s);
  let digits: string | undefined;
  if (t !== null) {
    if (PLAIN_INTEGER.test(t)) digits = t;
    else digits = INTEGER_WITH_ZERO_FRACTION.exec(t)?.[1];
  }
  if (digits === undefined) return new CoerceFailure(`not an integer: ${quote(s)}`);
  const n = Number(digits);
  if (maxDigits !== null && digits.length > maxDigits && digits.replace(/^[+-]?0*/, '').length > maxDigits) {
    return new CoerceFailure(`more than ${maxDigits} digits: ${quote(s)}`);
  }
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
  const big = BigInt(digits);
  return big < INT64_MIN || big > INT64_MAX ? new CoerceFailure(`integer out of range (64 bits): ${quote(s)}`) : big;
}

export function parseDouble(s: string): number | CoerceFailure {
  const t = normalizeNumber(s);
  if (t === null || !FLOAT.test(t)) return new CoerceFailure(`not a number: ${quote(s)}`);
  const n = Number(t);
  if (!Number.isFinite(n)) return new CoerceFailure(`number out of range: ${quote(s)}`);
  return n === 0 ? 0 : n;
}

/**
 * Exact decimal as a canonical string (kept as text so 0.1 stays 0.1 and 18 digits stay 18).
 * `precision` is the total number of digits, `scale` the digits after the point; with a scale
 * the fraction is padded to it ("12.5" → "12.50"), and extra non-zero digits are refused rather
 * than rounded away.
 */
export function parseDecimal(s: string, precision: number | null, scale: number | null): string | CoerceFailure {
  const t = normalizeNumber(s);
  const m = t === null ? null : DECIMAL.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return new CoerceFailure(`not a decimal number: ${quote(s)}`);
  const sign = m[1] === '-' ? '-' : '';
  let intPart = m[2]!;
  let fracPart = m[3] ?? '';
  const exponent = m[4] ? Number(m[4]) : 0;
  if (Math.abs(exponent) > 1000) return new CoerceFailure(`number out of range: ${quote(s)}`);
  if (exponent > 0) {
    const moved = fracPart.padEnd(exponent, '0');
    intPart += moved.slice(0, exponent);
    fracPart = moved.slice(exponent);
  } else if (exponent < 0) {
    const padded = intPart.padStart(-exponent, '0');
    fracPart = padded.slice(padded.length + exponent) + fracPart;
    intPart = padded.slice(0, padded.length + exponent);
  }
  intPart = intPart.replace(/^0+/, '');
  fracPart = fracPart.replace(/0+$/, '');
  if (scale !== null && fracPart.length > scale) {
    return new CoerceFailure(`more than ${scale} decimal place${scale === 1 ? '' : 's'}: ${quote(s)}`);
  }
  if (precision !== null) {
    const intLimit = precision - (scale ?? 0);
    if (intPart.length > intLimit || (scale === null && intPart.length + fracPart.length > precision)) {
      const detail = scale === null ? `${precision} digits` : `${precision} digits with ${scale} decimal place${scale === 1 ? '' : 's'}`;
      return new CoerceFailure(`too many digits (at most ${detail}): ${quote(s)}`);
    }
  }
  if (scale !== null) fracPart = fracPart.padEnd(scale, '0');
  const body = (intPart || '0') + (fracPart ? `.${fracPart}` : '');
  const isZero = intPart === '' && /^0*$/.test(fracPart);
  return isZero ? body : sign + body;
}
