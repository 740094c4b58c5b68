import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GatewayCall } from '../../src/modules/sharing/contracts.js';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import { newId } from '../../src/shared/ids.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { registerConsumer, sharingFixture, type SharingFixture } from './consumers-fixtures.js';

/**
 * The figures over data made the way users make it: consumers registered, applications
 * submitted (granted at once, or waiting for the compliance check), interfaces created and
 * published, calls recorded by the gateway's call recorder, a grant revoked.
 */
describeEachDialect('sharing figures over the sharing services', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  let consumer1: string;
  let generatedId: string;

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const stats = async (query = '') => (await api('GET', `/api/v1/sharing/stats${query}`, t.adminToken)) as Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db); // Monday 2026-03-02, 10:00 in Shanghai
    consumer1 = (await registerConsumer(t, t.deptA.token, t.systemA)).consumer.id;
    const consumer2 = (await registerConsumer(t, t.deptA.token, t.systemA2)).consumer.id;
    const apply = (consumerId: string, items: string[]) =>
      api('POST', '/api/v1/sharing/applications', t.deptA.token, {
        consumerId,
        resourceId: t.resource.id,
        items,
        purpose: '企业开办一网通办核验',
        validUntil: '2026-12-31',
      });
    expect((await apply(consumer1, t.resource.unconditional)).status).toBe('GRANTED');
    expect((await apply(consumer2, [t.resource.conditional])).status).toBe('COMPLIANCE_CHECK');

    generatedId = (await api('POST', '/api/v1/sharing/interfaces', t.deptB.token, { resourceId: t.resource.id, code: 'org-lookup', name: '机构信息查询' })).id;
    await api('PATCH', `/api/v1/sharing/interfaces/${generatedId}`, t.deptB.token, { status: 'PUBLISHED' });
    await api('POST', '/api/v1/sharing/interfaces/upstream', t.adminToken, {
      departmentId: t.deptB.id,
      code: 'zj-org',
      name: '省级法人库查询',
      url: 'https://203.0.113.10/api/org',
      auth: { scheme: 'zhejiang', appKey: 'ak-test', refreshUrl: 'https://203.0.113.10/api/secret' },
      secret: 'synthetic-app-secret',
    });
  });

  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('counts the interfaces, connected systems, applications and grants the services made', async () => {
    const f = await stats();
    expect(f.interfaces).toMatchObject({
      total: 2,
      generated: 1,
      upstream: 1,
      byLevel: { CITY: 1, PROVINCIAL: 1, NATIONAL: 0 },
      byStatus: { DRAFT: 1, PUBLISHED: 1, OFFLINE: 0 },
    });
    expect(f.systems).toEqual({ census: 3, connected: 1, markedConnected: 0, consumers: 2, consumersWithActiveGrant: 1 });
    expect(f.applications).toMatchObject({ total: 2, pending: 1, overdue: 0 });
    expect(f.grants).toEqual({ active: 1 });
  });

  it('counts an application overdue once its compliance check passes its deadline', async () => {
    t.clock.set('2026-03-05T02:00:00Z'); // two working days after Monday have passed
    try {
      expect((await stats()).applications).toMatchObject({ pending: 1, overdue: 1 });
    } finally {
      t.clock.set('2026-03-02T02:00:00Z');
    }
  });

  it('sums the calls the gateway recorder wrote', async () => {
    const recorder = createCallRecorder({ db: db.db, clock: t.clock, flushEveryMs: 10_000 });
    const call = (status: number): GatewayCall => ({
      id: newId(),
      at: t.clock.now().toISOString(),
      consumerId: consumer1,
      departmentId: t.deptA.id,
      interfaceId: generatedId,
      interfaceCode: 'org-lookup',
      purpose: '企业开办一网通办核验',
      keys: ['91330600MA2D3XXXXX'],
      items: t.resource.unconditional,
      rowCount: status === 200 ? 1 : 0,
      status,
      errorCode: status === 200 ? null : 'INTERNAL',
      latencyMs: 2.5,
    });
    for (const status of [200, 200, 404, 200]) recorder.record(call(status));
    await recorder.stop();
    const f = await stats();
    expect(f.calls).toMatchObject({
      calls: 4,
      errors: 1,
      errorRate: 0.25,
      byDay: [{ day: '2026-03-02', calls: 4, errors: 1 }],
      byConsumer: [{ consumerId: consumer1, calls: 4, errors: 1 }],
      byDepartment: [{ departmentId: t.deptA.id, calls: 4, errors: 1 }],
    });
    expect((f.calls!.byInterface as { code: string; calls: number }[]).map((r) => [r.code, r.calls])).toEqual([['org-lookup', 4]]);
  });

  it('stops counting a system connected once its only grant is revoked', async () => {
    const grants = (await api('GET', `/api/v1/sharing/grants?consumerId=${consumer1}`, t.adminToken)) as { items: { id: string }[] };
    expect(grants.items).toHaveLength(1);
    await api('POST', `/api/v1/sharing/grants/${grants.items[0]!.id}/revoke`, t.deptB.token, { reason: '用途变更，停止共享' });
    const f = await stats();
    expect(f.systems).toMatchObject({ connected: 0, consumersWithActiveGrant: 0 });
    expect(f.grants).toEqual({ active: 0 });
  });
});
