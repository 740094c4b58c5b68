import { AppError } from '../../../errors.js';
import { toHalfWidth } from '../../../shared/validation/half-width.js';
import { normaliseCitizenId, normaliseUscc } from '../keys/normalise-key.js';

/**
 * The subject a one-ID query names: a citizen ID (18 digits, or a legacy 15-digit number upgraded
 * to 18), a USCC, or an organisation code (GB 11714) that reaches its entity through the USCC
 * bridge (positions 9–17). Trimmed, full-width read as half-width, a lower-case x as X.
 */
export type SubjectId =
  | { kind: 'CITIZEN_ID'; id: string; legacy: boolean }
  | { kind: 'USCC'; id: string }
  /** `orgCode`: 9 characters, no hyphen. */
  | { kind: 'ORG_CODE'; orgCode: string };

const invalid = (raw: string, reason: string) =>
  new AppError('VALIDATION_FAILED', `'${raw}' is not a citizen ID, USCC or organisation code: ${reason}`, {
    errors: [{ path: 'params.id', code: 'invalid_id', message: reason }],
  });

/** Reads the path's id, or throws VALIDATION_FAILED naming `params.id` and why (length, characters, check character). */
export function parseSubjectId(raw: string, today: Date): SubjectId {
  const v = toHalfWidth(raw)
    .trim()
    .replace(/[\s\-.]/g, '')
    .toUpperCase();
  if (v === '') throw invalid(raw, 'the id is empty');
  // Digits only (an X last): a citizen ID by form, unless it is an 18-character all-digit USCC.
  if (/^\d+X?$/.test(v) && v.length !== 9) {
    if (v.length !== 15 && v.length !== 18) throw invalid(raw, `a citizen ID has 18 characters (or 15 digits, the legacy form), not ${v.length}`);
    const id = normaliseCitizenId(v, today);
    if (id.ok && 'key' in id) return { kind: 'CITIZEN_ID', id: id.key, legacy: id.tier === 'LEGACY' };
    if (v.length === 18) {
      const uscc = normaliseUscc(v);
      if (uscc.ok && 'key' in uscc) return { kind: 'USCC', id: uscc.key };
    }
    throw invalid(raw, id.ok ? 'not a citizen ID' : id.reason);
  }
  if (v.length !== 9 && v.length !== 18) throw invalid(raw, `a USCC has 18 characters and an organisation code 9 (8 and a check character), not ${v.length}`);
  const res = normaliseUscc(v);
  if (!res.ok) throw invalid(raw, res.reason);
  if ('orgCode' in res) return { kind: 'ORG_CODE', orgCode: res.orgCode };
  return { kind: 'USCC', id: res.key };
}

/** The id as the answer and the audit show it: 18 characters, or an organisation code with its hyphen. */
export function subjectText(s: SubjectId): string {
  return s.kind === 'ORG_CODE' ? `${s.orgCode.slice(0, 8)}-${s.orgCode[8]}` : s.id;
}
