import type { Redis } from 'ioredis';
import { AppError } from '../../../errors.js';
import { connectRedis } from '../../../shared/redis-client.js';
import { countersAt, refused, type QuotaLimits, type QuotaStore, type QuotaVerdict } from './quota-windows.js';

/**
 * Checks every counter, then counts in all of them, in one script: Redis runs it atomically, so
 * two gateway processes never both take the last call of a window. Returns 0 when counted, else
 * the 1-based index of the longest-lasting full window. Each counter expires with its window.
 */
const TAKE = `
local full = 0
for i = 1, #KEYS do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[2 * i - 1]) then full = i end
end
if full > 0 then return full end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
return 0`;

type ScriptedRedis = Redis & { kuaijiTake(keys: number, ...args: (string | number)[]): Promise<number> };

/**
 * Call counters in Redis (KUAIJI_REDIS_URL), shared by every gateway process. A counter's key
 * names its window (`…:d2026-12-01`), so a new window starts at zero without any reset. When
 * Redis cannot be reached the call is refused (GATEWAY_QUOTA_UNAVAILABLE, 503): counting nothing
 * would lift every quota.
 */
export function createRedisQuotaStore(options: { url: string; prefix?: string }): QuotaStore {
  const redis = connectRedis(options.url) as ScriptedRedis;
  redis.defineCommand('kuaijiTake', { lua: TAKE });
  const prefix = options.prefix ?? 'kuaiji:quota:';

  return {
    async take(subject: string, limits: QuotaLimits, now: number): Promise<QuotaVerdict> {
      const counters = countersAt(now, limits);
      if (counters.length === 0) return { ok: true };
      const keys = counters.map((c) => `${prefix}${subject}:${c.id}`);
      // A second of slack: a counter outlives its window a little, never less.
      const args = counters.flatMap((c) => [c.limit, Math.max(1, c.endsAt - now) + 1000]);
      let full: number;
      try {
        full = await redis.kuaijiTake(keys.length, ...keys, ...args);
      } catch (err) {
        throw new AppError('GATEWAY_QUOTA_UNAVAILABLE', `The call counters (Redis) cannot be reached: ${(err as Error).message}`);
      }
      return full === 0 ? { ok: true } : refused(counters[full - 1]!, now);
    },
    async close() {
      redis.disconnect();
    },
  };
}
