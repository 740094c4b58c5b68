import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, openBearer, publicUser, publishDataset } from './community-fixtures.js';

describeEachDialect('opening: scenarios (应用场景) and competitions (大赛)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00Z');
  let dataset: string;
  let user: { id: string; token: string };
  let other: { id: string; token: string };

  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: unknown) => {
    const res = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() };
  };
  const scenario = (over: Record<string, unknown> = {}) => ({
    type: 'MINI_PROGRAM',
    title: '企业查询小程序',
    description: '按名称查询本市企业的登记信息',
    url: 'https://example.org/app',
    datasetIds: [dataset],
    ...over,
  });
  const publicIds = async (query = '') => (await call('GET', `/api/v1/open/scenarios${query}`)).body.items.map((s: { id: string }) => s.id);
  const moderate = (token: string, id: string, body: Record<string, unknown>) => call('POST', `/api/v1/open/scenarios/${id}/moderation`, bearer(token), body);

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { clock });
    const r = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, { shareType: 'UNCONDITIONAL', shareCondition: null, openType: 'UNCONDITIONAL', openCondition: null, sensitivity: 'L1' }),
    );
    dataset = await publishDataset(t, r.id);
    [user, other] = [await publicUser(t), await publicUser(t)];
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('shows a submitted scenario to everyone only after an administrator publishes it', async () => {
    const unknown = await call('POST', '/api/v1/open/scenarios', openBearer(user.token), scenario({ datasetIds: [dataset, 'no-such-dataset'] }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.datasetIds.1');
    expect((await call('POST', '/api/v1/open/scenarios', {}, scenario())).status).toBe(401);

    const s = await call('POST', '/api/v1/open/scenarios', openBearer(user.token), scenario());
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ status: 'pending', datasetIds: [dataset] });
    const id = s.body.id as string;
    expect(await publicIds()).toEqual([]);
    expect((await call('GET', `/api/v1/open/scenarios/${id}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/open/scenarios/${id}`, openBearer(other.token))).status).toBe(404);
    expect((await call('GET', `/api/v1/open/scenarios/${id}`, openBearer(user.token))).status).toBe(200);
    expect((await call('GET', '/api/v1/open/scenarios?mine=true', openBearer(user.token))).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await call('GET', '/api/v1/open/scenarios?status=pending')).status).toBe(403);
    expect((await call('GET', '/api/v1/open/scenarios?status=pending', bearer(t.adminToken))).body.items.map((x: { id: string }) => x.id)).toEqual([id]);

    expect((await moderate(t.deptA.token, id, { decision: 'publish' })).status).toBe(403);
    const published = await moderate(t.adminToken, id, { decision: 'publish' });
    expect(published.body).toMatchObject({ status: 'published', reason: null });
    expect((await moderate(t.adminToken, id, { decision: 'reject', reason: '重复' })).body.code).toBe('OPEN_STATE_INVALID');
    expect(await publicIds()).toEqual([id]);
    expect(await publicIds(`?datasetId=${dataset}`)).toEqual([id]);
    expect(await publicIds('?datasetId=another')).toEqual([]);
    expect((await call('GET', '/api/v1/open/stats')).body.figures.scenarios).toBe(1);
    const audit = await call('GET', `/api/v1/audit-events?targetId=${id}`, bearer(t.adminToken));
    const succeeded = audit.body.items.filter((e: { outcome: string }) => e.outcome === 'success');
    expect(succeeded.map((e: { action: string }) => e.action).sort()).toEqual(['open-scenario.publish', 'open-scenario.submit']);
  });

  it('rejects with a reason that only the submitter and the platform see', async () => {
    const id = (await call('POST', '/api/v1/open/scenarios', openBearer(other.token), scenario({ title: '广告页面' }))).body.id as string;
    expect((await moderate(t.adminToken, id, { decision: 'reject' })).body.errors[0].path).toBe('body.reason');
    expect((await moderate(t.adminToken, id, { decision: 'reject', reason: '与开放数据无关' })).body.status).toBe('rejected');
    expect((await call('GET', `/api/v1/open/scenarios/${id}`, openBearer(other.token))).body).toMatchObject({ status: 'rejected', reason: '与开放数据无关' });
    expect(await publicIds()).not.toContain(id);
    expect((await call('GET', '/api/v1/open/stats')).body.figures.scenarios).toBe(1);
  });

  it('takes competition entries from teams while the competition runs', async () => {
    const body = {
      title: '绍兴市公共数据开放创新大赛',
      description: '利用开放数据的应用创新',
      organiser: '绍兴市大数据发展管理局',
      startsOn: '2026-03-01',
      endsOn: '2026-03-31',
      datasetIds: [dataset],
    };
    expect((await call('POST', '/api/v1/open/competitions', bearer(t.deptA.token), body)).status).toBe(403);
    const c = await call('POST', '/api/v1/open/competitions', bearer(t.adminToken), body);
    expect(c.status).toBe(201);
    const entry = { teamName: '越城数据队', members: 3, title: '企业服务地图', description: '企业分布与服务热线地图' };
    const e = await call('POST', `/api/v1/open/competitions/${c.body.id}/entries`, openBearer(user.token), entry);
    expect(e.status).toBe(201);
    expect(e.body).toMatchObject({ teamName: '越城数据队', datasetIds: [dataset] });
    expect((await call('POST', `/api/v1/open/competitions/${c.body.id}/entries`, openBearer(other.token), entry)).body.code).toBe('DUPLICATE');
    const detail = (await call('GET', `/api/v1/open/competitions/${c.body.id}`)).body;
    expect(detail).toMatchObject({ teams: 1, datasetIds: [dataset], entries: [{ teamName: '越城数据队', members: 3 }] });
    expect(JSON.stringify(detail)).not.toContain(user.id);
    expect((await call('GET', '/api/v1/open/competitions')).body.items).toMatchObject([{ id: c.body.id, teams: 1 }]);
    expect((await call('GET', '/api/v1/open/stats')).body.figures.competitionTeams).toBe(1);

    const short = await call('POST', '/api/v1/open/competitions', bearer(t.adminToken), { ...body, title: '一日赛', endsOn: '2026-03-02' });
    clock.set('2026-03-02T16:00:00Z'); // 3 March in Beijing: the one-day competition has ended
    const late = await call('POST', `/api/v1/open/competitions/${short.body.id}/entries`, openBearer(user.token), { ...entry, teamName: '迟到队' });
    expect(late.body).toMatchObject({ code: 'OPEN_STATE_INVALID', state: 'ended' });
  });
});
