import { toHalfWidth } from './half-width.js';

/** Mainland mobile number, loose rule: `^1[3-9]\d{9}$` after stripping +86/0086, spaces and hyphens. */
export function normalizeMobile(input: string): string | null {
  let v = toHalfWidth(input).replace(/[\s-]/g, '');
  if (v.startsWith('+86')) v = v.slice(3);
  else if (v.startsWith('0086')) v = v.slice(4);
  return /^1[3-9]\d{9}$/.test(v) ? v : null;
}

/** Postal code: 6 digits, not 000000–009999 (010000 is Hohhot, so `^[1-9]\d{5}$` would be wrong). */
export function isValidPostalCode(input: string): boolean {
  const v = toHalfWidth(input).trim();
  return /^\d{6}$/.test(v) && Number(v) >= 10000;
}
