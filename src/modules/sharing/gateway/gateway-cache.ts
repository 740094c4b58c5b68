import type { MaybePromise } from '../../../shared/maybe-promise.js';

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
 * Loads are shared by concurrent calls (the promise is cached); a failed load is not kept. Once a
 * load has finished, its value is answered at once, not as a promise (the gateway's hot path).
 */
export type GatewayCache = {
  get<T>(kind: string, key: string, load: () => Promise<T>): MaybePromise<T>;
  clear(): void;
};

/** A load under way (its promise), or its value once it has finished. */
type Slot = { loaded: false; loading: Promise<unknown> } | { loaded: true; value: unknown };

export function createGatewayCache(deps: { ttlMs: number; now?: () => number }): GatewayCache {
  const now = deps.now ?? (() => performance.now());
  let entries = new Map<string, Slot>();
  let filledAt = now();

  function clear() {
    entries = new Map();
    filledAt = now();
  }

  return {
    get<T>(kind: string, key: string, load: () => Promise<T>): MaybePromise<T> {
      if (now() - filledAt >= deps.ttlMs) clear();
      const k = `${kind}\u0000${key}`;
      const hit = entries.get(k);
      if (hit) return (hit.loaded ? hit.value : hit.loading) as MaybePromise<T>;
      const map = entries;
      const loading = load();
      const slot: Slot = { loaded: false, loading };
      map.set(k, slot);
      loading.then(
        (value) => {
          // Still this load's slot (not cleared meanwhile): later calls get the value itself.
          if (map.get(k) === slot) map.set(k, { loaded: true, value });
        },
        () => {
          if (map.get(k) === slot) map.delete(k);
        },
      );
      return loading;
    },
    clear,
  };
}
