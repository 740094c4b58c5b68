/**
 * Text both databases store as sent. PostgreSQL refuses U+0000 in text and jsonb (one NUL in one
 * cell used to fail a whole COPY), and a lone UTF-16 surrogate has no UTF-8 form: SQLite stored
 * it as three U+FFFD, PostgreSQL as one. A cell holding either is refused with its row.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

type WellFormed = { isWellFormed?: (this: string) => boolean };
const nativeWellFormed = (String.prototype as WellFormed).isWellFormed;
const isWellFormed: (s: string) => boolean = nativeWellFormed ? (s) => nativeWellFormed.call(s) : (s) => !LONE_SURROGATE.test(s);

/** Why `s` cannot be stored as it is, or null when it can. */
export function unstorableReason(s: string): string | null {
  if (s.indexOf('\u0000') !== -1) return 'contains a NUL character (U+0000), which cannot be stored';
  if (!isWellFormed(s)) return 'contains a lone UTF-16 surrogate (invalid Unicode), which cannot be stored';
  return null;
}

/**
 * The text with NUL and lone surrogates replaced by U+FFFD: for reject reasons and raw rows,
 * job warnings and errors, which must be storable to report the problem at all.
 */
export function toStorable(s: string): string;
export function toStorable(s: string | null): string | null;
export function toStorable(s: string | null): string | null {
  if (s === null || unstorableReason(s) === null) return s;
  return s.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}
