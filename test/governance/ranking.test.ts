import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { citizenId, client, peopleInput, resourceScore, round4, type ScanResult } from './quality-fixtures.js';

type Row = {
  rank: number | null;
  departmentId: string;
  departmentName: string;
  score: number | null;
  resourcesScanned: number;
  checked: number;
  passed: number;
  problems: { opened: number; open: number; overdue: number; closed: number };
  previous: { rank: number | null; score: number | null };
  change: { rank: number | null; score: number | null };
};

// Wednesdays 10:00 in Shaoxing of ISO weeks 2026-W47 and W48, and the Thursday of W49.
const W47 = '2026-11-18T02:00:00.000Z';
const W48 = '2026-11-25T02:00:00.000Z';
const W49 = '2026-12-03T02:00:00.000Z';

describeEachDialect('governance: weekly department ranking 一周一通报', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let now = W47;
  const clock: Clock = { now: () => new Date(now) };
  let api: ReturnType<typeof client>;
  let a: string;
  let b: string;
  const results: Record<string, ScanResult[]> = {};

  const ranking = async (week?: string): Promise<{ week: string; previousWeek: string; asOf: string; items: Row[] }> => {
    const res = await api.get(`/api/v1/quality/ranking${week ? `?week=${week}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const byDept = (items: Row[]) => Object.fromEntries(items.map((r) => [r.departmentId, r]));

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock });
    api = client(t);
    a = (await t.services.resources.create(SYSTEM_ACTOR, peopleInput(t.deptA.id))).id;
    b = (await t.services.resources.create(SYSTEM_ACTOR, peopleInput(t.deptB.id))).id;

    // Week 47: department A's resource has a bad mobile number; B's is clean.
    now = W47;
    await api.load(a, [`${citizenId(1, 901)},张一,13800000001`, `${citizenId(2, 903)},李二,12345`, `${citizenId(3, 905)},王三,13800000003`]);
    await api.load(b, [`${citizenId(4, 907)},赵四,13800000004`, `${citizenId(5, 909)},钱五,13800000005`]);
    results.a47 = await api.results((await api.scan({ resourceId: a })).id);
    results.b47 = await api.results((await api.scan({ resourceId: b })).id);

    // Week 48: A corrects the number (its problem closes on the re-scan); B receives a bad one.
    now = W48;
    await api.load(a, [`${citizenId(2, 903)},李二,13800000002`]);
    await api.load(b, [`${citizenId(6, 911)},孙六,1380000`]);
    results.a48 = await api.results((await api.scan({ resourceId: a })).id);
    results.b48 = await api.results((await api.scan({ resourceId: b })).id);

    // Week 49: nothing scanned; B's problem passes its deadline.
    now = W49;
  }, 120_000);
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.scans.idle();
    await t.app.close();
    await db.drop();
  });

  it('the fixture fails where it should: A in week 47, B in week 48, nothing else', () => {
    const failing = (rs: ScanResult[]) => rs.filter((r) => r.failed > 0).map((r) => r.kind);
    expect(failing(results.a47!)).toEqual(['mobile']);
    expect(failing(results.b47!)).toEqual([]);
    expect(failing(results.a48!)).toEqual([]);
    expect(failing(results.b48!)).toEqual(['mobile']);
  });

  it('ranks week 47 by score from the week’s scans, with the problems opened that week', async () => {
    const r = await ranking('2026-W47');
    expect(r).toMatchObject({ week: '2026-W47', previousWeek: '2026-W46', asOf: '2026-11-22T16:00:00.000Z' });
    expect(r.items.map((i) => [i.rank, i.departmentId])).toEqual([
      [1, t.deptB.id],
      [2, t.deptA.id],
    ]);
    const rows = byDept(r.items);
    const scoreA = round4(resourceScore(results.a47!));
    expect(scoreA).toBeLessThan(1);
    expect(rows[t.deptA.id]).toMatchObject({
      departmentName: '绍兴市市场监督管理局',
      score: scoreA,
      resourcesScanned: 1,
      checked: results.a47!.reduce((s, x) => s + x.checked, 0),
      passed: results.a47!.reduce((s, x) => s + x.passed, 0),
      problems: { opened: 1, open: 1, overdue: 0, closed: 0 },
      previous: { rank: null, score: null },
      change: { rank: null, score: null },
    });
    expect(rows[t.deptB.id]).toMatchObject({ score: round4(resourceScore(results.b47!)), problems: { opened: 0, open: 0, overdue: 0, closed: 0 } });
    expect(rows[t.deptB.id]!.score).toBe(1);
  });

  it('week 48: A moves up, B down, with the change from week 47; A’s problem closed, B’s opened', async () => {
    const r = await ranking('2026-W48');
    expect(r.items.map((i) => [i.rank, i.departmentId])).toEqual([
      [1, t.deptA.id],
      [2, t.deptB.id],
    ]);
    const rows = byDept(r.items);
    const scoreA47 = round4(resourceScore(results.a47!));
    const scoreB48 = round4(resourceScore(results.b48!));
    expect(rows[t.deptA.id]).toMatchObject({
      score: 1,
      previous: { rank: 2, score: scoreA47 },
      change: { rank: 1, score: round4(1 - scoreA47) },
      problems: { opened: 0, open: 0, overdue: 0, closed: 1 },
    });
    expect(rows[t.deptB.id]).toMatchObject({
      score: scoreB48,
      previous: { rank: 1, score: 1 },
      change: { rank: -1, score: round4(scoreB48 - 1) },
      // Its deadline (5 working days from Wednesday) is after the week's Sunday: not overdue then.
      problems: { opened: 1, open: 1, overdue: 0, closed: 0 },
    });
  });

  it('the current week (the default) stands at now: same ranks, B’s problem now overdue as the problems list says', async () => {
    const r = await ranking();
    expect(r).toMatchObject({ week: '2026-W49', asOf: W49 });
    const rows = byDept(r.items);
    expect(rows[t.deptA.id]).toMatchObject({ rank: 1, change: { rank: 0, score: 0 } });
    const overdue = await api.get(`/api/v1/quality/problems?overdue=true&departmentId=${t.deptB.id}`);
    expect(overdue.json().items).toHaveLength(1);
    expect(rows[t.deptB.id]).toMatchObject({ rank: 2, change: { rank: 0 }, problems: { opened: 0, open: 1, overdue: 1, closed: 0 } });
  });

  it('refuses a week that does not exist, naming the parameter', async () => {
    const res = await api.get('/api/v1/quality/ranking?week=2025-W53');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(res.json().errors)).toContain('week');
    expect((await api.get('/api/v1/quality/ranking', null)).statusCode).toBe(401);
  });

  it('the XLSX opens with exceljs: title row, Chinese headers, one row per department as in the JSON', async () => {
    const json = await ranking('2026-W48');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/quality/ranking.xlsx?week=2026-W48', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('一周一通报-2026-W48.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('一周一通报')!;
    expect(String(ws.getCell('A1').value)).toContain('一周一通报');
    expect(String(ws.getCell('A1').value)).toContain('2026-W48');
    const headers = (ws.getRow(2).values as unknown[]).slice(1);
    expect(headers.slice(0, 4)).toEqual(['排名', '部门', '得分', '较上周']);
    expect(headers).toContain('超期问题');
    const rows = [3, 4].map((n) => (ws.getRow(n).values as unknown[]).slice(1));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(
      json.items.map((i) => [i.rank, i.departmentName, i.score, i.change.rank! > 0 ? `↑${i.change.rank}` : `↓${-i.change.rank!}`]),
    );
    expect(rows[1]![headers.indexOf('本周新增问题')]).toBe(1);
  });
});
