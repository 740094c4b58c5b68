import { AppError } from '../errors.js';

/** Keyset pagination: the cursor is the sort key of the last row returned, opaque to clients. */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/** Repositories fetch `limit + 1` rows; this trims the extra row and builds the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, present: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(present), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
