import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { call, gatewayFixture, GRANTED, PEOPLE, renewToken, type GatewayFixture } from './gateway-fixtures.js';

const P = (i: number) => PEOPLE[i - 1]!;
/** What a consumer granted full_name, mobile and district receives of person i: masked per rule, nothing else. */
const masked = (i: number) => ({
  full_name: i === 3 ? '欧阳**' : `张${'*'.repeat(String(i).length)}`,
  mobile: `${P(i).mobile.slice(0, 3)}****${P(i).mobile.slice(7)}`,
  district: P(i).district,
});

describeEachDialect('sharing gateway: grants, projection, masking, purpose', (fresh) => {
  let db: TestDb;
  let t: GatewayFixture;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await gatewayFixture(db);
  }, 60_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const calls = async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const modules = t.services.modules as unknown as { name: string; callRecorder?: { flush(): Promise<void> } }[];
    await modules.find((m) => m.name === 'sharing')!.callRecorder!.flush();
    return db.db.selectFrom('sharing_calls').selectAll().orderBy('seq').execute();
  };

  it('looks a record up by its key: only the granted items, masked per rule, the key item itself not granted and not returned', async () => {
    const res = await call(t, `/gateway/people/v1?person_id=${P(3).person_id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ data: masked(3) });
    const none = await call(t, '/gateway/people/v1?person_id=T99999999999999999');
    expect(none.json()).toEqual({ data: null });
    const narrowed = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}&items=district`);
    expect(narrowed.json()).toEqual({ data: { district: P(1).district } });
  });

  it('refuses an item outside the grant, asked for by items=, in every kind of call', async () => {
    for (const res of [
      await call(t, `/gateway/people/v1?person_id=${P(1).person_id}&items=full_name,income`),
      await call(t, '/gateway/people/v1/batch?items=person_id', { method: 'POST', payload: { keys: [{ person_id: P(1).person_id }] } }),
      await call(t, '/gateway/people/v1/records?items=income'),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'GATEWAY_ITEM_NOT_GRANTED' });
    }
  });

  it('answers a batch in the order asked, null where none, only granted items; at most 100 keys', async () => {
    const keys = [{ person_id: P(5).person_id }, { person_id: 'T00000000000000000' }, { person_id: P(2).person_id }];
    const res = await call(t, '/gateway/people/v1/batch', { method: 'POST', payload: { keys } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ data: [masked(5), null, masked(2)] });
    const many = Array.from({ length: 101 }, (_, n) => ({ person_id: `T${String(n).padStart(17, '0')}` }));
    const tooMany = await call(t, '/gateway/people/v1/batch', { method: 'POST', payload: { keys: many } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.keys' }] });
    const badKey = await call(t, '/gateway/people/v1/batch', { method: 'POST', payload: { keys: [{ full_name: '张1' }] } });
    expect(badKey.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.keys.0.person_id' }] });
  });

  it('pages filtered records in key order with sealed cursors: every record, only granted items, the ungranted key never in a cursor', async () => {
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(t, `/gateway/people/v1/records?district=330602&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: unknown[]; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (cursor) {
        const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
        expect(decoded).not.toContain('T000');
        expect(Buffer.from(decoded.slice(3), 'base64').toString('latin1')).not.toContain('T000');
      }
      pages++;
    } while (cursor && pages < 20);
    const expected = PEOPLE.map((p, n) => ({ p, i: n + 1 }))
      .filter(({ p }) => p.district === '330602')
      .map(({ i }) => masked(i));
    expect(pages).toBe(4);
    expect(seen).toEqual(expected);
    for (const r of seen) expect(Object.keys(r as object).sort()).toEqual([...GRANTED].sort());
  });

  it('refuses a filter on an item outside the grant, and one not declared by the interface', async () => {
    const ungranted = await call(t, '/gateway/people/v1/records?income=1001.50');
    expect(ungranted.statusCode).toBe(403);
    expect(ungranted.json()).toMatchObject({ code: 'GATEWAY_ITEM_NOT_GRANTED', items: ['income'] });
    const undeclared = await call(t, '/gateway/people/v1/records?mobile=13800000001');
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.mobile' }] });
    const forged = await call(t, '/gateway/people/v1/records?cursor=eyJrIjpbIlQwMDAiXX0');
    expect(forged.json()).toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses every call on a resource the consumer was not granted: single, batch, records', async () => {
    for (const res of [
      await call(t, `/gateway/other/v1?person_id=${P(1).person_id}`),
      await call(t, '/gateway/other/v1/batch', { method: 'POST', payload: { keys: [{ person_id: P(1).person_id }] } }),
      await call(t, '/gateway/other/v1/records?limit=5'),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json()).toMatchObject({ code: 'GATEWAY_NOT_GRANTED' });
      expect(res.body).not.toContain('张');
    }
  });

  it('requires a purpose (X-Purpose, URL-encoded UTF-8 accepted) and keeps it in the call audit', async () => {
    const missing = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`, { purpose: null });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'GATEWAY_PURPOSE_REQUIRED', header: 'X-Purpose' });
    const ok = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`, { purpose: encodeURIComponent('核验法定代表人身份') });
    expect(ok.statusCode).toBe(200);
    const rows = await calls();
    const last = rows[rows.length - 1]!;
    expect(last).toMatchObject({ purpose: '核验法定代表人身份', status: 200, row_count: 1, consumer_id: t.consumer.id, interface_code: 'people' });
    // The audit record is named by the request id the problem carries: a caller's complaint finds its call.
    expect(rows.find((r) => r.error_code === 'GATEWAY_PURPOSE_REQUIRED')).toMatchObject({
      status: 400,
      consumer_id: t.consumer.id,
      id: missing.json().requestId,
    });
  });

  it('audits every call once in its own trail, and the record reader writes no audit event for them', async () => {
    const before = (await calls()).length;
    const events = async () => (await db.db.selectFrom('audit_events').select('id').where('action', 'like', 'records.%').execute()).length;
    const readsBefore = await events();
    await call(t, `/gateway/people/v1?person_id=${P(2).person_id}`);
    await call(t, '/gateway/people/v1/records?district=330603&limit=2');
    await call(t, '/gateway/nope/v1');
    const rows = await calls();
    expect(rows.length).toBe(before + 3);
    expect(rows.slice(-3).map((r) => [r.status, r.error_code, r.row_count])).toEqual([
      [200, null, 1],
      [200, null, 2],
      [404, 'GATEWAY_INTERFACE_NOT_FOUND', 0],
    ]);
    expect(await events()).toBe(readsBefore);
  });

  it('refuses an unauthenticated call, and an interface taken offline on the next call', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: `/gateway/people/v1?person_id=${P(1).person_id}`, headers: { 'x-purpose': 'test purpose' } });
    expect(anonymous.statusCode).toBe(401);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/sharing/interfaces?resourceId=' + t.people, headers: bearer(t.adminToken) });
    const id = list.json().items[0].id;
    await t.app.inject({ method: 'PATCH', url: `/api/v1/sharing/interfaces/${id}`, headers: bearer(t.deptB.token), payload: { status: 'OFFLINE' } });
    const off = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`);
    expect(off.statusCode).toBe(404);
    expect(off.json()).toMatchObject({ code: 'GATEWAY_INTERFACE_NOT_FOUND' });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/sharing/interfaces/${id}`, headers: bearer(t.deptB.token), payload: { status: 'PUBLISHED' } });
    expect((await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`)).statusCode).toBe(200);
  });

  it('refuses a revoked grant on the next call', async () => {
    expect((await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`)).statusCode).toBe(200);
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/grants/${t.grantId}/revoke`,
      headers: bearer(t.deptB.token),
      payload: { reason: '用途已结束' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const res = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'GATEWAY_NOT_GRANTED' });
  });
});

describeEachDialect('sharing gateway: an expired grant', (fresh) => {
  let db: TestDb;
  let t: GatewayFixture;
  beforeAll(async () => {
    db = await fresh({ shareable: true });
    // 2026-03-02 10:00 in Shanghai; the grant is valid through 2026-03-02 (inclusive).
    t = await gatewayFixture(db, { validUntil: '2026-03-02' });
  }, 60_000);
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('serves through the last day (Asia/Shanghai) and refuses from the next, on the next call', async () => {
    t.clock.set('2026-03-02T15:59:59Z'); // 23:59:59 in Shanghai
    await renewToken(t);
    expect((await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`)).statusCode).toBe(200);
    t.clock.set('2026-03-02T16:00:00Z'); // 00:00:00 on 2026-03-03
    const res = await call(t, `/gateway/people/v1?person_id=${P(1).person_id}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'GATEWAY_NOT_GRANTED' });
  });
});
