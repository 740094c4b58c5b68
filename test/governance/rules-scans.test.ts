import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/** Synthetic ID numbers (region 330602, January 1990): valid check digits, never a real person's. */
function citizenId(day: number, seq: number, check?: string) {
  const first17 = `3306021990010${day}${String(seq).padStart(3, '0')}`;
  return first17 + (check ?? citizenIdCheckChar(first17));
}
function idEndingInX(day: number) {
  for (let seq = 901; seq < 999; seq += 2) if (citizenIdCheckChar(`3306021990010${day}${seq}`) === 'X') return citizenId(day, seq);
  throw new Error('no X');
}
const goodCheck = citizenId(3, 905);
const badCheck = goodCheck.slice(0, 17) + (goodCheck[17] === '0' ? '1' : '0');
const xId = idEndingInX(4);

const HEADER = 'person_id,full_name,sex_code,birth_date,region,mobile,income';
const ROWS = [
  `${citizenId(1, 901)},张一,1,1990-01-01,330602,13800000001,100`,
  `${citizenId(2, 903)},李二,2,1990-01-02,330621,13800000002,200`, // sex disagrees; 330621 is a retired code (valid)
  `${badCheck},,3,1990-01-03,999999,12345,5000`, // bad check digit, empty name, sex 3, unknown region, bad mobile, income out of range
  `${xId},王四,1,1990-01-04,330602,,300`,
  `${xId.slice(0, 17)}x,赵五,1,1990-01-04,330602,13800000005,`, // the same person as the row above (lower-case x)
  `${citizenId(6, 907)},ABCDEFG,1,1991-01-06,330602,13800000006,400`, // name too long once the catalogue says 4; birth date disagrees
];

function people(
  departmentId: string,
  over: Partial<ResourceInput> = {},
  nameRule: { length: number; nullable: boolean } = { length: 10, nullable: true },
): ResourceInput {
  return resourceInput(departmentId, {
    name: '质量测试人口',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true, codeSet: 'GB 11643-1999' },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: nameRule.length, primaryKey: false, nullable: nameRule.nullable },
      { code: 'sex_code', name: '性别代码', dataType: 'STRING', length: 1, primaryKey: false, codeSet: 'GB/T 2261.1-2003' },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
      { code: 'region', name: '出生地', dataType: 'STRING', length: 6, primaryKey: false, codeSet: 'GB/T 2260' },
      { code: 'mobile', name: '联系电话', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'income', name: '年收入', dataType: 'INTEGER', primaryKey: false },
    ],
    ...over,
  });
}

type Result = {
  ruleId: string;
  resourceId: string;
  kind: string;
  itemCode: string | null;
  dimension: string;
  checked: number;
  passed: number;
  failed: number;
  sample: string[];
};

describeEachDialect('governance rules and scans', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  let secretId: string;
  const custom: Record<string, string> = {};

  const load = async (id: string, csv: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=x.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status).toBe('succeeded');
    expect(res.json().job.counts?.rejected ?? res.json().job.rowsRejected ?? 0).toBe(0);
  };
  const scan = async (id: string, token = t.adminToken) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: bearer(token), payload: { resourceId: id } });
    expect(res.statusCode, res.body).toBe(202);
    return res.json();
  };
  const results = async (scanId: string, token = t.adminToken): Promise<Result[]> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${scanId}/results`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, people(t.deptA.id))).id;
    await load(resourceId, `${HEADER}\n${ROWS.join('\n')}\n`);
    // The catalogue tightens after the load: the name becomes required and at most 4 characters (rules are re-derived).
    const current = (await t.services.catalogReader.resource(resourceId, 'all'))!;
    const input = people(t.deptA.id, { code: current.code }, { length: 4, nullable: false });
    input.items = input.items.map((i) => ({ ...i, id: current.items!.find((c) => c.code === i.code)!.id }));
    await t.services.resources.update(SYSTEM_ACTOR, resourceId, input);
    secretId = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        people(t.deptA.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    await load(secretId, `${HEADER}\n${ROWS[0]}\n`);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.scans.idle();
    await t.app.close();
    await db.drop();
  });

  it('derives rules from the catalogue with stable ids; custom rules of each kind are created', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${resourceId}`, headers: bearer(t.deptA.token) });
    expect(list.statusCode).toBe(200);
    const kinds = list
      .json()
      .items.map((r: { kind: string; itemCode: string | null }) => `${r.kind}:${r.itemCode ?? ''}`)
      .sort();
    expect(kinds).toEqual([
      'citizen-id-cross:person_id',
      'citizen-id:person_id',
      'code-set:region',
      'code-set:sex_code',
      'length:full_name',
      'length:mobile',
      'length:person_id',
      'length:region',
      'length:sex_code',
      'mobile:mobile',
      'not-null:full_name',
      'not-null:person_id',
      'timeliness:',
      'unique:person_id',
    ]);
    expect(list.json().items.every((r: { id: string }) => r.id.length === 36)).toBe(true);
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${resourceId}`, headers: bearer(t.adminToken) });
    expect(again.json().items.map((r: { id: string }) => r.id)).toEqual(list.json().items.map((r: { id: string }) => r.id));

    const bodies = {
      regex: { kind: 'regex', itemCode: 'full_name', pattern: '\\p{Script=Han}+' },
      range: { kind: 'range', itemCode: 'income', max: 1000 },
      'in-set': { kind: 'in-set', itemCode: 'region', values: ['330602'] },
    };
    for (const [kind, body] of Object.entries(bodies)) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/quality/rules', headers: bearer(t.deptA.token), payload: { resourceId, ...body } });
      expect(res.statusCode, res.body).toBe(201);
      custom[kind] = res.json().id;
    }
    // An officer may not write SQL; an administrator may, and a predicate that does not run is refused before it is saved.
    const sqlBody = { resourceId, kind: 'sql', predicate: 'income >= 150', dimension: 'accuracy' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/quality/rules', headers: bearer(t.deptA.token), payload: sqlBody })).statusCode).toBe(403);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quality/rules',
      headers: bearer(t.adminToken),
      payload: { ...sqlBody, predicate: 'no_such_column > 1' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('VALIDATION_FAILED');
    const sqlRule = await t.app.inject({ method: 'POST', url: '/api/v1/quality/rules', headers: bearer(t.adminToken), payload: sqlBody });
    expect(sqlRule.statusCode, sqlRule.body).toBe(201);
    custom.sql = sqlRule.json().id;
  });

  it('another department cannot write rules for a resource it does not own (403), nor see a classified one (404)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quality/rules',
      headers: bearer(t.deptB.token),
      payload: { resourceId, kind: 'in-set', itemCode: 'region', values: ['1'] },
    });
    expect(res.statusCode).toBe(403);
    const hidden = await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${secretId}`, headers: bearer(t.deptB.token) });
    expect(hidden.statusCode).toBe(404);
    const s = await scan(secretId);
    expect(s.status).toBe('succeeded');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${s.id}`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${s.id}/results`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${s.id}`, headers: bearer(t.deptA.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans', headers: bearer(t.deptB.token), payload: { resourceId } })).statusCode).toBe(
      403,
    );
  });

  it('scans give exact B (checked) and A (passed) for every derived and custom rule kind', async () => {
    const s = await scan(resourceId, t.deptA.token);
    expect(s.status, s.error).toBe('succeeded');
    // The problems workflow took every result (its rule ids are at most 36 characters, derived ones included).
    expect(s.error).toBeNull();
    expect(s.progress).toMatchObject({ resourcesDone: 1, resourcesTotal: 1 });
    const trail = (
      await t.app.inject({ method: 'GET', url: `/api/v1/audit-events?action=quality.scan&targetId=${s.id}`, headers: bearer(t.auditorToken) })
    ).json().items;
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ detail: { resourceId, resources: 1 } });
    const rows = await results(s.id);
    const by = (kind: string, item: string | null) => {
      const r = rows.find((x) => x.kind === kind && x.itemCode === item);
      expect(r, `${kind}:${item}`).toBeDefined();
      expect(r!.checked).toBe(r!.passed + r!.failed);
      return [r!.checked, r!.passed];
    };
    expect(by('not-null', 'person_id')).toEqual([6, 6]);
    expect(by('not-null', 'full_name')).toEqual([6, 5]);
    expect(by('unique', 'person_id')).toEqual([6, 4]);
    expect(by('length', 'person_id')).toEqual([6, 6]);
    expect(by('length', 'full_name')).toEqual([5, 4]);
    expect(by('length', 'mobile')).toEqual([5, 5]);
    expect(by('citizen-id', 'person_id')).toEqual([6, 5]);
    expect(by('code-set', 'sex_code')).toEqual([6, 5]);
    expect(by('code-set', 'region')).toEqual([6, 5]);
    expect(by('mobile', 'mobile')).toEqual([5, 4]);
    expect(by('citizen-id-cross', 'person_id')).toEqual([6, 3]);
    expect(by('timeliness', null)).toEqual([1, 1]);
    expect(by('regex', 'full_name')).toEqual([5, 4]);
    expect(by('range', 'income')).toEqual([5, 4]);
    expect(by('in-set', 'region')).toEqual([6, 4]);
    expect(by('sql', null)).toEqual([6, 4]);
    // Samples name the failing records' keys.
    expect(rows.find((x) => x.kind === 'unique')!.sample.sort()).toEqual([xId, `${xId.slice(0, 17)}x`].sort());
    expect(rows.find((x) => x.kind === 'citizen-id')!.sample).toEqual([badCheck]);
    expect(rows.find((x) => x.kind === 'length' && x.itemCode === 'full_name')!.sample).toEqual([citizenId(6, 907)]);
  });

  it('the pushed-down pass counts what an in-code recount of every record counts', async () => {
    const pushed = await t.services.scans.start(SYSTEM_ACTOR, { resourceId }, { wait: true });
    const recount = await t.services.scans.start(SYSTEM_ACTOR, { resourceId }, { wait: true, pushDown: false });
    expect(recount.status).toBe('succeeded');
    const a = (await results(pushed.id)).map((r) => [r.ruleId, r.checked, r.passed, [...r.sample].sort()]);
    const b = (await results(recount.id)).map((r) => [r.ruleId, r.checked, r.passed, [...r.sample].sort()]);
    expect(b).toEqual(a);
    expect(recount.progress.rowsChecked).toBe(6);
  });

  it('scores from the latest scans: X = A/B per rule, averaged by dimension, resource, department; "% governed"; scoped to what the caller sees', async () => {
    const scores = async (by: string, token = t.adminToken) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scores?by=${by}`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    // completeness (1 + 5/6)/2, uniqueness 4/6, conformity 8.7333/10, accuracy (5/6 + 3/6 + 4/5 + 4/6)/4, timeliness 1.
    const main = (0.9166667 + 0.6666667 + 0.8733333 + 0.7 + 1) / 5;
    const byResource = await scores('resource');
    expect(byResource.items.find((r: { key: string }) => r.key === resourceId).score).toBeCloseTo(main, 3);
    expect(byResource.items.find((r: { key: string }) => r.key === secretId).score).toBe(1);
    const byDimension = await scores('dimension');
    expect(byDimension.items.find((r: { key: string }) => r.key === 'completeness').score).toBeCloseTo((0.9166667 + 1) / 2, 3);
    expect(byDimension.items.find((r: { key: string }) => r.key === 'uniqueness').score).toBeCloseTo((4 / 6 + 1) / 2, 3);
    const byDepartment = await scores('department');
    expect(byDepartment.items).toHaveLength(1);
    expect(byDepartment.items[0]).toMatchObject({ key: t.deptA.id, resources: 2 });
    expect(byDepartment.items[0].score).toBeCloseTo((main + 1) / 2, 3);
    const region = (await t.services.catalogReader.resource(resourceId, 'all'))!.regionCode;
    expect((await scores('region')).items.map((r: { key: string }) => r.key)).toEqual([region]);
    // The classified resource (fully governed) is one of two collected; the other fails a high-severity rule (not-null name 5/6).
    expect(byResource.governed).toMatchObject({ resources: 2, scannedResources: 2, governedResources: 1, percent: 50 });
    // Another department's officer scores only what it may see, and sees no failing keys of another department's records.
    const other = await scores('department', t.deptB.token);
    expect(other.items[0].score).toBeCloseTo(main, 3);
    expect(other.governed).toMatchObject({ resources: 1, governedResources: 0, percent: 0 });
    const latest = await scan(resourceId);
    const seen = await results(latest.id, t.deptB.token);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.sample.length === 0)).toBe(true);
    expect((await results(latest.id, t.deptA.token)).some((r) => r.sample.length > 0)).toBe(true);
  });

  it('a switched-off derived rule keeps its switch across re-derivation and is not scanned; derived rules cannot be deleted or edited', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${resourceId}`, headers: bearer(t.deptA.token) })).json().items;
    const mobile = list.find((r: { kind: string }) => r.kind === 'mobile');
    const off = await t.app.inject({ method: 'PATCH', url: `/api/v1/quality/rules/${mobile.id}`, headers: bearer(t.deptA.token), payload: { enabled: false } });
    expect(off.statusCode).toBe(200);
    expect(off.json().enabled).toBe(false);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/quality/rules/${mobile.id}`, headers: bearer(t.deptA.token), payload: { severity: 'low' } })).json()
        .code,
    ).toBe('QUALITY_RULE_DERIVED');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/quality/rules/${mobile.id}`, headers: bearer(t.deptA.token) })).statusCode).toBe(409);
    const relisted = (await t.app.inject({ method: 'GET', url: `/api/v1/quality/rules?resourceId=${resourceId}`, headers: bearer(t.adminToken) })).json().items;
    expect(relisted.find((r: { id: string }) => r.id === mobile.id).enabled).toBe(false);
    const s = await scan(resourceId);
    expect((await results(s.id)).some((r) => r.ruleId === mobile.id)).toBe(false);
    // A custom rule is changed and deleted by its owner.
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/quality/rules/${custom.range}`,
      headers: bearer(t.deptA.token),
      payload: { max: 10000 },
    });
    expect(changed.json().params).toEqual({ max: 10000 });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/quality/rules/${custom['in-set']}`, headers: bearer(t.deptA.token) })).statusCode).toBe(204);
  });

  it("ranges take numbers or dates; a scan of everything is the platform's; scans a stopped process left behind are marked interrupted", async () => {
    const post = (token: string, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/quality/rules', headers: bearer(token), payload: { resourceId, ...payload } });
    const onString = await post(t.deptA.token, { kind: 'range', itemCode: 'full_name', max: 3 });
    expect(onString.statusCode).toBe(400);
    expect(onString.json().errors[0].path).toBe('body.itemCode');
    expect((await post(t.deptA.token, { kind: 'range', itemCode: 'birth_date', min: 5 })).statusCode).toBe(400);
    expect((await post(t.deptA.token, { kind: 'regex', itemCode: 'full_name', pattern: '(' })).statusCode).toBe(400);
    const dates = await post(t.deptA.token, { kind: 'range', itemCode: 'birth_date', min: '1990-01-02' });
    expect(dates.statusCode, dates.body).toBe(201);

    expect((await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans', headers: bearer(t.deptA.token), payload: {} })).statusCode).toBe(403);
    const all = await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: bearer(t.adminToken), payload: {} });
    expect(all.statusCode).toBe(202);
    expect(all.json()).toMatchObject({ resourceId: null, status: 'succeeded', progress: { resourcesDone: 2, resourcesTotal: 2 } });
    const rows = await results(all.json().id);
    expect(new Set(rows.map((r) => r.resourceId))).toEqual(new Set([resourceId, secretId]));
    // The date range: 1990-01-01 (the first row) is before the bound.
    expect(rows.find((r) => r.ruleId === dates.json().id)).toMatchObject({ checked: 6, passed: 5, sample: [citizenId(1, 901)] });
    // Another department sees the scan of everything but only the results of resources it may see.
    const seen = await results(all.json().id, t.deptB.token);
    expect(new Set(seen.map((r) => r.resourceId))).toEqual(new Set([resourceId]));

    await db.db
      .insertInto('quality_scans')
      .values({
        id: 'left-behind',
        resource_id: resourceId,
        status: 'running',
        resources_total: 1,
        resources_done: 0,
        rows_checked: 0,
        error: null,
        requested_by: 'admin',
        created_at: new Date().toISOString(),
        started_at: new Date().toISOString(),
        finished_at: null,
      })
      .execute();
    expect(await t.services.scans.recover()).toBe(1);
    expect((await t.services.scans.get(SYSTEM_ACTOR, 'left-behind')).status).toBe('interrupted');
  });

  it('a custom SQL predicate that does not run fails the scan naming the rule; switched off, the scan succeeds', async () => {
    const other = (await t.services.resources.create(SYSTEM_ACTOR, people(t.deptA.id))).id;
    // Before the first load there is no table to try the predicate on.
    const rule = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quality/rules',
      headers: bearer(t.adminToken),
      payload: { resourceId: other, kind: 'sql', predicate: 'no_such_column > 1' },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await load(other, `${HEADER}\n${ROWS[0]}\n`);
    const failed = await scan(other);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`rule ${rule.json().id}`);
    expect(failed.error).toContain('fix it or switch it off');
    await t.app.inject({ method: 'PATCH', url: `/api/v1/quality/rules/${rule.json().id}`, headers: bearer(t.adminToken), payload: { enabled: false } });
    expect((await scan(other)).status).toBe('succeeded');
  });

  it('in a serving process every successful load re-scans its resource, so results follow the new data', async () => {
    const governance = t.services.modules.find((m) => m.name === 'governance')!;
    await governance.start!({ logger: pino({ level: 'silent' }) });
    const latestScan = () =>
      db.db
        .selectFrom('quality_scans')
        .selectAll()
        .where('resource_id', '=', resourceId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
    const before = await latestScan();
    // The sixth row corrected: its name fits the catalogue's 4 characters and its birth date agrees with its ID number.
    await load(resourceId, `${HEADER}\n${citizenId(6, 907)},孙六,1,1990-01-06,330602,13800000006,400\n`);
    let after = await latestScan();
    for (let i = 0; i < 100 && (after.id === before.id || after.status !== 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await latestScan();
    }
    expect(after.id).not.toBe(before.id);
    expect(after.status).toBe('succeeded');
    const rows = await results(after.id);
    expect(rows.find((r) => r.kind === 'length' && r.itemCode === 'full_name')).toMatchObject({ checked: 5, passed: 5 });
    expect(rows.find((r) => r.kind === 'citizen-id-cross')).toMatchObject({ checked: 6, passed: 4 });
  });
});

describe('kuaiji quality scan (CLI)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-quality-cli-'));
  let code = '';
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kuaiji = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent' };
      delete env.KUAIJI_DATABASE_URL;
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: path.resolve(import.meta.dirname, '../..'), env, timeout: 60_000 },
        (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        },
      );
    });

  beforeAll(async () => {
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    await migrateToLatest(storage);
    const t = await buildTestApp({ ...storage, drop: () => storage.close() }, { dataDir: dir });
    const resource = await t.services.resources.create(SYSTEM_ACTOR, people(t.deptA.id));
    code = resource.code;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resource.id}/uploads?wait=true&fileName=x.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: `${HEADER}\n${ROWS.join('\n')}\n`,
    });
    expect(res.json().job.status).toBe('succeeded');
    await t.services.jobs.stop();
    await t.app.close();
    await storage.close();
  });

  it('scans a resource by code and prints the failing rules; an unknown resource fails', async () => {
    const run = await kuaiji('quality', 'scan', code);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Scan \S+: 13 rules over 1 resource, 6 failing\./);
    expect(run.stdout).toContain('unique person_id [uniqueness, high]: 2 of 6 failed (X = 0.6667)');
    expect(run.stdout).toContain('citizen-id-cross person_id [accuracy, high]: 3 of 6 failed (X = 0.5000)');
    const bad = await kuaiji('quality', 'scan', 'no/such');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no/such');
  });
});
