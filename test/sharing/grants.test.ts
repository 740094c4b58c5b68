import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGrantLookup } from '../../src/modules/sharing/grants/grant-lookup.js';
import type { SharingModule } from '../../src/modules/sharing/index.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { apply, outsider, registerConsumer, sharingFixture, type SharingFixture } from './consumers-fixtures.js';

type Grant = { id: string; status: string; items: string[]; validUntil: string; revokeReason: string | null; consumerId: string };

describeEachDialect('sharing: grants expire and are revoked, effective on the next call', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  let sharing: SharingModule;
  let consumerId: string;
  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db);
    sharing = t.services.modules.find((m) => m.name === 'sharing') as unknown as SharingModule;
    consumerId = (await registerConsumer(t, t.deptA.token, t.systemA)).consumer.id;
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const grantNow = async (items: string[], validUntil: string, consumer = consumerId) => {
    const res = await apply(t, t.deptA.token, { consumerId: consumer, resourceId: t.resource.id, items, purpose: '核验机构信息', validUntil });
    expect(res.json().status).toBe('GRANTED');
    return res.json().grantId as string;
  };
  const lookup = (consumer = consumerId) => sharing.grantLookup.grantFor(consumer, { resourceId: t.resource.id });
  const revoke = (token: string, id: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/v1/sharing/grants/${id}/revoke`, headers: bearer(token), payload: payload as object });
  const list = async (token: string, query = '') =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/sharing/grants${query}`, headers: bearer(token) })).json().items as Grant[];

  it('a grant expires after its validUntil, at midnight in Shanghai (inclusive), on the next call', async () => {
    t.clock.set('2026-03-02T02:00:00Z');
    const id = await grantNow(['org_id'], '2026-03-10');
    t.clock.set('2026-03-10T15:59:59Z'); // 23:59:59 on 10 March in Shanghai
    expect(await lookup()).toMatchObject({ grantIds: [id], items: ['org_id'], validUntil: '2026-03-10' });
    t.clock.set('2026-03-10T16:00:00Z'); // 00:00 on 11 March
    expect(await lookup()).toBeNull();
    const [g] = await list(t.deptA.token, '?status=EXPIRED');
    expect(g).toMatchObject({ id, status: 'EXPIRED' });
    expect((await revoke(t.adminToken, id, { reason: '已过期仍撤销' })).json().code).toBe('SHARING_GRANT_NOT_ACTIVE');
  });

  it('several grants on one resource merge their items; a revocation by the provider takes effect on the next call and states its reason', async () => {
    t.clock.set('2026-03-12T02:00:00Z');
    const a = await grantNow(['org_id'], '2026-06-30');
    const b = await grantNow(['org_name'], '2026-09-30');
    expect(await lookup()).toMatchObject({ grantIds: [a, b], items: ['org_id', 'org_name'], validUntil: '2026-09-30' });

    // The consumer's own department does not revoke; the provider must give a reason.
    expect((await revoke(t.deptA.token, b, { reason: '不再需要' })).statusCode).toBe(403);
    const bare = await revoke(t.deptB.token, b, {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].path).toBe('body.reason');
    const res = await revoke(t.deptB.token, b, { reason: '数据使用超出申请用途' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: b, status: 'REVOKED', revokeReason: '数据使用超出申请用途' });
    expect(await lookup()).toMatchObject({ grantIds: [a], items: ['org_id'], validUntil: '2026-06-30' });
    expect((await revoke(t.deptB.token, b, { reason: '再次撤销' })).json().code).toBe('SHARING_GRANT_NOT_ACTIVE');
    const audit = await db.db
      .selectFrom('audit_events')
      .select(['target_id', 'outcome'])
      .where('action', '=', 'sharing.grant.revoke')
      .where('outcome', '=', 'success')
      .execute();
    expect(audit.map((x) => x.target_id)).toEqual([b]);

    await revoke(t.adminToken, a, { reason: '平台撤销' });
    expect(await lookup()).toBeNull();
    expect((await list(t.deptB.token, '?status=REVOKED')).map((g) => g.id).sort()).toEqual([a, b].sort());
  });

  it("another process's revocation is seen once its cached grants are older than 1 s", async () => {
    t.clock.set('2026-03-12T02:00:00Z');
    const id = await grantNow(['org_id'], '2026-12-31');
    let mono = 0;
    const other = createGrantLookup({ db: db.db, clock: t.clock, monotonic: () => mono });
    expect(await other.grantFor(consumerId, { resourceId: t.resource.id })).toMatchObject({ grantIds: [id] });
    await revoke(t.deptB.token, id, { reason: '停止共享' });
    expect(await lookup()).toBeNull(); // this process: at once
    mono += 999;
    expect(await other.grantFor(consumerId, { resourceId: t.resource.id })).not.toBeNull();
    mono += 1;
    expect(await other.grantFor(consumerId, { resourceId: t.resource.id })).toBeNull();
  });

  it('revoking a consumer revokes its grants; other resources or consumers are never covered', async () => {
    const consumer2 = (await registerConsumer(t, t.deptA.token, t.systemA2)).consumer.id;
    await grantNow(['org_id', 'org_name'], '2026-12-31', consumer2);
    expect(await lookup(consumer2)).not.toBeNull();
    expect(await sharing.grantLookup.grantFor(consumer2, { resourceId: 'another-resource' })).toBeNull();
    expect(await sharing.grantLookup.grantFor(consumer2, { interfaceId: 'some-interface' })).toBeNull();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/consumers/${consumer2}/revoke`,
      headers: bearer(t.deptA.token),
      payload: { reason: '系统停用' },
    });
    expect(await lookup(consumer2)).toBeNull();
    const revoked = await list(t.adminToken, `?consumerId=${consumer2}`);
    expect(revoked.map((g) => [g.status, g.revokeReason])).toEqual([['REVOKED', 'consumer system revoked: 系统停用']]);
  });

  it('nothing is granted to a consumer revoked while its application was pending', async () => {
    const consumer3 = (await registerConsumer(t, t.deptB.token, t.systemB)).consumer.id;
    const res = await apply(t, t.adminToken, {
      consumerId: consumer3,
      resourceId: t.resource.id,
      items: [t.resource.conditional],
      purpose: '核验',
      validUntil: '2026-12-31',
    });
    const app = res.json() as { id: string };
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/applications/${app.id}/decisions`,
      headers: bearer(t.adminToken),
      payload: { decision: 'approve' },
    });
    await t.app.inject({ method: 'POST', url: `/api/v1/sharing/consumers/${consumer3}/revoke`, headers: bearer(t.adminToken), payload: {} });
    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/applications/${app.id}/decisions`,
      headers: bearer(t.deptB.token),
      payload: { decision: 'approve' },
    });
    expect(approve.statusCode).toBe(409);
    expect(approve.json().code).toBe('SHARING_CONSUMER_REVOKED');
    expect(await lookup(consumer3)).toBeNull();
    const again = await apply(t, t.adminToken, {
      consumerId: consumer3,
      resourceId: t.resource.id,
      items: ['org_id'],
      purpose: '核验',
      validUntil: '2026-12-31',
    });
    expect(again.json().code).toBe('SHARING_CONSUMER_REVOKED');
  });

  it("one department cannot see or revoke another's grants", async () => {
    const c = await outsider(t);
    const id = await grantNow(['org_id'], '2026-12-31');
    expect(await list(c.token)).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/sharing/grants/${id}`, headers: bearer(c.token) })).statusCode).toBe(404);
    expect((await revoke(c.token, id, { reason: '越权撤销' })).statusCode).toBe(404);
    expect((await list(t.deptA.token, '?status=ACTIVE')).map((g) => g.id)).toContain(id);
    expect((await list(t.deptB.token, '?status=ACTIVE')).map((g) => g.id)).toContain(id);
    expect(await lookup()).toMatchObject({ grantIds: [id] });
  });
});
