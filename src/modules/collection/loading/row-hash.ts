import crypto from 'node:crypto';

const SEP = '\u001f';
const NULL = '\u0000';

/** One-shot hashing (Node ≥ 20.12) skips the Hash object: a third less time per row than createHash(). */
const md5 =
  typeof crypto.hash === 'function' ? (s: string) => crypto.hash('md5', s, 'base64url') : (s: string) => crypto.createHash('md5').update(s).digest('base64url');

/**
 * Content hash of a record's typed values (provenance column `_hash`): a re-sent row with the
 * same content is recognised and not rewritten. Values are rendered canonically: null as an
 * empty marker distinct from the empty string.
 */
export function rowHash(values: readonly unknown[]): string {
  const n = values.length;
  // One flat string from a reused array: no rope of 2n pieces to build and flatten per row.
  parts.length = n + 1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    parts[i] = typeof v === 'string' ? v : v === null || v === undefined ? NULL : Buffer.isBuffer(v) ? v.toString('base64') : String(v);
  }
  parts[n] = '';
  return md5(parts.join(SEP));
}

const parts: string[] = [];
