import { toHalfWidth } from './half-width.js';

/** GB 11714-1997 organisation code: 8 body characters + check, weights 3 7 9 10 5 8 4 2, mod 11. */
const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function charValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z = 10..35
  return -1;
}

export function orgCodeCheckChar(body: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(body)) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += charValue(body[i]!) * WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function normalizeOrgCode(input: string): string {
  return toHalfWidth(input).replace(/[\s-]/g, '').toUpperCase();
}

export function isValidOrgCode(input: string): boolean {
  const v = normalizeOrgCode(input);
  return v.length === 9 && orgCodeCheckChar(v.slice(0, 8)) === v[8];
}
