import type { NormalisedKey } from '../contracts.js';

/**
 * E-licence identifiers (DOMAIN.md §8). Until src/shared/validation/licence-id.ts (the licences
 * part) lands, an identifier is trimmed, half-width (done by the caller) and upper-cased only.
 */
export function normaliseLicenceId(t: string | null): NormalisedKey {
  if (t === null) return { ok: false, reason: 'the key is empty' };
  const v = t.replace(/\s+/g, '').toUpperCase();
  if (v.length > 100) return { ok: false, reason: 'the key is longer than 100 characters' };
  return { ok: true, key: v, tier: 'KEY' };
}
