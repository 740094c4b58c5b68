import { AppError } from '../../../errors.js';
import { connectRedis } from '../../../shared/redis-client.js';
import type { NonceStore } from './nonce-store.js';

/**
 * Nonces in Redis (KUAIJI_REDIS_URL), shared by every gateway process: one `SET key 1 PX ttl NX`
 * per signed call claims it atomically, so a request replayed to another process is refused too;
 * each key expires when its timestamp leaves the window (plus a second). When Redis cannot be
 * reached the call is refused (SHARING_NONCE_STORE_UNAVAILABLE, 503): accepting it unchecked
 * would open the door to replays.
 */
export function createRedisNonceStore(options: { url: string; prefix?: string }): NonceStore & { close(): Promise<void> } {
  const redis = connectRedis(options.url);
  const prefix = options.prefix ?? 'kuaiji:nonce:';
  return {
    async claim(scope, nonce, expiresAtMs, nowMs) {
      const ttl = Math.max(1, expiresAtMs - nowMs) + 1000;
      try {
        return (await redis.set(`${prefix}${scope}:${nonce}`, '1', 'PX', ttl, 'NX')) === 'OK';
      } catch (err) {
        throw new AppError('SHARING_NONCE_STORE_UNAVAILABLE', `The nonce store (Redis) cannot be reached: ${(err as Error).message}`);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
