import { toHalfWidth } from './half-width.js';

/** GB 11643-1999 citizen ID number: 6 region + 8 birth date + 3 sequence (odd = male) + ISO 7064 MOD 11-2 check. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_MAP = '10X98765432';

export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!; // reads the first 17 characters only
  return CHECK_MAP[sum % 11]!;
}

export type CitizenIdCheck =
  { valid: true; normalized: string; regionCode: string; birthDate: string; sex: 'male' | 'female' } | { valid: false; reason: string };

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!);
}

const CANONICAL = /^\d{17}[\dX]$/;
/** The number of the digits at [from, to) of a string already known to be digits (no substring, no parse). */
function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

/**
 * `isKnownRegion` decides whether the 6-digit region segment was ever a GB/T 2260 code (the
 * historical list: an ID number keeps the code in force when it was issued). 15-digit legacy
 * numbers are upgraded to 18 digits (19xx birth year) before checking. Full-width digits and x are read as
 * half-width, a lower-case x as X.
 */
export function checkCitizenId(input: string, isKnownRegion: (code: string) => boolean, today = new Date()): CitizenIdCheck {
  let v = input;
  // Scans call this for every row: a number already in its canonical form skips the normalising.
  if (v.length !== 18 || !CANONICAL.test(v)) {
    v = toHalfWidth(input).replace(/\s+/g, '').toUpperCase();
    if (/^\d{15}$/.test(v)) {
      const first17 = `${v.slice(0, 6)}19${v.slice(6)}`;
      v = first17 + citizenIdCheckChar(first17);
    }
    if (!CANONICAL.test(v)) return { valid: false, reason: 'must be 18 characters: 17 digits and a digit or X' };
  }
  const region = v.slice(0, 6);
  if (!isKnownRegion(region)) return { valid: false, reason: `region code ${region} was never a GB/T 2260 code` };
  const y = digits(v, 6, 10);
  const m = digits(v, 10, 12);
  const d = digits(v, 12, 14);
  if (!isRealDate(y, m, d)) return { valid: false, reason: `birth date ${v.slice(6, 14)} is not a date` };
  if (y < 1800 || Date.UTC(y, m - 1, d) > today.getTime()) return { valid: false, reason: `birth date ${v.slice(6, 14)} is out of range` };
  const expected = citizenIdCheckChar(v);
  if (expected !== v[17]) return { valid: false, reason: `check character should be '${expected}', not '${v[17]}'` };
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  return { valid: true, normalized: v, regionCode: region, birthDate, sex: Number(v[16]) % 2 === 1 ? 'male' : 'female' };
}
