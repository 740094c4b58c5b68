import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/modules/collection/sources/scheduler.js';
import { maskUrl } from '../../src/modules/collection/sources/secrets.js';
import { openConfig } from '../../src/modules/collection/sources/sealed-config.js';
import { createSourcesRepository } from '../../src/modules/collection/sources/sources.repository.js';
import type { SourcesService } from '../../src/modules/collection/sources/sources.service.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { fixedClock } from '../../src/shared/clock.js';
import { describeEachDialect, TEST_PG_URL, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleResource } from './collection-fixtures.js';

/**
 * The sources API on every platform dialect: authorisation, masking, validation, schedules, the
 * connection test, the scheduler, and end-to-end runs from a real MariaDB and a local HTTP API
 * into a resource's records.
 */
const MYSQL_URL = process.env.KUAIJI_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
// The department servers and API of these tests are on this machine and log in as superusers: allowed here only.
const SECRET_KEY = 'a1'.repeat(32);
const SOURCES = { security: { allow: ['127.0.0.1'], allowPrivilegedRoles: true, secretKey: SECRET_KEY } };
// On PostgreSQL the platform's own database is TEST_PG_URL's: the department's is another one on that server.
const DEPT_PG_URL = (() => {
  const u = new URL(TEST_PG_URL);
  u.pathname = '/postgres';
  return u.toString();
})();

const mysqlUp = await (async () => {
  try {
    const c = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await c.end();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`CI=true but MySQL/MariaDB at ${maskUrl(MYSQL_URL)} is unreachable: ${(err as Error).message}`);
    console.warn(`[kuaiji tests] MySQL/MariaDB at ${maskUrl(MYSQL_URL)} unreachable: end-to-end database pulls are SKIPPED`);
    return false;
  }
})();

/** Person records keyed by synthetic, impossible ID numbers ('T…'), updated one second apart. */
function person(i: number) {
  return {
    person_id: `T${String(i).padStart(17, '0')}`,
    full_name: `张${i}`,
    birth_date: `1990-01-${String((i % 28) + 1).padStart(2, '0')}`,
    income: `${1000 + i}.50`,
    household_size: (i % 5) + 1,
    registered: i % 2 === 1,
    updated_at: `2024-03-01 08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
  };
}

describeEachDialect('collection sources API', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let sources: SourcesService;
  let resA: string;
  let resB: string;
  let server: http.Server;
  let api: string;
  const repo = createSourcesRepository();

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { sources: SOURCES });
    sources = t.services.sources;
    resA = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    resB = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptB.id, { updateFrequency: '10' }))).id;

    server = http.createServer((req, res) => {
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page'));
      const all = Array.from({ length: 12 }, (_, k) => person(k + 1));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: all.slice((page - 1) * 5, page * 5) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/people`;
  });
  afterAll(async () => {
    await t.services.jobs.drained();
    await t.services.jobs.stop();
    await t.app.close();
    await new Promise((resolve) => server.close(resolve));
    await db.drop();
  });

  const httpSource = (resourceId: string, over: Record<string, unknown> = {}) => ({
    resourceId,
    name: '人口接口',
    kind: 'http',
    schedule: 'manual',
    config: { url: `${api}?appKey=app-secret-1`, itemsPath: 'data', paging: { kind: 'page', size: 5 }, headers: { Authorization: 'Bearer hdr-secret-2' } },
    ...over,
  });
  const post = (payload: Record<string, unknown>, token = t.adminToken) =>
    t.app.inject({ method: 'POST', url: '/api/v1/collection/sources', headers: bearer(token), payload });

  it("an officer manages their own department's sources and cannot reach another department's", async () => {
    const own = await post(httpSource(resA), t.deptA.token);
    expect(own.statusCode).toBe(201);
    const id = own.json().id;

    const foreign = await post(httpSource(resA), t.deptB.token);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('FORBIDDEN');
    expect((await post(httpSource(resB), t.deptA.token)).statusCode).toBe(403);

    expect((await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    for (const action of ['run', 'test']) {
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/${action}`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    }
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.deptB.token), payload: httpSource(resB) });
    expect(put.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    const listB = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/sources', headers: bearer(t.deptB.token) })).json();
    expect(listB.items.map((s: { id: string }) => s.id)).not.toContain(id);
    const listA = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources?resourceId=${resA}`, headers: bearer(t.deptA.token) })).json();
    expect(listA.items.map((s: { id: string }) => s.id)).toContain(id);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/collection/sources' })).statusCode).toBe(401);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.deptA.token) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.adminToken) })).statusCode).toBe(404);
  });

  it('never returns a secret; *** sent back keeps it; moving the source resets its watermark', async () => {
    const created = await post({
      resourceId: resA,
      name: '人社库',
      kind: 'postgres',
      mode: 'incremental',
      watermarkColumn: 'updated_at',
      schedule: 'manual',
      config: { url: 'postgres://hr:Db-Pa55@10.0.0.5:5432/hr', table: 'hr.persons' },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source.config.url).toBe('postgres://hr:***@10.0.0.5:5432/hr');
    const shown = await post(httpSource(resA));
    expect(JSON.stringify(shown.json())).not.toMatch(/app-secret-1|hdr-secret-2/);
    expect(shown.json().config.headers).toEqual({ Authorization: '***' });
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/sources', headers: bearer(t.adminToken) })).body;
    expect(listed).not.toMatch(/Db-Pa55|app-secret-1|hdr-secret-2/);

    await repo.update(db.db, source.id, { watermark: '2024-01-01 00:00:00' });
    const body = {
      resourceId: resA,
      name: '人社库（改）',
      kind: 'postgres',
      mode: 'incremental',
      watermarkColumn: 'updated_at',
      schedule: 'manual',
      config: source.config,
    };
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/collection/sources/${source.id}`, headers: bearer(t.adminToken), payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: '人社库（改）', watermark: '2024-01-01 00:00:00' });
    const row = (await repo.find(db.db, source.id))!;
    // At rest the password is only in the sealed column.
    expect(JSON.stringify(row.config)).not.toContain('Db-Pa55');
    expect(row.secrets).not.toContain('Db-Pa55');
    expect(new URL(openConfig(row, SECRET_KEY).url as string).password).toBe('Db-Pa55');

    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/collection/sources/${source.id}`,
      headers: bearer(t.adminToken),
      payload: { ...body, config: { ...source.config, table: 'hr.persons_v2' } },
    });
    expect(moved.json().watermark).toBeNull();
    const elsewhere = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/collection/sources/${source.id}`,
      headers: bearer(t.adminToken),
      payload: { ...body, config: { ...source.config, url: 'postgres://hr:***@203.0.113.9:5432/hr' } },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().code).toBe('SOURCE_SECRET_REQUIRED');
    expect(elsewhere.json().errors[0].path).toBe('body.config.url');
    expect(new URL(openConfig((await repo.find(db.db, source.id))!, SECRET_KEY).url as string).password).toBe('Db-Pa55');
  });

  it('validates configurations with the failing field path', async () => {
    const both = await post({ resourceId: resA, name: 'x', kind: 'mysql', config: { url: 'mysql://u@h/db', table: 't', query: 'select 1' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].path).toBe('body.config.table');
    const noMark = await post({ resourceId: resA, name: 'x', kind: 'mysql', mode: 'incremental', config: { url: 'mysql://u@h/db', table: 't' } });
    expect(noMark.json().errors[0].path).toBe('body.watermarkColumn');
    const injected = await post({ resourceId: resA, name: 'x', kind: 'postgres', config: { url: 'postgres://u@h/db', table: 't; drop table x' } });
    expect(injected.json().errors[0].path).toBe('body.config.table');
    const unknown = await post({ resourceId: resA, name: 'x', kind: 'http', config: { url: api, paging: { kind: 'page' }, secret: 1 } });
    expect(unknown.statusCode).toBe(400);
    const kind = await post({ resourceId: resA, name: 'x', kind: 'oracle', config: {} });
    expect(kind.statusCode).toBe(400);
    const noResource = await post(httpSource('no-such-resource'));
    expect(noResource.json().code).toBe('REFERENCE_NOT_FOUND');
  });

  it("computes the next run from the schedule and the resource's update frequency", async () => {
    const before = Date.now();
    const daily = (await post(httpSource(resA, { schedule: 'auto' }))).json();
    const due = Date.parse(daily.nextRunAt) - before;
    expect(due).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(due).toBeLessThan(24 * 3600_000 + 60_000);
    expect((await post(httpSource(resB, { schedule: 'auto' }))).json().nextRunAt).toBeNull();
    expect((await post(httpSource(resA, { schedule: 'manual' }))).json().nextRunAt).toBeNull();
    expect((await post(httpSource(resA, { schedule: '01', enabled: false }))).json().nextRunAt).toBeNull();
    const weekly = (await post(httpSource(resB, { schedule: '03' }))).json();
    expect(Date.parse(weekly.nextRunAt) - before).toBeGreaterThanOrEqual(7 * 24 * 3600_000);
  });

  it('tests a source: the header and the first 5 rows, nothing loaded', async () => {
    const { id } = (await post(httpSource(resA))).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/test`, headers: bearer(t.deptA.token) });
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out.header).toEqual(['person_id', 'full_name', 'birth_date', 'income', 'household_size', 'registered', 'updated_at']);
    expect(out.rows).toHaveLength(5);
    expect(out.rows[0]).toEqual(['T00000000000000001', '张1', '1990-01-02', '1001.50', '2', 'true', '2024-03-01 08:00:01']);
    const total = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resA}/records`, headers: bearer(t.adminToken) })).json().total;
    expect(total).toBe(0);
  });

  it('runs an HTTP source on demand into records; the scheduler runs due sources once and moves their next run', async () => {
    const { id } = (await post(httpSource(resA))).json();
    const run = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/run?wait=true`, headers: bearer(t.deptA.token) });
    expect(run.statusCode).toBe(200);
    const { job } = run.json();
    expect(job).toMatchObject({ status: 'succeeded', sourceKind: 'http', sourceId: id, rows: { read: 12, inserted: 12, rejected: 0 } });
    expect(job.batchId).toMatch(new RegExp(`^${id}:\\d{4}-\\d{2}-\\d{2}T`));
    expect(job.sourceRef).not.toContain('app-secret-1');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.adminToken) })).json().lastJobId).toBe(job.id);

    const realtime = (await post(httpSource(resA, { schedule: '01' }))).json();
    const later = new Date(Date.parse(realtime.nextRunAt) + 5_000);
    const scheduler = createScheduler({ sources, clock: fixedClock(later.toISOString()), intervalMs: 60_000 });
    const runs = await scheduler.tick();
    const mine = runs.filter((r) => r.sourceId === realtime.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.jobId).toBeTruthy();
    expect((await scheduler.tick()).filter((r) => r.sourceId === realtime.id)).toEqual([]);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources/${realtime.id}`, headers: bearer(t.adminToken) })).json();
    expect(after.nextRunAt).toBe(new Date(later.getTime() + 60_000).toISOString());
    expect(after.lastJobId).toBe(mine[0]!.jobId);
    const scheduled = await t.services.jobs.waitFor(mine[0]!.jobId!);
    expect(scheduled).toMatchObject({ status: 'succeeded', submittedBy: 'scheduler', rows: { read: 12, unchanged: 12 } });
    scheduler.start();
    await scheduler.stop();
  });

  (mysqlUp ? describe : describe.skip)('end to end from MariaDB', () => {
    const table = `kj_e2e_${randomBytes(5).toString('hex')}`;
    let conn: mysql.Connection;
    const insert = (from: number, to: number) =>
      conn.query(`INSERT INTO ${table} VALUES ?`, [Array.from({ length: to - from + 1 }, (_, k) => Object.values(person(from + k)))]);

    beforeAll(async () => {
      conn = await mysql.createConnection({ uri: MYSQL_URL });
      await conn.query(`CREATE TABLE ${table} (person_id VARCHAR(18) PRIMARY KEY, full_name VARCHAR(10), birth_date DATE, income DECIMAL(12,2),
        household_size INT, registered TINYINT(1), updated_at DATETIME) DEFAULT CHARSET=utf8mb4`);
      await insert(1, 30);
    });
    afterAll(async () => {
      await conn?.query(`DROP TABLE IF EXISTS ${table}`);
      await conn?.end();
    });

    it('loads everything, then incrementally only the newer rows', async () => {
      const resource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
      const created = await post(
        {
          resourceId: resource,
          name: '人口库（MariaDB）',
          kind: 'mysql',
          mode: 'incremental',
          watermarkColumn: 'updated_at',
          schedule: 'manual',
          config: { url: MYSQL_URL, table, batchSize: 7 },
        },
        t.deptA.token,
      );
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      const run = async () => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/run?wait=true`, headers: bearer(t.deptA.token) });
        expect(res.statusCode).toBe(200);
        return res.json().job;
      };
      const records = async () =>
        (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resource}/records?limit=1000`, headers: bearer(t.adminToken) })).json();

      const first = await run();
      expect(first).toMatchObject({ status: 'succeeded', rows: { read: 30, inserted: 30, rejected: 0 }, watermark: '2024-03-01 08:00:30' });
      const source = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.deptA.token) })).json();
      expect(source.watermark).toBe('2024-03-01 08:00:30');
      const loaded = await records();
      expect(loaded.total).toBe(30);
      const p1 = loaded.items.find((r: Record<string, unknown>) => r.person_id === 'T00000000000000001');
      expect(p1).toMatchObject({ full_name: '张1', household_size: 2 });
      expect(Number(p1.income)).toBe(1001.5);

      await insert(31, 35);
      const second = await run();
      expect(second).toMatchObject({ status: 'succeeded', rows: { read: 5, inserted: 5, updated: 0 }, watermark: '2024-03-01 08:00:35' });
      expect((await records()).total).toBe(35);

      const idle = await run();
      expect(idle).toMatchObject({ status: 'succeeded', rows: { read: 0 } });
    });

    it('a source that cannot be read fails its job with the reason', async () => {
      const resource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
      const { id } = (
        await post({ resourceId: resource, name: '坏源', kind: 'mysql', schedule: 'manual', config: { url: MYSQL_URL, table: `${table}_missing` } })
      ).json();
      const { job } = (await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/run?wait=true`, headers: bearer(t.adminToken) })).json();
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/COLLECTION_UNREADABLE: the query failed on mysql:\/\/.*doesn't exist/);
    });
  });

  describe('end to end from a PostgreSQL department database, full snapshots', () => {
    // The department's database: a schema of its own on the test server (CI=true makes it mandatory).
    const schema = `kj_dept_${randomBytes(5).toString('hex')}`;
    let dept: pg.Client;

    beforeAll(async () => {
      dept = new pg.Client({ connectionString: DEPT_PG_URL });
      await dept.connect();
      await dept.query(`CREATE SCHEMA ${schema}`);
      await dept.query(`CREATE TABLE ${schema}.people (person_id varchar(18) PRIMARY KEY, full_name varchar(10), birth_date date, income numeric(12,2),
        household_size int, registered boolean, updated_at timestamp)`);
      for (let i = 1; i <= 20; i++) {
        const p = person(i);
        await dept.query(`INSERT INTO ${schema}.people VALUES ($1, $2, $3, $4, $5, $6, $7)`, Object.values(p));
      }
    });
    afterAll(async () => {
      await dept?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await dept?.end();
    });

    it('loads the table, then marks rows deleted at the source as deleted, and loads changes', async () => {
      const resource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
      const created = await post(
        {
          resourceId: resource,
          name: '人口库（PostgreSQL）',
          kind: 'postgres',
          mode: 'snapshot',
          schedule: 'manual',
          config: { url: DEPT_PG_URL, table: `${schema}.people`, batchSize: 6 },
        },
        t.deptA.token,
      );
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const run = async () =>
        (await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/run?wait=true`, headers: bearer(t.deptA.token) })).json().job;
      const records = async () =>
        (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resource}/records?limit=1000`, headers: bearer(t.adminToken) })).json();

      expect(await run()).toMatchObject({ status: 'succeeded', mode: 'snapshot', rows: { read: 20, inserted: 20, deleted: 0, rejected: 0 } });
      expect((await records()).total).toBe(20);

      await dept.query(`DELETE FROM ${schema}.people WHERE person_id IN ('T00000000000000003', 'T00000000000000004')`);
      await dept.query(`UPDATE ${schema}.people SET full_name = '改名' WHERE person_id = 'T00000000000000005'`);
      expect(await run()).toMatchObject({ status: 'succeeded', rows: { read: 18, inserted: 0, updated: 1, unchanged: 17, deleted: 2 } });
      const after = await records();
      expect(after.total).toBe(18);
      const ids = after.items.map((r: Record<string, unknown>) => r.person_id);
      expect(ids).not.toContain('T00000000000000003');
      expect(after.items.find((r: Record<string, unknown>) => r.person_id === 'T00000000000000005').full_name).toBe('改名');
    });
  });
});
