import type { Redis } from 'ioredis';
import { AppError } from '../../../errors.js';
import { connectRedis } from '../../../shared/redis-client.js';
import { countersAt, createSweeper, refused, type QuotaLimits, type QuotaStore, type QuotaVerdict, type QuotaWindow } from './quota-windows.js';

/** Calls a process takes from a window at most in one trip to Redis (its lease). */
const LEASE_MAX = 64;
/** A lease is at most this fraction of what a window has left (1/16), and never less than one call. */
const LEASE_SHARE = 16;

/**
 * Leases calls from every window that needs some (ARGV per key: limit, time to live, calls wanted;
 * 0 wanted: the process still holds a lease of that window). Checks first, then counts, in one
 * script: Redis runs it atomically, so two gateway processes never both take the last call of a
 * window. Returns {i} when window i is full (the last full one: month before day before second),
 * else {0, granted per window}: as many as wanted, at most 1/16 of what is left, at least one.
 * Each counter expires with its window.
 */
const LEASE = `
local full = 0
for i = 1, #KEYS do
  if tonumber(ARGV[3 * i]) > 0 and tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[3 * i - 2]) then full = i end
end
if full > 0 then return {full} end
local out = {0}
for i = 1, #KEYS do
  local want = tonumber(ARGV[3 * i])
  local got = 0
  if want > 0 then
    local left = tonumber(ARGV[3 * i - 2]) - tonumber(redis.call('GET', KEYS[i]) or '0')
    got = math.min(want, math.max(1, math.floor(left / ${LEASE_SHARE})))
    if redis.call('INCRBY', KEYS[i], got) == got then redis.call('PEXPIRE', KEYS[i], ARGV[3 * i - 1]) end
  end
  out[i + 1] = got
end
return out`;

type ScriptedRedis = Redis & { kuaijiLease(keys: number, ...args: (string | number)[]): Promise<number[]> };

/** Calls this process has taken from a window in Redis and not used yet. */
type Lease = { id: string; left: number; endsAt: number };

/**
 * Call counters in Redis (KUAIJI_REDIS_URL), shared by every gateway process. A counter's key
 * names its window (`…:d2026-12-01`), so a new window starts at zero without any reset. When
 * Redis cannot be reached the call is refused (GATEWAY_QUOTA_UNAVAILABLE, 503): counting nothing
 * would lift every quota.
 *
 * Calls are taken in leases (ADR 0039 addendum): a trip to Redis takes up to 64 calls of each
 * window, never more than 1/16 of what the window has left, and the process answers the next calls
 * from them without asking. Redis never counts more than a limit, so the processes together never
 * exceed one; near a limit leases shrink to one call, so every call asks and the count is exact. What a
 * process leased and did not use by the window's end was counted but not served: at most 64 calls
 * per process and window, and never more than 1/16 of what was left when it was taken.
 */
export function createRedisQuotaStore(options: { url: string; prefix?: string }): QuotaStore {
  const redis = connectRedis(options.url) as ScriptedRedis;
  redis.defineCommand('kuaijiLease', { lua: LEASE });
  const prefix = options.prefix ?? 'kuaiji:quota:';
  const leases = new Map<string, Map<QuotaWindow, Lease>>();
  // Leases of ended windows are dropped once a minute.
  const sweep = createSweeper(leases);

  return {
    take(subject: string, limits: QuotaLimits, now: number): QuotaVerdict | Promise<QuotaVerdict> {
      sweep(now);
      const counters = countersAt(now, limits);
      if (counters.length === 0) return { ok: true };
      const held = leases.get(subject);
      // This call's share of each lease it finds is taken now (and given back if Redis refuses),
      // so calls of this process that wait for Redis together never spend one lease twice.
      const spent = counters.map((c) => {
        const l = held?.get(c.window);
        if (!l || l.id !== c.id || l.left < 1) return null;
        l.left -= 1;
        return l;
      });
      if (spent.every((l) => l !== null)) return { ok: true };
      const keys = counters.map((c) => `${prefix}${subject}:${c.id}`);
      // A second of slack: a counter outlives its window a little, never less.
      const args = counters.flatMap((c, i) => [c.limit, Math.max(1, c.endsAt - now) + 1000, spent[i] ? 0 : LEASE_MAX]);
      const giveBack = () => {
        for (const l of spent) if (l) l.left += 1;
      };
      return redis.kuaijiLease(keys.length, ...keys, ...args).then(
        (answer) => {
          if (answer[0] !== 0) {
            giveBack();
            return refused(counters[answer[0]! - 1]!, now);
          }
          let mine = leases.get(subject);
          if (!mine) leases.set(subject, (mine = new Map()));
          counters.forEach((c, i) => {
            const got = answer[i + 1]!;
            if (got === 0) return;
            // One of the calls granted is this one; the rest are kept (added to a lease another call just took).
            const l = mine.get(c.window);
            if (l && l.id === c.id) l.left += got - 1;
            else mine.set(c.window, { id: c.id, left: got - 1, endsAt: c.endsAt });
          });
          return { ok: true } as const;
        },
        (err: Error) => {
          giveBack();
          throw new AppError('GATEWAY_QUOTA_UNAVAILABLE', `The call counters (Redis) cannot be reached: ${err.message}`);
        },
      );
    },
    async close() {
      leases.clear();
      redis.disconnect();
    },
  };
}
