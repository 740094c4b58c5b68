import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { apply, decide, PLATFORM_KEY, registerConsumer } from './consumers-fixtures.js';
import { startFakeUpstream, type FakeUpstream } from './upstream-fake.js';

const PURPOSE = { 'x-purpose': encodeURIComponent('省级企业信息核验') };

describeEachDialect('sharing gateway: upstream interfaces proxied under the same pipeline', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let fake: FakeUpstream;
  let token: string;
  let applicationId: string;

  beforeAll(async () => {
    db = await fresh();
    fake = await startFakeUpstream({ appKey: 'APP1', appSecret: 'app-secret-1' });
    t = await buildTestApp(db, { sources: { security: { secretKey: PLATFORM_KEY, allow: ['127.0.0.1'] } } });
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sharing/interfaces/upstream',
      headers: bearer(t.deptB.token),
      payload: {
        code: 'zj-plain',
        name: '浙江省企业信息查询',
        url: `${fake.url}/plain`,
        auth: { scheme: 'header', header: 'X-Api-Token' },
        secret: 'upstream-token-1',
        quotaPerDay: 3,
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id;
    await t.app.inject({ method: 'PATCH', url: `/api/v1/sharing/interfaces/${id}`, headers: bearer(t.deptB.token), payload: { status: 'PUBLISHED' } });
    const system = await t.services.systems.create(SYSTEM_ACTOR, {
      name: '市场监管综合业务系统',
      departmentId: t.deptA.id,
      level: 'CITY',
      status: 'IN_USE',
      connected: false,
    });
    const issued = await registerConsumer(t, t.deptA.token, system.id);
    const applied = await apply(t, t.deptA.token, { consumerId: issued.consumer.id, interfaceId: id, purpose: '企业信息核验', validUntil: '2099-12-31' });
    expect(applied.statusCode, applied.body).toBe(201);
    applicationId = applied.json().id;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sharing/token',
      payload: { appKey: issued.credentials.appKey, secret: issued.credentials.secret },
    });
    token = res.json().access_token;
  }, 60_000);

  afterAll(async () => {
    await t.app.close();
    await fake.close();
    await db.drop();
  });

  const gw = (url: string, method: 'GET' | 'POST' = 'GET', payload?: string) =>
    t.app.inject({
      method,
      url,
      headers: { ...bearer(token), ...PURPOSE, ...(payload ? { 'content-type': 'text/plain' } : {}) },
      ...(payload ? { payload } : {}),
    });

  it('refuses calls until the conditional application is granted, then passes them through with the credential injected', async () => {
    const early = await gw('/gateway/zj-plain/v1?id=1');
    expect(early.statusCode).toBe(403);
    expect(early.json()).toMatchObject({ code: 'GATEWAY_NOT_GRANTED' });
    expect(fake.hits['/plain'] ?? 0).toBe(0);

    expect((await decide(t, t.adminToken, applicationId, { decision: 'approve' })).statusCode).toBe(200);
    expect((await decide(t, t.deptB.token, applicationId, { decision: 'approve' })).statusCode).toBe(200);

    const ok = await gw('/gateway/zj-plain/v1?id=1');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ found: true, token: 'upstream-token-1' });
    expect(fake.seen.at(-1)!.query.get('id')).toBe('1');
    // The upstream's own status passes through (a 4xx is the upstream's answer, not a gateway failure).
    const missing = await gw('/gateway/zj-plain/v1?missing=1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ found: false, token: 'upstream-token-1' });
  });

  it('has no batch or records paths, and counts its calls against its daily quota', async () => {
    const batch = await gw('/gateway/zj-plain/v1/batch', 'POST', '{}');
    expect(batch.json()).toMatchObject({ code: 'GATEWAY_INTERFACE_NOT_FOUND' });
    const third = await gw('/gateway/zj-plain/v1?id=3');
    expect(third.statusCode).toBe(200);
    const fourth = await gw('/gateway/zj-plain/v1?id=4');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({ code: 'GATEWAY_QUOTA_EXCEEDED', window: 'day', limit: 3 });
    expect(fake.seen.filter((s) => s.path === '/plain').length).toBe(3);
  });
});
