import { Redis } from 'ioredis';

/** The Redis server of tests (KUAIJI_TEST_REDIS_URL, default 127.0.0.1:6379); CI=true makes it mandatory. */
export const TEST_REDIS_URL = process.env.KUAIJI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

let reachable: Promise<string | null> | undefined;

/** The URL when Redis answers; null (and one warning) when it does not — an error under CI=true. */
export function redisUrlOrSkip(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return TEST_REDIS_URL;
    } catch (err) {
      if (process.env.CI === 'true') throw new Error(`CI=true but Redis at ${TEST_REDIS_URL} is unreachable: ${(err as Error).message}`);
      console.warn(`[kuaiji tests] Redis at ${TEST_REDIS_URL} unreachable: Redis-shared quota tests are SKIPPED`);
      return null;
    } finally {
      client.disconnect();
    }
  })();
  return reachable;
}
