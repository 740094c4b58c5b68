import { checkLicenceId } from '../../../shared/validation/licence-id.js';
import type { NormalisedKey } from '../contracts.js';

/**
 * E-licence identifiers (DOMAIN.md §8) through the licences part's validator: half-width, the
 * ideographic full stop read as '.', blanks removed, upper-cased, every part and the ISO 7064
 * MOD 37,36 check character verified.
 */
export function normaliseLicenceId(t: string | null): NormalisedKey {
  if (t === null) return { ok: false, reason: 'the key is empty' };
  const res = checkLicenceId(t);
  if (!res.valid) return { ok: false, reason: `not a valid e-licence identifier: ${res.reason}` };
  if (res.normalized.length > 100) return { ok: false, reason: 'the key is longer than 100 characters' };
  return { ok: true, key: res.normalized, tier: 'KEY' };
}
