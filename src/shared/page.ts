import { AppError } from '../errors.js';

/**
 * Keyset pagination, one cursor format for every list: the cursor is the sort key of the last
 * row returned — one value or a composite key (several values) — as base64url JSON, opaque to
 * clients. A cursor that does not decode to the shape the list expects is INVALID_CURSOR (400).
 */
export type CursorKey = string | number | null;

export type Page<T> = { items: T[]; nextCursor: string | null };

const invalid = () => new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');

export function encodeCursor(key: string | readonly CursorKey[]): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function decodeRaw(cursor: string): unknown {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  try {
    return (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown }).k;
  } catch {
    throw invalid();
  }
}

/** A single-value cursor (a code, an id). */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const k = decodeRaw(cursor);
  if (typeof k !== 'string' || k.includes('\u0000')) throw invalid();
  return k;
}

/** A composite cursor of exactly `arity` values, each a string, a finite number or null. */
export function decodeCompositeCursor(cursor: string | undefined, arity: number): CursorKey[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const k = decodeRaw(cursor);
  if (!Array.isArray(k) || k.length !== arity) throw invalid();
  for (const v of k) {
    if (v === null) continue;
    if (typeof v === 'string' && !v.includes('\u0000')) continue;
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    throw invalid();
  }
  return k as CursorKey[];
}

/** Repositories fetch `limit + 1` rows; this trims the extra row and builds the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string | readonly CursorKey[], present: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(present), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
