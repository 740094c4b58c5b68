/**
 * What the gateway reads on every call besides the records — published interfaces and their
 * catalogue entries — kept in memory and dropped as a whole:
 * - by sharing's own writes in this process (an interface created, changed, taken offline),
 *   through `clear()`: they take effect on the next call;
 * - by age, at most `ttlMs` (1 s) after the cache was last emptied: a change made by another
 *   process (a second gateway, the CLI) or by the catalogue (a masking rule, an item retired)
 *   takes effect within that second — the same bound as the credential cache and the grant lookup.
 * A per-call freshness query (SQLite's data_version) was measured at ~70 µs through Kysely, as
 * much as the record lookup itself, so the bound is a timer, not a query.
 * Loads are shared by concurrent calls (the promise is cached); a failed load is not kept.
 */
export type GatewayCache = {
  get<T>(kind: string, key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
};

export function createGatewayCache(deps: { ttlMs: number; now?: () => number }): GatewayCache {
  const now = deps.now ?? (() => performance.now());
  let entries = new Map<string, Promise<unknown>>();
  let filledAt = now();

  function clear() {
    entries = new Map();
    filledAt = now();
  }

  return {
    get<T>(kind: string, key: string, load: () => Promise<T>): Promise<T> {
      if (now() - filledAt >= deps.ttlMs) clear();
      const k = `${kind}\u0000${key}`;
      const hit = entries.get(k) as Promise<T> | undefined;
      if (hit) return hit;
      const map = entries;
      const loading = load();
      map.set(k, loading);
      loading.catch(() => map.delete(k));
      return loading;
    },
    clear,
  };
}
