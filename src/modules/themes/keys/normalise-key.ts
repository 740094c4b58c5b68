import { isHistoricalRegionCode } from '../../../reference/regions.js';
import { checkCitizenId } from '../../../shared/validation/citizen-id.js';
import { toHalfWidth } from '../../../shared/validation/half-width.js';
import { isValidOrgCode } from '../../../shared/validation/org-code.js';
import { checkUscc } from '../../../shared/validation/uscc.js';
import type { KeyKind, NormalisedKey } from '../contracts.js';
import { normaliseLicenceId } from './licence-key.js';

/**
 * The region segment of an ID number: any code ever in GB/T 2260 (a number keeps the code of its
 * issue), and 830000, the segment of Taiwan residents' residence permits (no GB/T 2260 code).
 */
const isIdRegion = (code: string) => code === '830000' || isHistoricalRegionCode(code);

/** Separators people type inside codes: spaces (also full-width), hyphens, dots, slashes. */
const SEPARATORS = /[\s\-./_]/g;

const fail = (reason: string): NormalisedKey => ({ ok: false, reason });

function text(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const s = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : null;
  if (s === null) return null;
  const t = toHalfWidth(s).trim();
  return t === '' ? null : t;
}

/** GB 11643: trim, half-width, x → X; a 15-digit number upgraded to 18 digits is LEGACY. */
export function normaliseCitizenId(raw: unknown, today = new Date()): NormalisedKey {
  const t = text(raw);
  if (t === null) return fail('the key is empty');
  const v = t.replace(/\s+/g, '').toUpperCase();
  const legacy = /^\d{15}$/.test(v);
  const res = checkCitizenId(v, isIdRegion, today);
  if (!res.valid) return fail(`not a valid citizen ID number: ${res.reason}`);
  return { ok: true, key: res.normalized, tier: legacy ? 'LEGACY' : 'KEY' };
}

/**
 * GB 32100: upper-case, separators stripped, check character (and the nested GB 11714 check).
 * A 9-character organisation code (GB 11714, hyphen optional) is a BRIDGE to the USCC whose
 * positions 9–17 it is.
 */
export function normaliseUscc(raw: unknown): NormalisedKey {
  const t = text(raw);
  if (t === null) return fail('the key is empty');
  const v = t.replace(SEPARATORS, '').toUpperCase();
  if (v.length === 9) {
    return isValidOrgCode(v) ? { ok: true, orgCode: v, tier: 'BRIDGE' } : fail('not a valid organisation code (GB 11714 check character)');
  }
  const res = checkUscc(v);
  if (!res.valid) return fail(`not a valid USCC: ${res.reason}`);
  return { ok: true, key: res.normalized, tier: 'KEY' };
}

/** Credit subjects: a citizen ID (18 or 15 digits, last may be X) or else a USCC / organisation code, told apart by form. */
export function normaliseSubject(raw: unknown, today = new Date()): NormalisedKey {
  const t = text(raw);
  if (t === null) return fail('the key is empty');
  const v = t.replace(SEPARATORS, '').toUpperCase();
  if (/^\d{15}$/.test(v) || /^\d{17}[\dX]$/.test(v)) {
    const id = normaliseCitizenId(v, today);
    // An 18-character all-digit USCC exists (registration authority 1-9, digits only): try it second.
    if (id.ok || v.length === 15) return id;
    const uscc = normaliseUscc(v);
    return uscc.ok ? uscc : id;
  }
  return normaliseUscc(v);
}

/** Codes without a check character (grid codes, feature ids): trimmed and half-width. */
export function normalisePlain(raw: unknown): NormalisedKey {
  const t = text(raw);
  if (t === null) return fail('the key is empty');
  if (t.length > 100) return fail('the key is longer than 100 characters');
  return { ok: true, key: t, tier: 'KEY' };
}

/** One raw key value as the theme's key kind reads it (the registry of key kinds). */
export const KEY_NORMALISERS: Record<KeyKind, (raw: unknown, today?: Date) => NormalisedKey> = {
  CITIZEN_ID: normaliseCitizenId,
  USCC: normaliseUscc,
  SUBJECT: normaliseSubject,
  LICENCE_ID: (raw) => normaliseLicenceId(text(raw)),
  GRID_CODE: normalisePlain,
  FEATURE_ID: normalisePlain,
};

export function normaliseKey(kind: KeyKind, raw: unknown, today?: Date): NormalisedKey {
  return KEY_NORMALISERS[kind](raw, today);
}

/** The organisation code (9 characters, no hyphen) a USCC bridges to: its positions 9–17. */
export const orgCodeOf = (uscc: string) => uscc.slice(8, 17);
