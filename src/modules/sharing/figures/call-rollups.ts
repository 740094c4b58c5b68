import type { AccessScope } from '../../../shared/access-scope.js';

export type PairCount = { interfaceId: string; consumerId: string; departmentId: string; calls: number; errors: number };
export type Rolled = { key: string; calls: number; errors: number };

/** Calls and errors summed per `key` of the pairs, most calls first (ties by key, so pages are stable). */
export function rollUp(pairs: readonly PairCount[], key: (p: PairCount) => string): Rolled[] {
  const sums = new Map<string, Rolled>();
  for (const p of pairs) {
    const k = key(p);
    const r = sums.get(k) ?? { key: k, calls: 0, errors: 0 };
    r.calls += p.calls;
    r.errors += p.errors;
    sums.set(k, r);
  }
  return [...sums.values()].sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The pairs whose callers a scope may see per consumer and department: all, its department's, or none (the public). */
export function pairsSeenBy(scope: AccessScope, pairs: readonly PairCount[]): PairCount[] {
  if (scope === 'all') return [...pairs];
  if (scope === 'none') return [];
  return pairs.filter((p) => p.departmentId === scope.departmentId);
}
