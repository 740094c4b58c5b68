import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { UpstreamConfig } from '../../src/modules/sharing/contracts.js';
import { createUpstreamProxy, type UpstreamOptions } from '../../src/modules/sharing/upstream/upstream-proxy.js';
import { seal } from '../../src/shared/secret-box.js';
import { startFakeUpstream, type FakeUpstream } from './upstream-fake.js';

const KEY = randomBytes(32).toString('hex');
const APP_KEY = 'ak-330600-test';
const APP_SECRET = 'as-synthetic-secret';
const LIFE = 15 * 60_000;
const T0 = Date.parse('2026-03-02T01:00:00Z');

let fake: FakeUpstream;
let t = T0;
const clock = { now: () => new Date(t) };
let n = 0;

function proxy(options: UpstreamOptions = {}) {
  return createUpstreamProxy({ clock, secretKey: () => KEY, options: { allow: ['127.0.0.1'], ...options } });
}

function iface(path: string, auth: UpstreamConfig['auth'], over: Partial<UpstreamConfig> = {}, secret?: string) {
  const id = `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  const config: UpstreamConfig = { url: `${fake.url}${path}`, method: 'GET', timeoutMs: 2000, auth, ...over };
  return { id, config, secretSealed: secret === undefined ? null : seal(secret, KEY, id) };
}

const zhejiang = (over: Partial<UpstreamConfig> = {}) =>
  iface('/data', { scheme: 'zhejiang', appKey: APP_KEY, refreshUrl: `${fake.url}/secret` }, over, APP_SECRET);
const get = (query: Record<string, string> = {}) => ({ method: 'GET', query, body: null, contentType: null });
const parsed = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8')) as { code: string; datas: Record<string, unknown> };

async function problem(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  fake = await startFakeUpstream({ appKey: APP_KEY, appSecret: APP_SECRET, secretLifeMs: LIFE });
});
afterAll(() => fake.close());
beforeEach(() => {
  t = T0;
  fake.hits = {};
  fake.seen = [];
  fake.secret = null;
  fake.refreshDelayMs = 0;
  fake.refuseData = false;
});

describe('upstream proxy: the Zhejiang scheme', () => {
  it('obtains a request secret with md5(appKey + appSecret + requestTime), then signs calls with it', async () => {
    const p = proxy();
    const i = zhejiang();
    const r = await p.call(i, get({ id: '42' }));
    expect(r.status).toBe(200);
    expect(parsed(r)).toMatchObject({ code: '00', datas: { id: '42', method: 'GET' } });
    expect(fake.hits).toEqual({ '/secret': 1, '/data': 1 });
    const data = fake.seen.find((s) => s.path === '/data')!;
    expect(data.query.get('requestTime')).toBe(String(T0));
    expect(data.query.get('appKey')).toBe(APP_KEY);
    // The app secret itself never travels on a data call.
    expect(fake.seen.map((s) => s.query.toString()).join()).not.toContain(APP_SECRET);

    await p.call(i, get({ id: '43' }));
    expect(fake.hits).toEqual({ '/secret': 1, '/data': 2 });
  });

  it('refreshes the request secret at 80% of its life, before the upstream would refuse it', async () => {
    const p = proxy();
    const i = zhejiang();
    await p.call(i, get());
    const first = fake.secret!.value;
    t = T0 + LIFE * 0.79;
    await p.call(i, get());
    expect(fake.hits['/secret']).toBe(1);
    t = T0 + LIFE * 0.81;
    const r = await p.call(i, get());
    expect(parsed(r).code).toBe('00');
    expect(fake.hits['/secret']).toBe(2);
    expect(fake.secret!.value).not.toBe(first);
    // Every data call was accepted at first try: none was refused as stale.
    expect(fake.hits['/data']).toBe(3);

    // Long idle: the held secret has expired; the next call obtains a new one first.
    t = T0 + LIFE * 3;
    expect(parsed(await p.call(i, get())).code).toBe('00');
    expect(fake.hits).toEqual({ '/secret': 3, '/data': 4 });
  });

  it('refreshes once more and repeats the call when the upstream says the secret is invalid', async () => {
    const p = proxy();
    const i = zhejiang();
    await p.call(i, get());
    fake.secret = { value: 'rs-issued-to-someone-else', endTime: T0 + LIFE }; // the province restarted or another client refreshed
    const r = await p.call(i, get({ id: '7' }));
    expect(parsed(r)).toMatchObject({ code: '00', datas: { id: '7' } });
    expect(fake.hits).toEqual({ '/secret': 2, '/data': 3 });
  });

  it('passes the stale answer on rather than loop when even a fresh secret is refused', async () => {
    const p = proxy();
    const i = zhejiang();
    await p.call(i, get());
    fake.refuseData = true;
    const r = await p.call(i, get());
    expect(parsed(r).code).toBe('14');
    expect(fake.hits).toEqual({ '/secret': 2, '/data': 3 });
  });

  it('makes one refresh for many concurrent calls', async () => {
    fake.refreshDelayMs = 100;
    const p = proxy();
    const i = zhejiang();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, k) => p.call(i, get({ id: String(k) }))));
    expect(answers.map((a) => parsed(a).code)).toEqual(Array(12).fill('00'));
    expect(fake.hits['/secret']).toBe(1);
    expect(fake.hits['/data']).toBe(12);

    // Many calls that all find the secret refused still make one refresh.
    fake.secret = { value: 'rs-revoked', endTime: T0 + LIFE };
    const again = await Promise.all(Array.from({ length: 8 }, () => p.call(i, get())));
    expect(again.map((a) => parsed(a).code)).toEqual(Array(8).fill('00'));
    expect(fake.hits['/secret']).toBe(2);
  });

  it('fails with UPSTREAM_FAILED when the refresh URL refuses the app secret', async () => {
    const p = proxy();
    const i = iface('/data', { scheme: 'zhejiang', appKey: APP_KEY, refreshUrl: `${fake.url}/secret` }, {}, 'a-wrong-secret');
    const err = await problem(p.call(i, get()));
    expect(err.code).toBe('UPSTREAM_FAILED');
    expect(err.message).toContain('签名错误');
    expect(fake.hits['/data']).toBeUndefined();
  });
});

describe('upstream proxy: credentials, answers and limits', () => {
  it('puts a header token in the named header and passes 4xx answers through', async () => {
    const p = proxy();
    const i = iface('/plain', { scheme: 'header', header: 'X-Api-Token' }, {}, 'tok-123');
    const ok = await p.call(i, get());
    expect(JSON.parse(ok.body.toString())).toEqual({ found: true, token: 'tok-123' });
    const missing = await p.call(i, get({ missing: '1' }));
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/json');
  });

  it('forwards a POST body with its content type and the query', async () => {
    const p = proxy();
    const i = zhejiang({ method: 'POST' });
    const r = await p.call(i, { method: 'POST', query: { id: '9' }, body: Buffer.from('{"q":"绍兴"}'), contentType: 'application/json' });
    expect(parsed(r).datas).toEqual({ id: '9', method: 'POST', contentType: 'application/json', body: '{"q":"绍兴"}' });
  });

  it('answers UPSTREAM_TIMEOUT past the interface timeout', async () => {
    const p = proxy();
    const started = Date.now();
    const err = await problem(p.call(iface('/slow', { scheme: 'none' }, { timeoutMs: 200 }), get()));
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(err.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keeps to the timeout while the request secret is being obtained', async () => {
    const p = proxy();
    const i = iface('/data', { scheme: 'zhejiang', appKey: APP_KEY, refreshUrl: `${fake.url}/secret-slow` }, { timeoutMs: 200 }, APP_SECRET);
    const started = Date.now();
    expect((await problem(p.call(i, get()))).code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fake.hits['/data']).toBeUndefined();
  });

  it('caps the answer size', async () => {
    const p = proxy({ maxResponseBytes: 1024 });
    expect((await p.call(iface('/big', { scheme: 'none' }), get({ size: '1024' }))).body.length).toBe(1024);
    const err = await problem(p.call(iface('/big', { scheme: 'none' }), get({ size: '5000' })));
    expect(err.code).toBe('UPSTREAM_FAILED');
  });

  it('never follows a redirect', async () => {
    const err = await problem(proxy().call(iface('/redirect', { scheme: 'none' }), get()));
    expect(err.code).toBe('UPSTREAM_FAILED');
    expect(err.extensions.upstreamStatus).toBe(302);
  });

  it('refuses this machine unless listed, and never calls it', async () => {
    const p = proxy({ allow: [] });
    const err = await problem(p.call(iface('/plain', { scheme: 'none' }), get()));
    expect(err.code).toBe('UPSTREAM_FAILED');
    expect(err.message).toContain('KUAIJI_SOURCE_ALLOW');
    expect(fake.hits).toEqual({});
  });

  it('does not count a refused target or an unopenable secret against the upstream', async () => {
    const p = proxy({ allow: [], breaker: { threshold: 1 } });
    const refused = iface('/plain', { scheme: 'none' });
    for (let k = 0; k < 3; k++) expect((await problem(p.call(refused, get()))).code).toBe('UPSTREAM_FAILED');
    expect(p.circuitOf(refused.id)).toBe('closed');
    const q = proxy({ breaker: { threshold: 1 } });
    const sealedElsewhere = { ...iface('/plain', { scheme: 'header', header: 'X-Api-Token' }), secretSealed: seal('tok', KEY, 'another-interface') };
    const err = await problem(q.call(sealedElsewhere, get()));
    expect(err.message).toContain('cannot be opened');
    expect(q.circuitOf(sealedElsewhere.id)).toBe('closed');
    expect(fake.hits).toEqual({});
  });
});

describe('upstream proxy: the circuit breaker', () => {
  it('opens after N consecutive failures, fails fast without calling, and a half-open trial closes it', async () => {
    const p = proxy({ breaker: { threshold: 3, cooldownMs: 10_000 } });
    const i = iface('/flaky', { scheme: 'none' });
    fake.flakyStatus = 503;
    for (let k = 0; k < 3; k++) {
      const err = await problem(p.call(i, get()));
      expect(err.code).toBe('UPSTREAM_FAILED');
      expect(err.extensions.upstreamStatus).toBe(503);
    }
    const open = await problem(p.call(i, get()));
    expect(open.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(open.status).toBe(503);
    expect(open.extensions.retryAfterSeconds).toBe(10);
    expect(fake.hits['/flaky']).toBe(3);
    // Another interface's circuit is its own.
    expect((await p.call(iface('/plain', { scheme: 'none' }), get())).status).toBe(200);

    t += 10_000;
    expect(p.circuitOf(i.id)).toBe('half-open');
    // A failed trial opens it again for a whole cooldown.
    expect((await problem(p.call(i, get()))).code).toBe('UPSTREAM_FAILED');
    expect((await problem(p.call(i, get()))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(fake.hits['/flaky']).toBe(4);

    t += 10_000;
    fake.flakyStatus = 200;
    expect((await p.call(i, get())).status).toBe(200);
    expect(p.circuitOf(i.id)).toBe('closed');
    expect((await p.call(i, get())).status).toBe(200);
    expect(fake.hits['/flaky']).toBe(6);
  });

  it('counts timeouts and connection errors, not 4xx answers', async () => {
    const p = proxy({ breaker: { threshold: 2, cooldownMs: 1000 } });
    const i = iface('/plain', { scheme: 'none' });
    for (let k = 0; k < 4; k++) expect((await p.call(i, get({ missing: '1' }))).status).toBe(404);
    expect(p.circuitOf(i.id)).toBe('closed');

    const slow = iface('/slow', { scheme: 'none' }, { timeoutMs: 100 });
    await problem(p.call(slow, get()));
    await problem(p.call(slow, get()));
    expect((await problem(p.call(slow, get()))).code).toBe('UPSTREAM_UNAVAILABLE');

    // A port nobody listens on: connection refused.
    const closed = {
      ...iface('/', { scheme: 'none' }),
      config: { url: 'http://127.0.0.1:9/', method: 'GET' as const, timeoutMs: 1000, auth: { scheme: 'none' as const } },
    };
    expect((await problem(p.call(closed, get()))).code).toBe('UPSTREAM_FAILED');
    expect((await problem(p.call(closed, get()))).code).toBe('UPSTREAM_FAILED');
    expect((await problem(p.call(closed, get()))).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
