import { createHash } from 'node:crypto';

const SEP = '\u001f';

/**
 * Content hash of a record's typed values (provenance column `_hash`): a re-sent row with the
 * same content is recognised and not rewritten. Values are rendered canonically: null as an
 * empty marker distinct from the empty string.
 */
export function rowHash(values: readonly unknown[]): string {
  let s = '';
  for (const v of values) {
    s += v === null || v === undefined ? '\u0000' : Buffer.isBuffer(v) ? v.toString('base64') : String(v);
    s += SEP;
  }
  return createHash('md5').update(s).digest('base64url');
}
