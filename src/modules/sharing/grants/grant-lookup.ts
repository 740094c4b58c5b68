import type { Clock } from '../../../shared/clock.js';
import { fromJson, type Db } from '../../../storage/dialect.js';
import type { MaybePromise } from '../../../shared/maybe-promise.js';
import type { ActiveGrant, GrantLookup } from '../contracts.js';
import { createGrantsRepository } from './grants.repository.js';
import { chinaToday } from '../../../shared/china-time.js';

type Held = { id: string; resourceId: string | null; interfaceId: string | null; items: string[]; validUntil: string };
/** A consumer's grants as read, and the answers already worked out from them (per target, for one day). */
type Entry = { grants: Held[]; at: number; answers: Map<string, { on: string; grant: ActiveGrant | null }> };

export type GrantLookupOptions = {
  db: Db;
  clock: Clock;
  /** How old a consumer's cached grants may be before they are read again (ms). */
  recheckMs?: number;
  monotonic?: () => number;
  maxConsumers?: number;
};

/**
 * The gateway's question "what may this consumer read here?" (GrantLookup), answered from memory:
 * a consumer's unrevoked grants are read once and kept for at most `recheckMs` (1 s), so another
 * process's revocation takes effect within a second; this process's grants, revocations and
 * consumer changes call `invalidate(consumerId)` and take effect on the next call. Expiry is not
 * cached: each call compares `validUntil` (inclusive) with today in Asia/Shanghai by the clock.
 */
export function createGrantLookup(o: GrantLookupOptions): GrantLookup & { invalidate(consumerId?: string): void } {
  const repo = createGrantsRepository();
  const recheckMs = o.recheckMs ?? 1000;
  const monotonic = o.monotonic ?? (() => performance.now());
  const maxConsumers = o.maxConsumers ?? 10_000;
  const today = chinaToday(o.clock);
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<Held[]>>();
  let generation = 0;

  async function held(consumerId: string): Promise<Held[]> {
    const hit = cache.get(consumerId);
    if (hit && monotonic() - hit.at < recheckMs) return hit.grants;
    const running = pending.get(consumerId);
    if (running) return running;
    const gen = generation;
    const read: Promise<Held[]> = (async () => {
      const rows = await repo.unrevokedOfConsumer(o.db, consumerId);
      const grants = rows.map((r) => ({
        id: r.id,
        resourceId: r.resource_id,
        interfaceId: r.interface_id,
        items: fromJson<string[]>(r.items, []),
        validUntil: r.valid_until,
      }));
      if (gen === generation) {
        if (cache.size >= maxConsumers) cache.clear();
        cache.set(consumerId, { grants, at: monotonic(), answers: new Map() });
      }
      return grants;
    })().finally(() => {
      if (pending.get(consumerId) === read) pending.delete(consumerId);
    });
    pending.set(consumerId, read);
    return read;
  }

  function answer(grants: Held[], target: { resourceId: string } | { interfaceId: string }, on: string): ActiveGrant | null {
    const matching = grants.filter(
      (g) => g.validUntil >= on && ('resourceId' in target ? g.resourceId === target.resourceId : g.interfaceId === target.interfaceId),
    );
    if (matching.length === 0) return null;
    const items = [...new Set(matching.flatMap((g) => g.items))];
    return Object.freeze({
      grantIds: matching.map((g) => g.id),
      resourceId: 'resourceId' in target ? target.resourceId : null,
      interfaceId: 'interfaceId' in target ? target.interfaceId : null,
      items,
      validUntil: matching.reduce((max, g) => (g.validUntil > max ? g.validUntil : max), matching[0]!.validUntil),
    });
  }

  function grantForNow(consumerId: string, target: { resourceId: string } | { interfaceId: string }): MaybePromise<ActiveGrant | null> {
    const on = today();
    // The gateway asks this on every call: while the consumer's grants are fresh, the answer for
    // a target is worked out once per day (expiry moves with the day) and handed out as is.
    const hit = cache.get(consumerId);
    if (hit && monotonic() - hit.at < recheckMs) {
      const k = 'resourceId' in target ? `r:${target.resourceId}` : `i:${target.interfaceId}`;
      const known = hit.answers.get(k);
      if (known && known.on === on) return known.grant;
      const grant = answer(hit.grants, target, on);
      hit.answers.set(k, { on, grant });
      return grant;
    }
    return held(consumerId).then((grants) => answer(grants, target, on));
  }

  return {
    grantFor: async (consumerId, target) => grantForNow(consumerId, target),
    grantForNow,
    /** Forget one consumer's grants (or everyone's): called after every grant or consumer write. */
    invalidate(consumerId) {
      generation++;
      if (consumerId === undefined) cache.clear();
      else cache.delete(consumerId);
      if (consumerId === undefined) pending.clear();
      else pending.delete(consumerId);
    },
  };
}

export type GrantLookupService = ReturnType<typeof createGrantLookup>;
