import { toHalfWidth } from '../../../shared/validation/half-width.js';
import type { RecordValue } from '../../collection/index.js';
import type { ThemeDefinition } from '../contracts.js';
import { normaliseCitizenId, orgCodeOf } from '../keys/normalise-key.js';

/**
 * Lookup terms of a master (theme_master_terms): secondary keys and matching combinations, each
 * value in one comparable text form — half-width, trimmed, inner blanks collapsed, upper-cased
 * (codes typed with a lower-case x or full-width digits find their master).
 */
export function termValue(v: RecordValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = toHalfWidth(String(v)).trim().replace(/\s+/g, ' ').toUpperCase();
  return t === '' || t.length > 400 ? null : t;
}

export const ORG_CODE_TERM = 'org_code';
export const comboTerm = (combo: readonly string[]) => `combo:${combo.join('|')}`;

/** The combination's value for these attributes, or null when one of them is empty (never a partial match). */
export function comboValue(combo: readonly string[], attributes: Readonly<Record<string, RecordValue>>): string | null {
  const parts: string[] = [];
  for (const a of combo) {
    const v = termValue(attributes[a]);
    if (v === null) return null;
    parts.push(v);
  }
  return parts.join('|');
}

/** A master's terms: the organisation code of a USCC key, indexed attributes, matching combinations. */
export function termsOf(def: ThemeDefinition, key: string, attributes: Readonly<Record<string, RecordValue>>): { term: string; value: string }[] {
  const out: { term: string; value: string }[] = [];
  // A USCC master is found by the organisation code its positions 9–17 are (the BRIDGE tier).
  if (key.length === 18 && (def.keyKind === 'USCC' || (def.keyKind === 'SUBJECT' && !normaliseCitizenId(key).ok))) {
    out.push({ term: ORG_CODE_TERM, value: orgCodeOf(key) });
  }
  for (const a of def.attributes) {
    if (!a.indexed) continue;
    const v = termValue(attributes[a.code]);
    if (v !== null) out.push({ term: a.code, value: v });
  }
  for (const combo of def.fallbackMatch ?? []) {
    const v = comboValue(combo, attributes);
    if (v !== null) out.push({ term: comboTerm(combo), value: v });
  }
  return out;
}
