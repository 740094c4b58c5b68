import { toHalfWidth } from './half-width.js';
import { orgCodeCheckChar } from './org-code.js';

/** GB 32100-2015 unified social credit code: 18 characters from a 31-character set (no I O S V Z). */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normalizeUscc(input: string): string {
  return toHalfWidth(input).replace(/\s+/g, '').toUpperCase();
}

export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i] ?? '?');
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c]!;
}

export type UsccCheck = { valid: true; normalized: string } | { valid: false; reason: string };

/**
 * Checks length, character set, the outer MOD 31 check and the nested GB 11714 check of the
 * organisation-code body (positions 9–17). The first 8 characters are not assumed to be digits.
 */
export function checkUscc(input: string): UsccCheck {
  const v = normalizeUscc(input);
  if (v.length !== 18) return { valid: false, reason: `must be 18 characters (got ${v.length})` };
  const bad = [...v].find((c) => !CHARSET.includes(c));
  if (bad) return { valid: false, reason: `character '${bad}' is not allowed (I, O, S, V, Z never appear)` };
  const expected = usccCheckChar(v.slice(0, 17));
  if (expected !== v[17]) return { valid: false, reason: `check character should be '${expected}', not '${v[17]}'` };
  const body = v.slice(8, 16);
  const bodyCheck = orgCodeCheckChar(body);
  if (bodyCheck !== v[16]) return { valid: false, reason: `organisation-code check (position 17) should be '${bodyCheck}', not '${v[16]}'` };
  return { valid: true, normalized: v };
}

/** Positions 9–17 are the old organisation code: a deterministic bridge to legacy records. */
export function orgCodeOfUscc(uscc: string): string {
  return `${uscc.slice(8, 16)}-${uscc[16]}`;
}

/**
 * Builds a valid USCC from its first 8 characters (registration authority, entity type, region)
 * and an 8-character organisation-code body: used for synthetic demo and test departments.
 */
export function buildUscc(prefix8: string, body8: string): string {
  const orgCheck = orgCodeCheckChar(body8);
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(prefix8) || !orgCheck) throw new Error(`cannot build a USCC from ${prefix8}/${body8}`);
  const first17 = `${prefix8}${body8}${orgCheck}`;
  const check = usccCheckChar(first17);
  if (!check) throw new Error(`cannot build a USCC from ${prefix8}/${body8}`);
  return first17 + check;
}
