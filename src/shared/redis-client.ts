import { Redis } from 'ioredis';

/**
 * A connection to the Redis of KUAIJI_REDIS_URL, the one way the platform opens one: the gateway's
 * call counters and nonces and the sign-in throttles (ADR 0039) share its settings. A command
 * waits at most one retry and a 2-s connect, so a Redis that is down is answered (503, each
 * caller with its own code) instead of queueing calls; concurrent commands are sent as one
 * pipeline. Errors reach each command's caller, so the connection's own `error` events are not
 * printed as well. `lazy`: connect at the first command (a CLI command that never uses it never
 * opens it).
 */
export function connectRedis(url: string, o: { lazy?: boolean } = {}): Redis {
  const redis = new Redis(url, { lazyConnect: o.lazy ?? false, maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
  redis.on('error', () => undefined);
  return redis;
}
