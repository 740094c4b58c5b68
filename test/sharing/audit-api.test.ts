import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import type { SharingModule } from '../../src/modules/sharing/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { gatewayCall } from './audit-calls.js';

describeEachDialect("the gateway's call audit over HTTP: GET /api/v1/sharing/calls and /verify", (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    const recorder = createCallRecorder({ db: db.db, clock: systemClock });
    for (let i = 1; i <= 30; i++) recorder.record(gatewayCall(i));
    await recorder.stop();
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('auditors read calls newest first, page by page, with every recorded field', async () => {
    const first = await get('/api/v1/sharing/calls?limit=20', t.auditorToken);
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 30 - i));
    expect(page1.items[0]).toMatchObject({
      consumerId: 'consumer-0',
      departmentId: 'dept-0',
      interfaceId: 'iface-0',
      purpose: '不动产登记核验',
      items: ['name', 'person_id'],
      status: 200,
      rowCount: 0,
      errorCode: null,
    });
    expect(page1.items[0].keys).toEqual([{ nested: { a: [1.5, null, true], b: 2 }, person_id: '330602199001010030' }]);
    expect(page1.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const page2 = (await get(`/api/v1/sharing/calls?limit=20&cursor=${page1.nextCursor}`, t.auditorToken)).json();
    expect(page2.items.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 10 - i));
    expect(page2.nextCursor).toBeNull();
  });

  it('filters by consumer, interface, department and time', async () => {
    const byConsumer = (await get('/api/v1/sharing/calls?consumerId=consumer-1', t.adminToken)).json();
    expect(byConsumer.items).toHaveLength(10);
    expect(byConsumer.items.every((c: { consumerId: string }) => c.consumerId === 'consumer-1')).toBe(true);
    const both = (await get('/api/v1/sharing/calls?interfaceId=iface-1&departmentId=dept-1', t.adminToken)).json();
    // consumer 1 (dept-1) on odd calls: i ≡ 1 (mod 3) and i odd → i ≡ 1 (mod 6).
    expect(both.items.map((c: { seq: number }) => c.seq)).toEqual([25, 19, 13, 7, 1]);
    const from = gatewayCall(11).at;
    const to = gatewayCall(14).at;
    const window = (await get(`/api/v1/sharing/calls?from=${from}&to=${to}`, t.adminToken)).json();
    expect(window.items.map((c: { seq: number }) => c.seq)).toEqual([13, 12, 11]);
  });

  it('refuses officers, anonymous callers, a bad cursor and unknown filters', async () => {
    expect((await get('/api/v1/sharing/calls', t.deptA.token)).json().code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/sharing/calls' })).statusCode).toBe(401);
    expect((await get('/api/v1/sharing/calls?cursor=nonsense!', t.auditorToken)).json().code).toBe('INVALID_CURSOR');
    const bad = await get('/api/v1/sharing/calls?seq=1', t.auditorToken);
    expect(bad.statusCode).toBe(400);
    expect((await get('/api/v1/sharing/calls?from=yesterday', t.auditorToken)).json().code).toBe('VALIDATION_FAILED');
  });

  it('verify: administrators only; names the first broken link after an edit', async () => {
    expect((await get('/api/v1/sharing/calls/verify', t.auditorToken)).json().code).toBe('FORBIDDEN');
    const ok = await get('/api/v1/sharing/calls/verify', t.adminToken);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, checked: 30, anchor: { seq: 1 }, head: { seq: 30 }, broken: null });
    await db.db
      .updateTable('sharing_calls')
      .set({ items: JSON.stringify(['name', 'person_id', 'phone']) })
      .where('seq', '=', 17)
      .execute();
    expect((await get('/api/v1/sharing/calls/verify', t.adminToken)).json()).toMatchObject({ ok: false, checked: 16, broken: { seq: 17, check: 'hash' } });
  });

  it('the sharing module hands out its recorder and flushes it on stop', async () => {
    const sharing = t.services.modules.find((m) => m.name === 'sharing') as SharingModule;
    sharing.callRecorder.record(gatewayCall(31));
    await sharing.stop();
    expect((await get('/api/v1/sharing/calls?limit=1', t.auditorToken)).json().items[0].seq).toBe(31);
  });
});
