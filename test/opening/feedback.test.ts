import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, openBearer, publicUser, publishDataset } from './community-fixtures.js';
import { mixedCsv, mixedResource, upload } from './opening-fixtures.js';

describeEachDialect('opening: feedback and error reports (纠错)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00Z');
  let dataset: string;
  let resourceId: string;
  let user: { id: string; token: string; username: string };

  const send = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/feedback', headers, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const list = async (headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/open/feedback', headers });
    return { status: res.statusCode, body: res.json() };
  };
  const count = async () => (await db.db.selectFrom('open_feedback').select('id').execute()).length;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock });
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id))).id;
    await upload(t, resourceId, mixedCsv(1, 3));
    dataset = await publishDataset(t, resourceId);
    user = await publicUser(t);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('takes feedback from anyone with a contact, and lists it to the provider department only', async () => {
    const noContact = await send({ datasetId: dataset, kind: 'feedback', description: '希望增加历年数据' });
    expect(noContact.status).toBe(400);
    expect(noContact.body.errors[0].path).toBe('body.contact');
    const anonymous = await send({ datasetId: dataset, kind: 'feedback', description: '希望增加历年数据', contact: 'reader@example.org' });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body).toMatchObject({ kind: 'feedback', reporter: null, contact: 'reader@example.org', objection: null, departmentId: t.deptA.id });
    const signedIn = await send({ datasetId: dataset, kind: 'feedback', description: '更新频率能否提高' }, openBearer(user.token));
    expect(signedIn.body).toMatchObject({ reporter: user.username, contact: `${user.username}@example.org` });
    expect((await send({ datasetId: 'no-such-dataset', kind: 'feedback', description: '你好', contact: 'x@example.org' })).status).toBe(404);
    expect((await send({ datasetId: dataset, kind: 'feedback', description: '你好', contact: 'x@example.org', key: { uscc: 'U1' } })).body.errors[0].path).toBe(
      'body.key',
    );

    expect((await list(bearer(t.deptA.token))).body.items).toHaveLength(2);
    expect((await list(bearer(t.deptB.token))).body.items).toEqual([]);
    expect((await list(openBearer(user.token))).body.items.map((f: { id: string }) => f.id)).toEqual([signedIn.body.id]);
    expect((await list({})).status).toBe(401);
  });

  it("opens a governance objection for an error report naming a record, and shows the objection's state", async () => {
    const key = { uscc: 'U00000000000000002' };
    const report = await send({ datasetId: dataset, kind: 'error', description: '联系电话已停用', key }, openBearer(user.token));
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    expect(report.body.objection).toMatchObject({ status: 'submitted' });
    const objectionId = report.body.objection.id as string;

    const objection = await t.app.inject({ method: 'GET', url: `/api/v1/objections/${objectionId}`, headers: bearer(t.deptA.token) });
    expect(objection.json()).toMatchObject({
      resourceId,
      key,
      status: 'submitted',
      submitter: null,
      contact: `${user.username}@example.org`,
      departmentId: t.deptA.id,
    });
    expect(objection.json().description).toContain('联系电话已停用');

    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/objections/${objectionId}/transitions`,
      headers: bearer(t.deptA.token),
      payload: { to: 'accepted' },
    });
    expect(moved.statusCode).toBe(200);
    const mine = (await list(openBearer(user.token))).body.items.find((f: { id: string }) => f.id === report.body.id);
    expect(mine.objection).toEqual({ id: objectionId, status: 'accepted' });

    // A key that is not the record's key is refused before anything is stored.
    const before = await count();
    const bad = await send({ datasetId: dataset, kind: 'error', description: '数据有误', key: { org_name: '企业1' } }, openBearer(user.token));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/^body\.key/);
    expect(await count()).toBe(before);

    // Without a key it is a report to the provider department, no objection.
    const loose = await send({ datasetId: dataset, kind: 'error', description: '部分单位名称有错别字', contact: '13800138000' });
    expect(loose.body).toMatchObject({ kind: 'error', objection: null });
  });
});
