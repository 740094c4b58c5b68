import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

function stock(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '趋势测试',
    items: [
      { code: 'code', name: '编号', dataType: 'STRING', length: 10, primaryKey: true },
      { code: 'qty', name: '数量', dataType: 'INTEGER', primaryKey: false },
    ],
    ...over,
  });
}

type Point = { scanId: string; scannedAt: string; score: number | null; resources: number; rules: number; checked: number; passed: number };

describeEachDialect('quality trends', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let r1: string;
  let r2: string;
  let secret: string;
  const scans: string[] = [];

  const load = async (id: string, csv: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=x.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status, res.body).toBe('succeeded');
  };
  const scan = async (id: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: bearer(t.adminToken), payload: { resourceId: id } });
    expect(res.json().status, res.body).toBe('succeeded');
    scans.push(res.json().id);
    return res.json().id as string;
  };
  const rangeRule = async (id: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quality/rules',
      headers: bearer(t.adminToken),
      payload: { resourceId: id, kind: 'range', itemCode: 'qty', min: 0, max: 100 },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const trend = async (query: string, token = t.adminToken) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/trends?${query}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Point[];
  };
  const scores = async (by: string, key: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scores?by=${by}`, headers: bearer(t.adminToken) });
    return (res.json().items as { key: string; score: number }[]).find((i) => i.key === key)?.score;
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    r1 = (await t.services.resources.create(SYSTEM_ACTOR, stock(t.deptA.id))).id;
    r2 = (await t.services.resources.create(SYSTEM_ACTOR, stock(t.deptA.id))).id;
    secret = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        stock(t.deptA.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    await rangeRule(r1);
    await rangeRule(r2);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.scans.idle();
    await t.app.close();
    await db.drop();
  });

  it('a trend follows the score over scans, with a load in between that changes it (exact values, oldest first)', async () => {
    // Rules: not-null(code) completeness; unique(code) uniqueness; length(code) conformity; timeliness; range(qty) accuracy.
    // Scan 1: 1 of 4 quantities out of range → accuracy 0.75, the others 1: (4 × 1 + 0.75) / 5 = 0.95.
    await load(r1, 'code,qty\nA1,10\nA2,20\nA3,500\nA4,40\n');
    await scan(r1);
    expect(await scores('resource', r1)).toBe(0.95);
    // The fix arrives: scan 2 scores 1.
    await load(r1, 'code,qty\nA3,30\n');
    await scan(r1);
    // Another resource of the same department: 2 of 4 out of range → (4 + 0.5) / 5 = 0.9.
    await load(r2, 'code,qty\nB1,-1\nB2,200\nB3,3\nB4,4\n');
    await scan(r2);

    const one = await trend(`by=resource&key=${r1}`);
    expect(one.map((p) => [p.scanId, p.score, p.checked, p.passed])).toEqual([
      [scans[0], 0.95, 4 + 4 + 4 + 1 + 4, 4 + 4 + 4 + 1 + 3],
      [scans[1], 1, 17, 17],
    ]);
    expect(one[0]!.scannedAt < one[1]!.scannedAt).toBe(true);

    // The department after each scan: each resource by its latest scan so far.
    const dept = await trend(`by=department&key=${t.deptA.id}`);
    expect(dept.map((p) => [p.scanId, p.score, p.resources])).toEqual([
      [scans[0], 0.95, 1],
      [scans[1], 1, 1],
      [scans[2], 0.95, 2], // (1 + 0.9) / 2
    ]);
    expect(dept[2]!.score).toBe(await scores('department', t.deptA.id));
    // The last N only; the first of them starts from what came before (r1's scan 2).
    expect((await trend(`by=department&key=${t.deptA.id}&limit=1`)).map((p) => [p.scanId, p.score])).toEqual([[scans[2], 0.95]]);
    expect((await trend(`by=dimension&key=accuracy&limit=2`)).map((p) => [p.scanId, p.score])).toEqual([
      [scans[1], 1],
      [scans[2], 0.75], // (1 + 0.5) / 2
    ]);
    const region = (await t.services.catalogReader.resource(r1, 'all'))!.regionCode;
    expect((await trend(`by=region&key=${region}`)).map((p) => p.score)).toEqual([0.95, 1, 0.95]);
  });

  it("older scans' results stay (history); a scan that did not succeed is no point of a trend", async () => {
    const first = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${scans[0]}/results`, headers: bearer(t.adminToken) });
    expect(first.json().items.length).toBe(5);
    await db.db.updateTable('quality_scans').set({ status: 'interrupted' }).where('id', '=', scans[1]!).execute();
    expect((await trend(`by=resource&key=${r1}`)).map((p) => [p.scanId, p.score])).toEqual([[scans[0], 0.95]]);
    await db.db.updateTable('quality_scans').set({ status: 'succeeded' }).where('id', '=', scans[1]!).execute();
  });

  it('visibility: a classified resource another department cannot see is 404; an unknown dimension 400; nothing scanned, no points', async () => {
    await load(secret, 'code,qty\nS1,1\n');
    await scan(secret);
    const hidden = await t.app.inject({ method: 'GET', url: `/api/v1/quality/trends?by=resource&key=${secret}`, headers: bearer(t.deptB.token) });
    expect([hidden.statusCode, hidden.json().code]).toEqual([404, 'NOT_FOUND']);
    expect((await trend(`by=resource&key=${secret}`, t.deptA.token)).map((p) => p.score)).toEqual([1]);
    // Another department's view of deptA leaves the classified resource out.
    expect((await trend(`by=department&key=${t.deptA.id}`, t.deptB.token)).map((p) => p.scanId)).toEqual(scans.slice(0, 3));
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/quality/trends?by=dimension&key=beauty', headers: bearer(t.adminToken) });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await trend(`by=department&key=${t.deptB.id}`)).toEqual([]);
  });
});
