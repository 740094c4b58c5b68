import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, openBearer, publicUser, publishDataset } from './community-fixtures.js';
import { mixedCsv, mixedResource, upload } from './opening-fixtures.js';

describeEachDialect('opening: restricted-open applications (受限开放)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00Z');
  let restricted: string;
  let open: string;
  let a: { id: string; token: string; username: string; password: string };
  let b: { id: string; token: string };
  let c: { id: string; token: string };

  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() };
  };
  const apply = (token: string | null, datasetId: string) =>
    call('POST', '/api/v1/open/applications', token ? openBearer(token) : {}, {
      datasetId,
      purpose: '研究企业联系方式的完整性',
      scenario: '高校课题：企业服务热线的覆盖分析',
      securityMeasures: '数据仅存于校内加密服务器，访问留痕',
    });
  const review = (token: string, id: string, body: Record<string, unknown>) => call('POST', `/api/v1/open/applications/${id}/review`, bearer(token), body);
  const accept = (token: string, id: string, version: string) => call('POST', `/api/v1/open/applications/${id}/agreement`, openBearer(token), { version });
  const allowed = (userId: string) => t.services.openApplications.restrictedAllowed(userId, restricted);
  const rows = (token: string) => call('GET', `/api/v1/open/datasets/${restricted}/rows?limit=10`, openBearer(token));

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock });
    const mixed = await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id));
    await upload(t, mixed.id, mixedCsv(1, 3));
    restricted = await publishDataset(t, mixed.id);
    const plain = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, { shareType: 'UNCONDITIONAL', shareCondition: null, openType: 'UNCONDITIONAL', openCondition: null, sensitivity: 'L1' }),
    );
    open = await publishDataset(t, plain.id);
    [a, b, c] = [await publicUser(t), await publicUser(t), await publicUser(t)];
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('takes applications for RESTRICTED datasets only, one live application per user and dataset', async () => {
    const unconditional = await apply(a.token, open);
    expect(unconditional.status).toBe(400);
    expect(unconditional.body.errors[0].path).toBe('body.datasetId');
    expect((await apply(null, restricted)).status).toBe(401);
    const first = await apply(a.token, restricted);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', datasetId: restricted, departmentId: t.deptA.id, agreement: null });
    const again = await apply(a.token, restricted);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('OPEN_STATE_INVALID');
  });

  it('runs apply → review by the provider department → use agreement → access; another user gets nothing', async () => {
    const id = (await call('GET', '/api/v1/open/applications', openBearer(a.token))).body.items[0].id as string;
    expect(await allowed(a.id)).toBe(false);
    expect((await rows(a.token)).body.withheld).toContain('phone');

    // Another department sees nothing and decides nothing; the provider's inbox holds it; another user cannot read it.
    expect((await call('GET', '/api/v1/open/applications', bearer(t.deptB.token))).body.items).toEqual([]);
    expect((await review(t.deptB.token, id, { decision: 'approve' })).status).toBe(404);
    expect((await call('GET', '/api/v1/open/applications', bearer(t.deptA.token))).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await call('GET', `/api/v1/open/applications/${id}`, openBearer(b.token))).status).toBe(404);

    // The agreement cannot be accepted before approval.
    const agreement = (await call('GET', '/api/v1/open/agreement', {})).body;
    expect(agreement.text).toContain('开放利用协议');
    expect((await accept(a.token, id, agreement.version)).body.code).toBe('OPEN_STATE_INVALID');

    const approved = await review(t.deptA.token, id, { decision: 'approve', validUntil: '2026-06-30' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', validUntil: '2026-06-30', reviewer: 'officer-a' });
    expect((await review(t.deptA.token, id, { decision: 'approve' })).body.code).toBe('OPEN_STATE_INVALID');
    // Approved without the agreement: still no access.
    expect(await allowed(a.id)).toBe(false);
    expect((await rows(a.token)).body.withheld).toContain('phone');

    expect((await accept(b.token, id, agreement.version)).status).toBe(404);
    expect((await accept(a.token, id, '1999.1')).body.code).toBe('OPEN_STATE_INVALID');
    const active = await accept(a.token, id, agreement.version);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({
      status: 'active',
      agreement: { version: agreement.version, sha256: agreement.sha256, acceptedAt: clock.now().toISOString() },
    });

    expect(await allowed(a.id)).toBe(true);
    const mine = await rows(a.token);
    expect(mine.body.withheld).toEqual([]);
    expect(mine.body.records).toHaveLength(3);
    expect(mine.body.records.every((r: Record<string, unknown>) => typeof r.phone === 'string')).toBe(true);
    // Another user holds no application: no access.
    expect(await allowed(b.id)).toBe(false);
    expect((await rows(b.token)).body.withheld).toContain('phone');
    expect(await t.services.openApplications.restrictedAllowed(a.id, open)).toBe(false);

    const audit = (await call('GET', '/api/v1/audit-events?targetId=' + id, bearer(t.adminToken))).body;
    expect(audit.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'open-application.agreement',
      'open-application.approve',
      'open-application.submit',
    ]);
  });

  it('rejects with a reason (no agreement then), lets the user apply again, and revokes', async () => {
    const first = (await apply(c.token, restricted)).body;
    expect((await review(t.deptA.token, first.id, { decision: 'reject' })).body.errors[0].path).toBe('body.reason');
    const rejected = await review(t.adminToken, first.id, { decision: 'reject', reason: '用途与数据无关' });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: '用途与数据无关' });
    expect((await accept(c.token, first.id, '2026.1')).body.code).toBe('OPEN_STATE_INVALID');
    expect(await allowed(c.id)).toBe(false);

    const second = (await apply(c.token, restricted)).body;
    expect(second.status).toBe('submitted');
    await review(t.deptA.token, second.id, { decision: 'approve' });
    await accept(c.token, second.id, '2026.1');
    expect(await allowed(c.id)).toBe(true);
    expect((await call('POST', `/api/v1/open/applications/${second.id}/revocation`, bearer(t.deptB.token), { reason: '违规使用' })).status).toBe(404);
    const revoked = await call('POST', `/api/v1/open/applications/${second.id}/revocation`, bearer(t.deptA.token), { reason: '违规使用' });
    expect(revoked.body).toMatchObject({ status: 'revoked', reason: '违规使用' });
    expect(await allowed(c.id)).toBe(false);
  });

  it('expires after its last day of use (Beijing calendar)', async () => {
    expect(await allowed(a.id)).toBe(true);
    clock.set('2026-06-30T15:59:00Z'); // 23:59 on 30 June in Shaoxing
    expect(await allowed(a.id)).toBe(true);
    clock.set('2026-06-30T16:00:00Z'); // midnight: 1 July
    expect(await allowed(a.id)).toBe(false);
    const inbox = (await call('GET', `/api/v1/open/applications?datasetId=${restricted}`, bearer(t.deptA.token))).body.items;
    expect(inbox.filter((x: { applicant: { username: string } }) => x.applicant.username === a.username).map((x: { status: string }) => x.status)).toEqual([
      'expired',
    ]);
    // An expired application no longer blocks a new one (the session expired too: sign in again).
    const login = await call('POST', '/api/v1/open/sessions', {}, { login: a.username, password: a.password });
    expect((await apply(login.body.token, restricted)).status).toBe(201);
  });
});
