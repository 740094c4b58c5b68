import { AppError } from '../errors.js';

type Found = { path: string; message: string };
type Node = { value: unknown; key: string; parent: Node | null };

const pathOf = (n: Node): string => {
  const keys: string[] = [];
  for (let at: Node | null = n; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
};

/**
 * The first string (or member name) under `value` holding U+0000. Iterative: a JSON body may be
 * nested deeper than the call stack allows, and a NUL at any depth must be found.
 */
function findNul(value: unknown, root: string): Found | null {
  const stack: Node[] = [{ value, key: root, parent: null }];
  while (stack.length) {
    const n = stack.pop()!;
    const v = n.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: pathOf(n), message: 'contains a NUL character (U+0000)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    // Pushed in reverse so the first offending field in document order is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      if (k.includes('\u0000')) {
        return { path: `${pathOf(n)}.${k.replaceAll('\u0000', '\\u0000')}`, message: 'a member name contains a NUL character (U+0000)' };
      }
      stack.push({ value: x, key: k, parent: n });
    }
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
