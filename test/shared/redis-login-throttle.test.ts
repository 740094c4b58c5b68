import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import { createLoginThrottle, type LoginThrottle, type ThrottleOptions } from '../../src/shared/login-throttle.js';
import { createRedisLoginThrottle } from '../../src/shared/redis-login-throttle.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { redisUrlOrSkip } from '../sharing/redis.js';

const redisUrl = await redisUrlOrSkip();
const LIMITS: ThrottleOptions = { perUsername: 3, perAddress: 5, windowMs: 60_000 };
const refusal = (p: Promise<void>) =>
  p.then(
    () => 'allowed',
    (e: { code: string; extensions?: { retryAfterSeconds?: number } }) => `${e.code} ${e.extensions?.retryAfterSeconds ?? ''}`.trim(),
  );

// Without Redis (and without CI=true, where it must run) the suites are reported skipped.
const redisDescribe = redisUrl ? describe : describe.skip;

redisDescribe('sign-in throttle in Redis: two serving processes count one set of failures (ADR 0039)', () => {
  let now = Date.parse('2026-12-01T02:00:00Z');
  const prefix = `kuaiji-test:${randomBytes(6).toString('hex')}:`;
  const made: LoginThrottle[] = [];
  const throttle = () => {
    const t = createRedisLoginThrottle({ url: redisUrl!, prefix }, () => now, LIMITS, 'OPEN_LOGIN_THROTTLED');
    made.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of made) await t.close();
  });

  it('refuses a name past its limit in both processes, answers like the memory throttle, and a success in one clears it for both', async () => {
    const [one, two] = [throttle(), throttle()];
    const memory = createLoginThrottle(() => now, LIMITS, 'OPEN_LOGIN_THROTTLED');
    await one.failed('alice', '203.0.113.1');
    await two.failed('alice', '203.0.113.2');
    await memory.failed('alice', '203.0.113.1');
    await memory.failed('alice', '203.0.113.2');
    now += 10_000;
    await one.failed('alice', '203.0.113.3');
    await memory.failed('alice', '203.0.113.3');
    // Retry after: until the oldest failure (10 s ago) leaves the 60-s window.
    expect(await refusal(one.assertAllowed('alice', '198.51.100.9'))).toBe('OPEN_LOGIN_THROTTLED 50');
    expect(await refusal(two.assertAllowed('alice', '198.51.100.9'))).toBe('OPEN_LOGIN_THROTTLED 50');
    expect(await refusal(memory.assertAllowed('alice', '198.51.100.9'))).toBe('OPEN_LOGIN_THROTTLED 50');
    expect(await refusal(two.assertAllowed('bob', '198.51.100.9'))).toBe('allowed');
    await one.succeeded('alice');
    expect(await refusal(two.assertAllowed('alice', '198.51.100.9'))).toBe('allowed');
  });

  it('refuses an address past its limit whatever names it tries, until its oldest failure leaves the window', async () => {
    const [one, two] = [throttle(), throttle()];
    for (let i = 0; i < 5; i++) await (i % 2 ? one : two).failed(`guess-${i}`, '192.0.2.77');
    expect(await refusal(one.assertAllowed('carol', '192.0.2.77'))).toBe('OPEN_LOGIN_THROTTLED 60');
    expect(await refusal(two.assertAllowed('dave', '192.0.2.77'))).toBe('OPEN_LOGIN_THROTTLED 60');
    now += 60_000;
    expect(await refusal(one.assertAllowed('carol', '192.0.2.77'))).toBe('allowed');
  });

  it('refuses a sign-in when Redis cannot be reached (LOGIN_THROTTLE_UNAVAILABLE), rather than count nothing', async () => {
    const down = createRedisLoginThrottle({ url: 'redis://127.0.0.1:1/0' }, () => now, LIMITS, 'LOGIN_THROTTLED');
    made.push(down);
    expect(await refusal(down.assertAllowed('erin', '192.0.2.1'))).toMatch(/^LOGIN_THROTTLE_UNAVAILABLE/);
    expect(await refusal(down.failed('erin', '192.0.2.1'))).toMatch(/^LOGIN_THROTTLE_UNAVAILABLE/);
  });
});

(redisUrl ? describeEachDialect : (title: string) => describe.skip(title, () => undefined))(
  'console sign-in throttle with KUAIJI_REDIS_URL: two service sets over one database count one address',
  (fresh) => {
    let db: TestDb;
    const stops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const s of stops) await s();
      await db.drop();
    });

    it('refuses the address in both after 30 failures spread over them (LOGIN_THROTTLED)', async () => {
      db = await fresh();
      const prefix = `kuaiji-test:${randomBytes(6).toString('hex')}:`;
      const sets = [0, 1].map(() => buildServices(db, undefined, { loginThrottleRedis: { url: redisUrl!, prefix } }));
      for (const s of sets) stops.push(async () => (await s.modules.find((m) => m.name === 'identity')?.stop?.()) ?? undefined);
      await sets[0]!.identity.ensureFirstAdmin('admin', undefined);
      for (let i = 0; i < 30; i++)
        await expect(sets[i % 2]!.identity.login(`guess-${i}`, 'Spray-Pass-2026', '203.0.113.9')).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
      for (const s of sets) await expect(s.identity.login('admin', 'whatever-it-is', '203.0.113.9')).rejects.toMatchObject({ code: 'LOGIN_THROTTLED' });
      await expect(sets[1]!.identity.login('admin', 'whatever-it-is', '198.51.100.1')).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    }, 60_000);
  },
);
