import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/errors.js';
import type { SharingModule } from '../../src/modules/sharing/index.js';
import { canonicalQuery, stringToSign } from '../../src/modules/sharing/consumers/signature.js';
import { createCredentialCache } from '../../src/modules/sharing/consumers/credential-cache.js';
import { createConsumerAuth } from '../../src/modules/sharing/consumers/consumer-auth.js';
import { createMemoryNonceStore } from '../../src/modules/sharing/consumers/nonce-store.js';
import { createRedisNonceStore } from '../../src/modules/sharing/consumers/redis-nonce-store.js';
import { Redis } from 'ioredis';
import type { GatewayRequestHead } from '../../src/modules/sharing/contracts.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { PLATFORM_KEY, registerConsumer, sharingFixture, type SharingFixture } from './consumers-fixtures.js';

describe('the string to sign', () => {
  it('sorts and re-encodes the query (RFC 3986), keeps the path as sent', () => {
    expect(canonicalQuery('b=2&a=3&a=1&c')).toBe('a=1&a=3&b=2&c=');
    expect(canonicalQuery("name=%E5%BC%A0+%E4%B8%89&x=a%2fb&y=it's")).toBe('name=%E5%BC%A0%20%E4%B8%89&x=a%2Fb&y=it%27s');
    expect(canonicalQuery('')).toBe('');
    expect(canonicalQuery('a=%zz')).toBeNull();
    expect(stringToSign('get', '/gateway/v1/x%20y?z=1&a=2', '1767225600000', 'n0nce-123')).toBe('GET\n/gateway/v1/x%20y\na=2&z=1\n1767225600000\nn0nce-123');
  });
});

/** Signs a request head as a consumer would. */
function signed(appKey: string, secret: string, o: { method?: string; url?: string; timestamp: string; nonce: string; path?: string }): GatewayRequestHead {
  const method = o.method ?? 'GET';
  const url = o.url ?? '/gateway/v1/org-lookup?org_id=91330600MA2BC0001X&fields=org_name';
  const q = url.indexOf('?');
  const query = canonicalQuery(q < 0 ? '' : url.slice(q + 1));
  const text = [method, o.path ?? (q < 0 ? url : url.slice(0, q)), query, o.timestamp, o.nonce].join('\n');
  const signature = createHmac('sha256', secret).update(text).digest('base64');
  return { method, url, headers: { 'x-app-key': appKey, 'x-timestamp': o.timestamp, 'x-nonce': o.nonce, 'x-signature': signature } };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as AppError).code ?? String(err);
  }
}

const REDIS_URL = process.env.KUAIJI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.warn(`[kuaiji tests] Redis at ${REDIS_URL} unreachable: the shared nonce store tests are SKIPPED`);
    return false;
  } finally {
    client.disconnect();
  }
}
const withRedis = (await redisReachable()) ? describe : describe.skip;

withRedis('the shared nonce store (Redis)', () => {
  it('a nonce claimed by one gateway process is refused by another, and kept until its window ends', async () => {
    const prefix = `kuaiji-test:${Math.random().toString(36).slice(2)}:`;
    const a = createRedisNonceStore({ url: REDIS_URL, prefix });
    const b = createRedisNonceStore({ url: REDIS_URL, prefix });
    const probe = new Redis(REDIS_URL);
    try {
      const now = Date.now();
      expect(await a.claim('kja_1', 'nonce-0001', now + 300_000, now)).toBe(true);
      expect(await b.claim('kja_1', 'nonce-0001', now + 300_000, now)).toBe(false);
      expect(await b.claim('kja_2', 'nonce-0001', now + 300_000, now)).toBe(true);
      const ttl = await probe.pttl(`${prefix}kja_1:nonce-0001`);
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(301_000);
      await probe.del(`${prefix}kja_1:nonce-0001`, `${prefix}kja_2:nonce-0001`);
    } finally {
      await a.close();
      await b.close();
      probe.disconnect();
    }
  });

  it('refuses the call when Redis cannot be reached (a replay must never slip through)', async () => {
    const down = createRedisNonceStore({ url: 'redis://127.0.0.1:1/0' });
    try {
      await expect(down.claim('kja_1', 'nonce-0002', Date.now() + 1000, Date.now())).rejects.toMatchObject({
        code: 'SHARING_NONCE_STORE_UNAVAILABLE',
        status: 503,
      });
    } finally {
      await down.close();
    }
  });
});

describeEachDialect('sharing: consumer authentication at the gateway', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  let sharing: SharingModule;
  let creds: { appKey: string; secret: string };
  let consumerId: string;
  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db);
    sharing = t.services.modules.find((m) => m.name === 'sharing') as unknown as SharingModule;
    const issued = await registerConsumer(t, t.deptA.token, t.systemA);
    creds = issued.credentials;
    consumerId = issued.consumer.id;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const now = () => t.clock.now().getTime();
  let n = 0;
  const nonce = () => `nonce-${++n}-${Math.random().toString(36).slice(2)}`;
  const issueToken = async () =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/sharing/token', payload: { appKey: creds.appKey, secret: creds.secret } })).json()
      .access_token as string;

  it('a valid signature (ms or ISO timestamp) authenticates the consumer', async () => {
    const a = await sharing.consumerAuth.authenticate(signed(creds.appKey, creds.secret, { timestamp: String(now()), nonce: nonce() }));
    expect(a).toEqual({ consumerId, departmentId: t.deptA.id, systemId: t.systemA, appKey: creds.appKey });
    const iso = t.clock.now().toISOString();
    expect((await sharing.consumerAuth.authenticate(signed(creds.appKey, creds.secret, { timestamp: iso, nonce: nonce() }))).consumerId).toBe(consumerId);
    // Query parameters in another order sign the same canonical string.
    const head = signed(creds.appKey, creds.secret, {
      timestamp: String(now()),
      nonce: nonce(),
      url: '/gateway/v1/org-lookup?fields=org_name&org_id=91330600MA2BC0001X',
    });
    expect((await sharing.consumerAuth.authenticate(head)).consumerId).toBe(consumerId);
  });

  it('refuses a wrong secret, another path, a replayed nonce and a timestamp outside 5 minutes', async () => {
    const ts = String(now());
    expect(await code(sharing.consumerAuth.authenticate(signed(creds.appKey, 'kjs_wrong', { timestamp: ts, nonce: nonce() })))).toBe(
      'SHARING_SIGNATURE_INVALID',
    );
    const tampered = signed(creds.appKey, creds.secret, { timestamp: ts, nonce: nonce(), path: '/gateway/v1/other' });
    expect(await code(sharing.consumerAuth.authenticate(tampered))).toBe('SHARING_SIGNATURE_INVALID');

    const once = signed(creds.appKey, creds.secret, { timestamp: ts, nonce: nonce() });
    expect(await code(sharing.consumerAuth.authenticate(once))).toBe('ok');
    expect(await code(sharing.consumerAuth.authenticate(once))).toBe('SHARING_NONCE_REPLAYED');

    const skew = 5 * 60_000 + 1000;
    for (const at of [now() - skew, now() + skew]) {
      expect(await code(sharing.consumerAuth.authenticate(signed(creds.appKey, creds.secret, { timestamp: String(at), nonce: nonce() })))).toBe(
        'SHARING_SIGNATURE_EXPIRED',
      );
    }
    // Just inside the window either way.
    for (const at of [now() - 299_000, now() + 299_000]) {
      expect(await code(sharing.consumerAuth.authenticate(signed(creds.appKey, creds.secret, { timestamp: String(at), nonce: nonce() })))).toBe('ok');
    }
    expect(await code(sharing.consumerAuth.authenticate(signed('kja_unknown', creds.secret, { timestamp: ts, nonce: nonce() })))).toBe(
      'SHARING_CREDENTIALS_INVALID',
    );
    const noNonce = signed(creds.appKey, creds.secret, { timestamp: ts, nonce: nonce() });
    delete (noNonce.headers as Record<string, string>)['x-nonce'];
    expect(await code(sharing.consumerAuth.authenticate(noNonce))).toBe('SHARING_SIGNATURE_INVALID');
    expect(await code(sharing.consumerAuth.authenticate({ method: 'GET', url: '/gateway/v1/x', headers: {} }))).toBe('UNAUTHENTICATED');
  });

  it('a replay is refused even after the signed request expired and came back inside a later window', async () => {
    const start = now();
    const head = signed(creds.appKey, creds.secret, { timestamp: String(start), nonce: nonce() });
    expect(await code(sharing.consumerAuth.authenticate(head))).toBe('ok');
    t.clock.advance(4 * 60_000);
    expect(await code(sharing.consumerAuth.authenticate(head))).toBe('SHARING_NONCE_REPLAYED');
    t.clock.advance(2 * 60_000);
    expect(await code(sharing.consumerAuth.authenticate(head))).toBe('SHARING_SIGNATURE_EXPIRED');
  });

  it('a bearer token from client credentials authenticates until it expires (15 minutes)', async () => {
    const token = await issueToken();
    const head = { method: 'GET', url: '/gateway/v1/x', headers: bearer(token) };
    expect((await sharing.consumerAuth.authenticate(head)).consumerId).toBe(consumerId);
    t.clock.advance(15 * 60_000 - 1000);
    expect(await code(sharing.consumerAuth.authenticate(head))).toBe('ok');
    t.clock.advance(1000);
    expect(await code(sharing.consumerAuth.authenticate(head))).toBe('SHARING_TOKEN_EXPIRED');
    const [h, p, s] = (await issueToken()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), exp: 9999999999 })).toString('base64url');
    expect(await code(sharing.consumerAuth.authenticate({ ...head, headers: bearer(`${h}.${forged}.${s}`) }))).toBe('INVALID_TOKEN');
    expect(await code(sharing.consumerAuth.authenticate({ ...head, headers: bearer('kj_user-token') }))).toBe('INVALID_TOKEN');
  });

  it("a rotation or revocation fails the old key's next call, tokens and signatures alike", async () => {
    const token = await issueToken();
    const tokenHead = { method: 'GET', url: '/gateway/v1/x', headers: bearer(token) };
    expect(await code(sharing.consumerAuth.authenticate(tokenHead))).toBe('ok');
    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/sharing/consumers/${consumerId}/keys`, headers: bearer(t.deptA.token) });
    const fresh = rotated.json().credentials as { appKey: string; secret: string };
    expect(await code(sharing.consumerAuth.authenticate(tokenHead))).toBe('SHARING_CREDENTIALS_INVALID');
    expect(await code(sharing.consumerAuth.authenticate(signed(creds.appKey, creds.secret, { timestamp: String(now()), nonce: nonce() })))).toBe(
      'SHARING_CREDENTIALS_INVALID',
    );
    expect(await code(sharing.consumerAuth.authenticate(signed(fresh.appKey, fresh.secret, { timestamp: String(now()), nonce: nonce() })))).toBe('ok');

    await t.app.inject({ method: 'POST', url: `/api/v1/sharing/consumers/${consumerId}/revoke`, headers: bearer(t.adminToken), payload: {} });
    expect(await code(sharing.consumerAuth.authenticate(signed(fresh.appKey, fresh.secret, { timestamp: String(now()), nonce: nonce() })))).toBe(
      'SHARING_CREDENTIALS_INVALID',
    );
  });

  it("another process's revocation takes effect once its cache entry is older than 1 s", async () => {
    const issued = await registerConsumer(t, t.deptA.token, t.systemA2);
    let mono = 0;
    // A second gateway process over the same database: its own cache, its own clock for re-checks.
    const other = createConsumerAuth({
      cache: createCredentialCache({ db: db.db, secretKey: PLATFORM_KEY, monotonic: () => mono }),
      clock: t.clock,
      secretKey: PLATFORM_KEY,
      nonces: createMemoryNonceStore(),
    });
    const call = () => other.authenticate(signed(issued.credentials.appKey, issued.credentials.secret, { timestamp: String(now()), nonce: nonce() }));
    expect(await code(call())).toBe('ok');
    await t.app.inject({ method: 'POST', url: `/api/v1/sharing/consumers/${issued.consumer.id}/revoke`, headers: bearer(t.deptA.token), payload: {} });
    mono += 999;
    expect(await code(call())).toBe('ok');
    mono += 1;
    expect(await code(call())).toBe('SHARING_CREDENTIALS_INVALID');
  });
});
