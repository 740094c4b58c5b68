import { AppError } from '../errors.js';

type Found = { path: string; message: string };

/** The first string (or object key) under `value` holding U+0000, depth first. */
function findNul(value: unknown, path: string, depth = 0): Found | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { path, message: 'contains a NUL character (U+0000)' } : null;
  // JSON.parse builds at most what the body limit allows; the depth bound only guards the stack.
  if (value === null || typeof value !== 'object' || depth > 200) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = findNul(value[i], `${path}.${i}`, depth + 1);
      if (f) return f;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return { path: `${path}.${k.replaceAll('\u0000', '\\u0000')}`, message: 'a member name contains a NUL character (U+0000)' };
    const f = findNul(v, `${path}.${k}`, depth + 1);
    if (f) return f;
  }
  return null;
}

/**
 * Refuses U+0000 anywhere in path parameters, query parameters and parsed JSON bodies: no text
 * column accepts it on PostgreSQL (it failed with 500 there) and nothing legitimate sends it.
 * Uploaded files are not checked here: a NUL in a file cell rejects that row, not the load.
 */
export function assertNoNul(parts: { params?: unknown; query?: unknown; body?: unknown }) {
  for (const where of ['params', 'query', 'body'] as const) {
    const found = findNul(parts[where], where);
    if (found) {
      throw new AppError('INVALID_CHARACTER', `${found.path}: ${found.message}, which is never accepted`, {
        errors: [{ path: found.path, code: 'invalid_character', message: found.message }],
      });
    }
  }
}
