import { unseal } from '../../../shared/secret-box.js';
import type { MaybePromise } from '../../../shared/maybe-promise.js';
import type { Db } from '../../../storage/dialect.js';
import type { GatewayConsumer } from '../contracts.js';
import { createConsumersRepository, type CredentialWithConsumer } from './consumers.repository.js';

/** A credential as authentication sees it; `live` is false once retired or its consumer revoked. */
export type CachedCredential = {
  credentialId: string;
  consumerId: string;
  departmentId: string;
  systemId: string;
  appKey: string;
  secretHash: string;
  live: boolean;
  /** The consumer as the gateway hands it on (one object per cached credential: no copy per call). */
  consumer: GatewayConsumer;
  /** The plain secret (for HMAC signatures), unsealed at first use and kept with the entry. */
  secret(): string;
};

type Entry = { value: CachedCredential | null; at: number };

export type CredentialCacheOptions = {
  db: Db;
  /** The platform key (hex) the secrets are sealed with. */
  secretKey: string;
  /** How old an entry may be before it is read again (ms): another process's revocation takes effect within it. */
  recheckMs?: number;
  /** A monotonic clock in ms (tests pass their own). */
  monotonic?: () => number;
  /** Entries kept per map; past it the map starts over (unknown app keys are cached too). */
  maxEntries?: number;
};

/**
 * Credentials by app key and by id for the gateway's hot path: one database read per key at most
 * every `recheckMs` (1 s), so a revocation or rotation made by another process (the CLI, a second
 * server) takes effect within a second; this process's own writes call `invalidate()` and take
 * effect on the next call. Unknown keys are cached as null for the same time, so a flood of bad
 * keys costs one read per key per second. Concurrent misses of one key share one read.
 */
export function createCredentialCache(o: CredentialCacheOptions) {
  const repo = createConsumersRepository();
  const recheckMs = o.recheckMs ?? 1000;
  const monotonic = o.monotonic ?? (() => performance.now());
  const maxEntries = o.maxEntries ?? 10_000;
  const byKey = new Map<string, Entry>();
  const byId = new Map<string, Entry>();
  const pending = new Map<string, Promise<CachedCredential | null>>();
  // Bumped by invalidate(): a read that started before it does not fill the cache afterwards.
  let generation = 0;

  function toCached(row: CredentialWithConsumer): CachedCredential {
    let plain: string | null = null;
    return {
      credentialId: row.id,
      consumerId: row.consumer_id,
      departmentId: row.department_id,
      systemId: row.system_id,
      appKey: row.app_key,
      secretHash: row.secret_hash,
      live: row.retired_at === null && row.consumer_status === 'ACTIVE',
      consumer: Object.freeze({ consumerId: row.consumer_id, departmentId: row.department_id, systemId: row.system_id, appKey: row.app_key }),
      secret() {
        if (plain === null) {
          if (!row.secret_sealed) throw new Error(`credential ${row.id} keeps no sealed secret`);
          plain = unseal(row.secret_sealed, o.secretKey, row.id);
        }
        return plain;
      },
    };
  }

  /** At once when cached and fresh (the gateway's hot path), else the read (shared by concurrent callers). */
  function get(map: Map<string, Entry>, kind: 'key' | 'id', k: string): MaybePromise<CachedCredential | null> {
    const hit = map.get(k);
    if (hit && monotonic() - hit.at < recheckMs) return hit.value;
    const flight = `${kind}:${k}`;
    const running = pending.get(flight);
    if (running) return running;
    const gen = generation;
    const read: Promise<CachedCredential | null> = (async () => {
      const row = kind === 'key' ? await repo.credentialByAppKey(o.db, k) : await repo.credentialById(o.db, k);
      const value = row ? toCached(row) : null;
      if (gen === generation) {
        if (map.size >= maxEntries) map.clear();
        map.set(k, { value, at: monotonic() });
      }
      return value;
    })().finally(() => {
      if (pending.get(flight) === read) pending.delete(flight);
    });
    pending.set(flight, read);
    return read;
  }

  return {
    byAppKey: (appKey: string) => get(byKey, 'key', appKey),
    byId: (credentialId: string) => get(byId, 'id', credentialId),
    /** Forget everything: called after every write to consumers or credentials. */
    invalidate(): void {
      generation++;
      byKey.clear();
      byId.clear();
      pending.clear();
    },
  };
}

export type CredentialCache = ReturnType<typeof createCredentialCache>;
