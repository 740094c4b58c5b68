import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, type ErrorCode } from '../errors.js';
import { connectRedis } from './redis-client.js';
import { throttled, type LoginThrottle, type ThrottleOptions } from './login-throttle.js';

/**
 * Drops each key's failures at or before the window's start (ARGV[1]), then returns the time of
 * the oldest failure of the first key at or past its limit (ARGV[2], ARGV[3] … per key), else 0.
 */
const CHECK = `
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1])
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[i + 1]) then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    return tonumber(oldest[2])
  end
end
return 0`;

type ScriptedRedis = Redis & { kuaijiLoginCheck(keys: number, ...args: (string | number)[]): Promise<number> };

/**
 * Failed logins in Redis (KUAIJI_REDIS_URL), shared by every serving process (ADR 0039): one sorted
 * set of failure times per username and per address, trimmed to the window when checked, expiring
 * with it. The same limits, window and answers as createLoginThrottle. When Redis cannot be reached
 * a login is refused (LOGIN_THROTTLE_UNAVAILABLE, 503) rather than let guessing through uncounted.
 */
export function createRedisLoginThrottle(o: { url: string; prefix?: string }, now: () => number, options: ThrottleOptions, code: ErrorCode): LoginThrottle {
  // Connected at the first sign-in: a CLI command that never signs anyone in never opens it.
  const redis = connectRedis(o.url, { lazy: true }) as ScriptedRedis;
  redis.defineCommand('kuaijiLoginCheck', { lua: CHECK });
  const prefix = `${o.prefix ?? 'kuaiji:login:'}${code}:`;
  const counted = (username: string, address: string) =>
    [
      { key: `${prefix}u:${username}`, limit: options.perUsername },
      { key: `${prefix}a:${address}`, limit: options.perAddress },
    ].filter((k) => k.limit !== Infinity);
  const unavailable = (err: unknown) => new AppError('LOGIN_THROTTLE_UNAVAILABLE', `The sign-in throttle (Redis) cannot be reached: ${(err as Error).message}`);

  return {
    async assertAllowed(username, address) {
      const keys = counted(username, address);
      if (keys.length === 0) return;
      const at = now();
      let oldest: number;
      try {
        oldest = await redis.kuaijiLoginCheck(keys.length, ...keys.map((k) => k.key), at - options.windowMs, ...keys.map((k) => k.limit));
      } catch (err) {
        throw unavailable(err);
      }
      if (oldest > 0) throw throttled(code, oldest, options, at);
    },
    async failed(username, address) {
      const keys = counted(username, address);
      if (keys.length === 0) return;
      const at = now();
      const tx = redis.multi();
      for (const k of keys) tx.zadd(k.key, at, `${at}:${randomBytes(6).toString('hex')}`).pexpire(k.key, options.windowMs);
      try {
        await tx.exec();
      } catch (err) {
        throw unavailable(err);
      }
    },
    async succeeded(username) {
      if (options.perUsername === Infinity) return;
      try {
        await redis.del(`${prefix}u:${username}`);
      } catch (err) {
        throw unavailable(err);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
