import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { citizenId, client, peopleInput, withBadCheck } from './quality-fixtures.js';

type Stats = {
  scope: string;
  score: number | null;
  governed: { resources: number; scannedResources: number; governedResources: number; percent: number | null };
  byDimension: { dimension: string; score: number | null }[];
  byDepartment: { departmentId: string; departmentName: string; score: number | null; resources: number }[];
  byRegion: { regionCode: string; regionName: string; score: number | null }[];
  problems: { open: number; overdue: number; closed: number; explained: number };
  objections: { open: number; closed: number };
  rules: { total: number; derived: number; custom: number; enabled: number; disabled: number };
  scans: { total: number; succeeded: number; failed: number; running: number; lastFinishedAt: string | null };
};

describeEachDialect('governance: quality figures /quality/stats', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let bad: string;
  let clean: string;
  let secret: string;

  const stats = async (token: string | null = t.adminToken): Promise<Stats> => {
    const res = await api.get('/api/v1/quality/stats', token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    api = client(t);
    bad = (await t.services.resources.create(SYSTEM_ACTOR, peopleInput(t.deptA.id))).id;
    clean = (await t.services.resources.create(SYSTEM_ACTOR, peopleInput(t.deptB.id))).id;
    secret = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        peopleInput(t.deptA.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    // One of four ID numbers has a bad check digit: a high-severity rule at X = 0.75 < 0.95, so not governed.
    await api.load(bad, [
      `${citizenId(1, 901)},张一,13800000001`,
      `${withBadCheck(citizenId(2, 903))},李二,13800000002`,
      `${citizenId(3, 905)},王三,13800000003`,
      `${citizenId(4, 907)},赵四,13800000004`,
    ]);
    await api.load(clean, [`${citizenId(5, 909)},钱五,13800000005`]);
    // The classified one has a bad mobile (a low-severity rule: still governed), so its problem shows who counts it.
    await api.load(secret, [`${citizenId(6, 911)},孙六,138000`]);
    // A custom rule on the clean resource, and one derived rule switched off on the bad one.
    const custom = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quality/rules',
      headers: bearer(t.adminToken),
      payload: { resourceId: clean, kind: 'regex', itemCode: 'full_name', pattern: '^\\p{Script=Han}+$' },
    });
    expect(custom.statusCode, custom.body).toBe(201);
    const rules = (await api.get(`/api/v1/quality/rules?resourceId=${bad}`)).json().items as { id: string; kind: string }[];
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/quality/rules/${rules.find((r) => r.kind === 'length')!.id}`,
      headers: bearer(t.adminToken),
      payload: { enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    await api.scan({});
    const objection = await t.app.inject({
      method: 'POST',
      url: '/api/v1/objections',
      headers: bearer(t.deptB.token),
      payload: { resourceId: bad, key: { person_id: citizenId(1, 901) }, description: '姓名有误' },
    });
    expect(objection.statusCode, objection.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.scans.idle();
    await t.app.close();
    await db.drop();
  });

  it('gives scores by dimension, department and region exactly as /quality/scores does, and 数据治理 computed now', async () => {
    const s = await stats();
    expect(s.scope).toBe('all');
    for (const by of ['dimension', 'department', 'region'] as const) {
      const scores = (await api.get(`/api/v1/quality/scores?by=${by}`)).json();
      const mine = s[`by${by[0]!.toUpperCase()}${by.slice(1)}` as 'byDimension' | 'byDepartment' | 'byRegion'] as { score: number | null }[];
      expect(mine.map((r) => r.score)).toEqual(scores.items.map((r: { score: number | null }) => r.score));
      if (by === 'dimension') expect(s.governed).toEqual(scores.governed);
    }
    const resources = (await api.get('/api/v1/quality/scores?by=resource')).json().items as { score: number }[];
    expect(s.score).toBe(Math.round((resources.reduce((a, r) => a + r.score, 0) / resources.length) * 10000) / 10000);
    // Three collected resources, all scanned; the one with a bad check digit is not governed.
    expect(s.governed).toMatchObject({ resources: 3, scannedResources: 3, governedResources: 2, percent: 66.67 });
    expect(s.byDepartment.find((d) => d.departmentId === t.deptA.id)).toMatchObject({ departmentName: '绍兴市市场监督管理局', resources: 2 });
    expect(s.byRegion.every((r) => r.regionName.length > 0 && r.regionName !== r.regionCode)).toBe(true);
  });

  it('counts problems as the problems figures do, objections, rules (derived, custom, switched off) and scans', async () => {
    const s = await stats();
    const figures = (await api.get('/api/v1/quality/problems/figures')).json();
    expect(s.problems).toEqual(figures.total);
    expect(s.problems.open).toBeGreaterThan(0);
    expect(s.objections).toEqual({ open: 1, closed: 0 });
    let derived = 0;
    let custom = 0;
    let disabled = 0;
    for (const id of [bad, clean, secret]) {
      const items = (await api.get(`/api/v1/quality/rules?resourceId=${id}`)).json().items as { derived: boolean; enabled: boolean }[];
      derived += items.filter((r) => r.derived).length;
      custom += items.filter((r) => !r.derived).length;
      disabled += items.filter((r) => !r.enabled).length;
    }
    expect(custom).toBe(1);
    expect(disabled).toBe(1);
    expect(s.rules).toEqual({ total: derived + custom, derived, custom, enabled: derived + custom - disabled, disabled });
    expect(s.scans).toMatchObject({ total: 1, succeeded: 1, failed: 0, running: 0 });
    expect(s.scans.lastFinishedAt).not.toBeNull();
  });

  it('leaves another department’s classified resource out for the public, as the catalogue’s figures do', async () => {
    const admin = await stats();
    const pub = await stats(null);
    expect(pub.scope).toBe('public');
    expect(pub.problems.open).toBe(admin.problems.open - 1);
    expect(pub.governed).toMatchObject({ resources: 2, governedResources: 1, percent: 50 });
    const officerB = await stats(t.deptB.token);
    expect(officerB.scope).toBe('department');
    expect(officerB.byDepartment.find((d) => d.departmentId === t.deptA.id)).toMatchObject({ resources: 1 });
    const officerA = await stats(t.deptA.token);
    expect(officerA.byDepartment.find((d) => d.departmentId === t.deptA.id)).toMatchObject({ resources: 2 });
    expect(officerA.rules.total).toBeGreaterThan(officerB.rules.total);
  });
});
