/**
 * Where signed requests' nonces are remembered until their timestamp leaves the window, so a
 * replayed request is refused. One process: the in-memory store below. Several gateway processes
 * behind one balancer need a shared one (Redis `SET key 1 NX PXAT expiresAt`): the same interface.
 */
export interface NonceStore {
  /** True when (scope, nonce) is new and is now remembered until `expiresAtMs`; false when seen before. */
  claim(scope: string, nonce: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

const FIRST_PRUNE_AT = 10_000;

/**
 * Nonces in a Map with their expiry. Expired ones are swept when the map has doubled since the last
 * sweep, so memory follows the calls of one window (at 1,000 signed calls/s and a 5-minute window,
 * about 600,000 entries, some 60 MB), and a claim stays O(1) amortised.
 */
export function createMemoryNonceStore(): NonceStore & { size(): number } {
  const seen = new Map<string, number>();
  let pruneAt = FIRST_PRUNE_AT;
  function prune(nowMs: number) {
    for (const [k, until] of seen) if (until <= nowMs) seen.delete(k);
    pruneAt = Math.max(FIRST_PRUNE_AT, seen.size * 2);
  }
  return {
    claim(scope, nonce, expiresAtMs, nowMs) {
      const k = `${scope}\n${nonce}`;
      const until = seen.get(k);
      if (until !== undefined && until > nowMs) return false;
      seen.set(k, expiresAtMs);
      if (seen.size >= pruneAt) prune(nowMs);
      return true;
    },
    size: () => seen.size,
  };
}
