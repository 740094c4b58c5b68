/**
 * A saved mapping as it is stored and handed to loads: header → item code, and '' for a header
 * the mapping skips (item codes are never empty: ITEM_CODE_PATTERN). Kept a plain string record
 * so the stored column stays NOT NULL and the default batch id of uploads hashes it as before.
 */
export type StoredMapping = Record<string, string>;

export const SKIP = '';

/** The mapping as header matching reads it: null for a skipped header. */
export function explicitOf(mapping: StoredMapping): Record<string, string | null> {
  return Object.fromEntries(Object.entries(mapping).map(([header, code]) => [header, code === SKIP ? null : code]));
}

/** The stored form of a mapping given as header → item code or null (skip). */
export function storedOf(mapping: Readonly<Record<string, string | null>>): StoredMapping {
  return Object.fromEntries(Object.entries(mapping).map(([header, code]) => [header, code ?? SKIP]));
}
