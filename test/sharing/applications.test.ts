import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SharingModule } from '../../src/modules/sharing/index.js';
import { fromJson } from '../../src/storage/dialect.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { apply, decide, outsider, registerConsumer, sharingFixture, upstreamInterface, type SharingFixture } from './consumers-fixtures.js';

type History = { from: string | null; to: string; actor: string | null; note: string | null };
type Application = {
  id: string;
  status: string;
  shareType: string;
  awaiting: string | null;
  items: string[];
  complianceDue: string | null;
  reviewDue: string | null;
  escalated: boolean;
  reason: string | null;
  grantId: string | null;
  history: History[];
  providerDepartmentId: string;
  consumerDepartmentId: string;
};

describeEachDialect('sharing: access applications on every path', (fresh) => {
  let db: TestDb;
  let t: SharingFixture;
  let sharing: SharingModule;
  let consumerId: string;
  let c: { id: string; token: string };
  beforeAll(async () => {
    db = await fresh();
    t = await sharingFixture(db);
    sharing = t.services.modules.find((m) => m.name === 'sharing') as unknown as SharingModule;
    consumerId = (await registerConsumer(t, t.deptA.token, t.systemA)).consumer.id;
    c = await outsider(t);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const base = () => ({
    consumerId,
    resourceId: t.resource.id,
    purpose: '企业开办一件事联办核验',
    scenario: '窗口受理时核验机构信息',
    validUntil: '2026-12-31',
  });
  const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const grantFor = () => sharing.grantLookup.grantFor(consumerId, { resourceId: t.resource.id });

  it('unconditional items are granted at once, logged, and the grant answers on the next call', async () => {
    expect(await grantFor()).toBeNull();
    const res = await apply(t, t.deptA.token, { ...base(), items: t.resource.unconditional });
    expect(res.statusCode).toBe(201);
    const app = res.json() as Application;
    expect(app).toMatchObject({ status: 'GRANTED', shareType: 'UNCONDITIONAL', awaiting: null, complianceDue: null, providerDepartmentId: t.deptB.id });
    expect(app.grantId).toBeTruthy();
    expect(app.history).toEqual([expect.objectContaining({ from: null, to: 'GRANTED', actor: 'officer-a', note: 'unconditional items: granted at once' })]);
    expect(await grantFor()).toMatchObject({ grantIds: [app.grantId], items: ['org_id', 'org_name'], validUntil: '2026-12-31' });
    const audit = await db.db.selectFrom('audit_events').select(['outcome', 'target_id']).where('action', '=', 'sharing.application.submit').execute();
    expect(audit).toEqual([{ outcome: 'success', target_id: app.id }]);
  });

  it('conditional items: the platform compliance check, then the provider department approves; only each step’s decider may act', async () => {
    const res = await apply(t, t.deptA.token, { ...base(), items: ['org_id', t.resource.conditional] });
    const app = res.json() as Application;
    // Submitted Monday 2026-03-02: the check is due two working days later.
    expect(app).toMatchObject({ status: 'COMPLIANCE_CHECK', shareType: 'CONDITIONAL', awaiting: 'platform', complianceDue: '2026-03-04', reviewDue: null });
    for (const token of [t.deptA.token, t.deptB.token]) expect((await decide(t, token, app.id, { decision: 'approve' })).statusCode).toBe(403);

    const checked = (await decide(t, t.adminToken, app.id, { decision: 'approve', note: '用途与依据相符' })).json() as Application;
    expect(checked).toMatchObject({ status: 'PROVIDER_REVIEW', awaiting: 'provider', reviewDue: '2026-03-09', grantId: null });
    // The review is the provider department's: not the applicant's, not the platform's unless escalated.
    expect((await decide(t, t.deptA.token, app.id, { decision: 'approve' })).statusCode).toBe(403);
    const admin = await decide(t, t.adminToken, app.id, { decision: 'approve' });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().detail).toMatch(/escalated/);

    const granted = (await decide(t, t.deptB.token, app.id, { decision: 'approve' })).json() as Application;
    expect(granted.status).toBe('GRANTED');
    expect(granted.grantId).toBeTruthy();
    expect(granted.history.map((h) => [h.from, h.to, h.actor])).toEqual([
      [null, 'COMPLIANCE_CHECK', 'officer-a'],
      ['COMPLIANCE_CHECK', 'PROVIDER_REVIEW', 'admin'],
      ['PROVIDER_REVIEW', 'GRANTED', 'officer-b'],
    ]);
    expect((await grantFor())!.items.sort()).toEqual(['org_id', 'org_name', 'phone']);

    const again = await decide(t, t.deptB.token, app.id, { decision: 'reject', reason: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SHARING_APPLICATION_TRANSITION_INVALID');
  });

  it('a rejection must give its reasons; the applicant reads them and nothing is granted', async () => {
    const app = (await apply(t, t.deptA.token, { ...base(), items: [t.resource.conditional] })).json() as Application;
    await decide(t, t.adminToken, app.id, { decision: 'approve' });
    const bare = await decide(t, t.deptB.token, app.id, { decision: 'reject' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].path).toBe('body.reason');
    const rejected = (await decide(t, t.deptB.token, app.id, { decision: 'reject', reason: '联系电话属个人信息，申请用途不需要' })).json() as Application;
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: '联系电话属个人信息，申请用途不需要', grantId: null, awaiting: null });
    const seen = (await get(t.deptA.token, `/api/v1/sharing/applications/${app.id}`)).json() as Application;
    expect(seen.reason).toBe('联系电话属个人信息，申请用途不需要');
    expect(seen.history.at(-1)).toMatchObject({ from: 'PROVIDER_REVIEW', to: 'REJECTED', note: '联系电话属个人信息，申请用途不需要' });
    // The compliance check can refuse too.
    const other = (await apply(t, t.deptA.token, { ...base(), items: [t.resource.conditional] })).json() as Application;
    expect((await decide(t, t.adminToken, other.id, { decision: 'reject', reason: '用途不明确' })).json()).toMatchObject({ status: 'REJECTED' });
  });

  it('not-shared items are refused without a legal basis (nothing stored, the refusal audited) and arbitrated by the platform with one', async () => {
    const before = await db.db.selectFrom('sharing_applications').select('id').execute();
    const refused = await apply(t, t.deptA.token, { ...base(), items: ['org_id', t.resource.notShared] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'SHARING_LEGAL_BASIS_REQUIRED', items: ['inner_note'], errors: [{ path: 'body.legalBasis' }] });
    expect(await db.db.selectFrom('sharing_applications').select('id').execute()).toHaveLength(before.length);
    const failed = await db.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'sharing.application.submit')
      .where('outcome', '=', 'failure')
      .execute();
    expect(failed.map((f) => fromJson<{ error: string }>(f.detail, { error: '' }).error)).toEqual(['SHARING_LEGAL_BASIS_REQUIRED']);

    const app = (
      await apply(t, t.deptA.token, { ...base(), items: ['org_id', t.resource.notShared], legalBasis: '《行政许可法》第三十一条' })
    ).json() as Application;
    expect(app).toMatchObject({ status: 'ARBITRATION', shareType: 'NOT_SHARED', awaiting: 'platform', complianceDue: null });
    expect((await decide(t, t.deptB.token, app.id, { decision: 'approve' })).statusCode).toBe(403);
    const granted = (await decide(t, t.adminToken, app.id, { decision: 'approve', note: '依法裁决同意' })).json() as Application;
    expect(granted.status).toBe('GRANTED');
    expect((await grantFor())!.items).toContain('inner_note');
  });

  it('the applicant withdraws a pending application; nobody else may, and a withdrawn one takes no decision', async () => {
    const app = (await apply(t, t.deptA.token, { ...base(), items: [t.resource.conditional] })).json() as Application;
    const url = `/api/v1/sharing/applications/${app.id}/withdraw`;
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.deptB.token), payload: {} })).statusCode).toBe(403);
    const w = await t.app.inject({ method: 'POST', url, headers: bearer(t.deptA.token), payload: { note: '需求变更' } });
    expect(w.json()).toMatchObject({ status: 'WITHDRAWN', awaiting: null });
    expect((await decide(t, t.adminToken, app.id, { decision: 'approve' })).json().code).toBe('SHARING_APPLICATION_TRANSITION_INVALID');
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.deptA.token), payload: {} })).statusCode).toBe(409);
  });

  it('bad applications name the field: unknown or repeated items, both or neither target, a past validity, a revoked consumer', async () => {
    const path = async (payload: Record<string, unknown>) => {
      const res = await apply(t, t.deptA.token, payload);
      expect(res.statusCode).toBe(400);
      return res.json().errors[0].path as string;
    };
    expect(await path({ ...base(), items: ['org_id', 'no_such'] })).toBe('body.items.1');
    expect(await path({ ...base(), items: ['org_id', 'org_id'] })).toBe('body.items.1');
    expect(await path({ ...base(), items: [] })).toBe('body.items');
    expect(await path({ ...base(), interfaceId: 'x', items: ['org_id'] })).toBe('body.resourceId');
    expect(await path({ ...base(), items: ['org_id'], validUntil: '2026-03-01' })).toBe('body.validUntil');
    expect(await path({ ...base(), items: ['org_id'], validUntil: '2026-02-30' })).toBe('body.validUntil');
    expect((await apply(t, t.deptA.token, { ...base(), resourceId: 'nope', items: ['org_id'] })).statusCode).toBe(404);
  });

  it('an upstream interface is applied for as a whole, reviewed by the department that registered it', async () => {
    const iface = await upstreamInterface(db, t.deptB.id);
    const withItems = await apply(t, t.deptA.token, { consumerId, interfaceId: iface, items: ['x'], purpose: '核验身份', validUntil: '2026-06-30' });
    expect(withItems.json().errors[0].path).toBe('body.items');
    const app = (await apply(t, t.deptA.token, { consumerId, interfaceId: iface, purpose: '核验身份', validUntil: '2026-06-30' })).json() as Application;
    expect(app).toMatchObject({ status: 'COMPLIANCE_CHECK', shareType: 'CONDITIONAL', items: [], providerDepartmentId: t.deptB.id });
    await decide(t, t.adminToken, app.id, { decision: 'approve' });
    await decide(t, t.deptB.token, app.id, { decision: 'approve' });
    expect(await sharing.grantLookup.grantFor(consumerId, { interfaceId: iface })).toMatchObject({ interfaceId: iface, items: [], validUntil: '2026-06-30' });
    const draft = await upstreamInterface(db, t.deptB.id, { status: 'DRAFT' });
    expect((await apply(t, t.deptA.token, { consumerId, interfaceId: draft, purpose: '核验身份', validUntil: '2026-06-30' })).json().errors[0].path).toBe(
      'body.interfaceId',
    );
  });

  it("one department cannot see or act on another's applications; the inbox lists a department's own and those addressed to it", async () => {
    const app = (await apply(t, t.deptA.token, { ...base(), items: [t.resource.conditional] })).json() as Application;
    for (const res of [
      await get(c.token, `/api/v1/sharing/applications/${app.id}`),
      await decide(t, c.token, app.id, { decision: 'approve' }),
      await t.app.inject({ method: 'POST', url: `/api/v1/sharing/applications/${app.id}/withdraw`, headers: bearer(c.token), payload: {} }),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    expect((await get(c.token, '/api/v1/sharing/applications')).json().items).toEqual([]);
    // Applying with another department's consumer: not found.
    expect((await apply(t, c.token, { ...base(), items: ['org_id'] })).statusCode).toBe(404);

    const mine = (await get(t.deptA.token, '/api/v1/sharing/applications?role=applicant')).json().items as Application[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.consumerDepartmentId === t.deptA.id)).toBe(true);
    const addressed = (await get(t.deptB.token, '/api/v1/sharing/applications?role=provider&status=COMPLIANCE_CHECK')).json().items as Application[];
    expect(addressed.map((a) => a.id)).toContain(app.id);
    expect((await get(t.deptB.token, '/api/v1/sharing/applications?role=applicant')).json().items).toEqual([]);
    expect((await get(t.deptB.token, '/api/v1/sharing/applications?role=admin')).statusCode).toBe(403);
    const inbox = (await get(t.adminToken, '/api/v1/sharing/applications?role=admin')).json().items as Application[];
    expect(inbox.map((a) => a.id)).toContain(app.id);
    expect(inbox.every((a) => a.awaiting === 'platform' || a.escalated)).toBe(true);
    // Paging: one at a time, newest first, no repeats.
    const first = (await get(t.adminToken, '/api/v1/sharing/applications?limit=1')).json();
    const second = (await get(t.adminToken, `/api/v1/sharing/applications?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id < first.items[0].id).toBe(true);
  });
});
