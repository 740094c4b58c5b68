import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { datetimeText, dbCell } from '../../src/modules/collection/sources/database/db-cells.js';
import { mysqlConnector } from '../../src/modules/collection/sources/database/mysql-connector.js';
import { postgresConnector } from '../../src/modules/collection/sources/database/postgres-connector.js';
import { planSelect } from '../../src/modules/collection/sources/database/sql-plan.js';
import { pulledSourceKinds } from '../../src/modules/collection/sources/default-source-kinds.js';
import { compareWatermarks } from '../../src/modules/collection/sources/http/json-values.js';
import { nextRunAt } from '../../src/modules/collection/sources/schedule.js';
import { maskConfig, maskUrl, restoreSecrets, scrub, secretsOf } from '../../src/modules/collection/sources/secrets.js';
import { resolveSourceSecurity } from '../../src/modules/collection/sources/security/source-security.js';
import { PostgresConfig } from '../../src/modules/collection/sources/source-config.js';
import { presentSource } from '../../src/modules/collection/sources/sources.presenter.js';
import { createSourcesRepository, type SourceRow } from '../../src/modules/collection/sources/sources.repository.js';
import type { RecordBatch } from '../../src/modules/collection/parsing/types.js';
import { newId } from '../../src/shared/ids.js';
import { toJson } from '../../src/storage/dialect.js';
import type { CollectionJobTable } from '../../src/storage/schema.js';
import { DIALECTS, TEST_PG_URL } from '../dialects.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';

/**
 * Pulled source kinds against real servers: MariaDB/MySQL and PostgreSQL as department
 * databases (a uniquely named table or schema per run, dropped after), and a local HTTP server.
 * CI=true makes the database servers mandatory; elsewhere an unreachable one is skipped.
 */
const MYSQL_URL = process.env.KUAIJI_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function reachable(name: string, url: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`CI=true but ${name} at ${maskUrl(url)} is unreachable: ${(err as Error).message}`);
    console.warn(`[kuaiji tests] ${name} at ${maskUrl(url)} unreachable: its department-database tests are SKIPPED`);
    return false;
  }
}

const mysqlUp = await reachable('MySQL/MariaDB', MYSQL_URL, async () => {
  const c = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
  await c.end();
});
const pgUp = await reachable('PostgreSQL', TEST_PG_URL, async () => {
  const c = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  await c.end();
});

// The department servers of these tests run on this machine, and log in as superusers: both
// allowed explicitly here (source-security.test.ts shows that without this, both are refused).
const security = resolveSourceSecurity({ allow: ['127.0.0.1'], allowPrivilegedRoles: true }, fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-src-')), null);
const kinds = pulledSourceKinds(security);
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A platform database (SQLite) holding one resource, to which source rows are saved. */
async function platform() {
  const db = await DIALECTS[0].fresh();
  const services = buildServices(db);
  await seedRegions(services);
  const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput());
  const resource = await services.resources.create(SYSTEM_ACTOR, resourceInput(dept.id));
  const repo = createSourcesRepository();
  const at = new Date().toISOString();
  return {
    db,
    resourceId: resource.id,
    async save(kind: string, config: Record<string, unknown>, over: Partial<SourceRow> = {}): Promise<SourceRow> {
      const row: SourceRow = {
        id: newId(),
        resource_id: resource.id,
        name: `source ${kind}`,
        kind,
        config: toJson(config),
        mode: 'full',
        watermark_column: null,
        watermark: null,
        schedule: 'manual',
        enabled: true,
        next_run_at: null,
        last_job_id: null,
        created_at: at,
        updated_at: at,
        ...over,
      };
      await repo.insert(db.db, row);
      return row;
    },
  };
}
type Platform = Awaited<ReturnType<typeof platform>>;

function jobFor(row: SourceRow): CollectionJobTable {
  const at = new Date().toISOString();
  return {
    id: newId(),
    resource_id: row.resource_id,
    batch_id: 'test',
    source_kind: row.kind,
    source_ref: null,
    source_id: row.id,
    format: null,
    encoding: null,
    mode: 'upsert',
    file_path: null,
    file_bytes: null,
    status: 'running',
    rows_read: 0,
    rows_inserted: 0,
    rows_updated: 0,
    rows_unchanged: 0,
    rows_rejected: 0,
    rows_deleted: 0,
    bytes_read: 0,
    watermark: null,
    error: null,
    options: '{}',
    submitted_by: null,
    created_at: at,
    started_at: at,
    finished_at: null,
    updated_at: at,
  };
}

/** What the job runner does: open the registry entry with the job, then read every batch. */
async function readAll(p: Platform, row: SourceRow) {
  const opened = await kinds[row.kind as keyof typeof kinds].open({ db: p.db.db, job: jobFor(row) });
  const stream = await opened.open();
  const batches: RecordBatch[] = [];
  for await (const b of stream.batches) batches.push(b);
  return { opened, header: stream.header, batches, rows: batches.flatMap((b) => b.rows) };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('schedules: nextRunAt', () => {
  const from = new Date('2024-01-31T10:00:00.000Z');
  it('follows the update frequency for auto', () => {
    expect(nextRunAt('auto', '01', from)?.toISOString()).toBe('2024-01-31T10:01:00.000Z');
    expect(nextRunAt('auto', '02', from)?.toISOString()).toBe('2024-02-01T10:00:00.000Z');
    expect(nextRunAt('auto', '03', from)?.toISOString()).toBe('2024-02-07T10:00:00.000Z');
    // Calendar months, clamped to the month's end (2024 is a leap year).
    expect(nextRunAt('auto', '04', from)?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(nextRunAt('auto', '05', from)?.toISOString()).toBe('2024-04-30T10:00:00.000Z');
    expect(nextRunAt('auto', '06', from)?.toISOString()).toBe('2024-07-31T10:00:00.000Z');
    expect(nextRunAt('auto', '07', from)?.toISOString()).toBe('2025-01-31T10:00:00.000Z');
    expect(nextRunAt('auto', '05', new Date('2024-11-15T00:00:00Z'))?.toISOString()).toBe('2025-02-15T00:00:00.000Z');
  });
  it('runs other, irregular, never and manual sources only on demand', () => {
    for (const f of ['08', '09', '10']) expect(nextRunAt('auto', f, from)).toBeNull();
    expect(nextRunAt('manual', '02', from)).toBeNull();
    expect(nextRunAt('auto', null, from)).toBeNull();
  });
  it('an explicit frequency code overrides the resource', () => {
    expect(nextRunAt('03', '07', from)?.toISOString()).toBe('2024-02-07T10:00:00.000Z');
    expect(nextRunAt('02', '10', from)?.toISOString()).toBe('2024-02-01T10:00:00.000Z');
  });
});

describe('secrets', () => {
  it('masks URL passwords and credential parameters, headers except harmless ones', () => {
    expect(maskUrl('postgres://hr:S3cr%40t@10.0.0.5:5432/hr?sslmode=require&password=x')).toBe(
      'postgres://hr:***@10.0.0.5:5432/hr?sslmode=require&password=***',
    );
    expect(maskUrl('mysql://root@127.0.0.1:3306/test')).toBe('mysql://root@127.0.0.1:3306/test');
    const shown = maskConfig({
      url: 'https://api.example.gov.cn/v1/items?appKey=abc123&page=1',
      headers: { Authorization: 'Bearer tok3n-value', Accept: 'application/json', 'X-Api-Key': 'k-999' },
    });
    expect(shown).toEqual({
      url: 'https://api.example.gov.cn/v1/items?appKey=***&page=1',
      headers: { Authorization: '***', Accept: 'application/json', 'X-Api-Key': '***' },
    });
  });

  it('the presenter never returns a secret', () => {
    const at = new Date().toISOString();
    const row: SourceRow = {
      id: 's1',
      resource_id: 'r1',
      name: 'hr',
      kind: 'http',
      mode: 'full',
      watermark_column: null,
      watermark: null,
      schedule: 'auto',
      enabled: 1,
      next_run_at: null,
      last_job_id: null,
      created_at: at,
      updated_at: at,
      config: toJson({
        url: 'https://u:pw-secret@api.example.gov.cn/x?token=t0ken-secret',
        itemsPath: 'data',
        paging: { kind: 'page' },
        headers: { Authorization: 'Bearer header-secret' },
      }),
    };
    const text = JSON.stringify(presentSource(row));
    for (const s of ['pw-secret', 't0ken-secret', 'header-secret']) expect(text).not.toContain(s);
    expect(presentSource(row).enabled).toBe(true);
  });

  it('*** sent back keeps the stored secret; a new value replaces it', () => {
    const stored = { url: 'postgres://hr:old-pass@db:5432/hr?sslmode=require' };
    expect(new URL(restoreSecrets({ url: 'postgres://hr:***@db/hr?sslmode=require', table: 't2' }, stored).url).password).toBe('old-pass');
    expect(restoreSecrets({ url: 'postgres://hr:new-pass@db:5432/hr' }, stored).url).toBe('postgres://hr:new-pass@db:5432/hr');
    const api = { url: 'https://u:old-pass@api.gov.cn/v1?appKey=old-param', headers: { Authorization: 'Bearer old' } };
    const kept = restoreSecrets({ url: 'https://u:***@api.gov.cn/v2?appKey=***', headers: { authorization: '***', 'X-New': 'v' } }, api);
    expect(new URL(kept.url).password).toBe('old-pass');
    expect(new URL(kept.url).searchParams.get('appKey')).toBe('old-param');
    expect(kept.headers).toEqual({ authorization: 'Bearer old', 'X-New': 'v' });
  });

  it('*** never carries a stored secret to another server or user, nor stands for nothing', () => {
    const stored = { url: 'https://api.gov.cn/v1?appKey=k1', headers: { Authorization: 'Bearer old' } };
    expect(() => restoreSecrets({ url: 'https://evil.example/v1?appKey=***' }, stored)).toThrow(/same server/);
    expect(() =>
      restoreSecrets({ url: 'https://api.gov.cn/v1', headers: { Authorization: '***' } }, { url: 'https://api.gov.cn:8443/v1', headers: stored.headers }),
    ).toThrow(/same server/);
    expect(() => restoreSecrets({ url: 'postgres://other:***@db/hr' }, { url: 'postgres://hr:pw@db/hr' })).toThrow(/same server/);
    expect(() => restoreSecrets({ url: 'https://api.gov.cn/v1', headers: { 'X-Key': '***' } }, stored)).toThrow(/stands for nothing/);
    expect(() => restoreSecrets({ url: 'postgres://hr:***@db/hr' }, null)).toThrow(AppError);
  });

  it('scrubs secrets out of error messages', () => {
    const secrets = secretsOf({ url: 'postgres://hr:p%40ss-word@db/hr', headers: { Authorization: 'Bearer abcdef123456' } });
    expect(scrub('auth failed for p@ss-word with abcdef123456', secrets)).toBe('auth failed for *** with ***');
  });
});

describe('database values and statements', () => {
  it('turns driver values into pipeline text', () => {
    expect(datetimeText('2024-03-01 08:00:00')).toBe('2024-03-01T08:00:00');
    expect(datetimeText('2024-03-01 08:00:00.120000+08')).toBe('2024-03-01T08:00:00.120');
    expect(datetimeText('0000-00-00 00:00:00')).toBeNull();
    expect(dbCell('t', 'boolean')).toBe('true');
    expect(dbCell(0, 'boolean')).toBe('false');
    expect(dbCell(2, 'boolean')).toBe('2');
    expect(dbCell(Buffer.from([0, 255]), 'text')).toBe('AP8=');
    expect(dbCell('\\x00ff', 'bytes')).toBe('AP8=');
    expect(dbCell(Buffer.from([1]), 'bit')).toBe('true');
    expect(dbCell(12.5, 'text')).toBe('12.5');
    expect(dbCell({ a: 1 }, 'text')).toBe('{"a":1}');
    expect(dbCell(null, 'date')).toBeNull();
  });

  it('quotes identifiers and filters incrementally by the watermark column', () => {
    const config = PostgresConfig.parse({ url: 'postgres://u@h/db', table: 'hr.persons', columns: ['id', '姓名', 'updated_at'] });
    expect(planSelect(postgresConnector, config, null)).toEqual({ sql: 'SELECT "id", "姓名", "updated_at" FROM "hr"."persons"', params: [] });
    expect(planSelect(mysqlConnector, config, { column: 'updated_at', after: '2024-01-01' })).toEqual({
      sql: 'SELECT `id`, `姓名`, `updated_at` FROM `hr`.`persons` WHERE `updated_at` > ? ORDER BY `updated_at`',
      params: ['2024-01-01'],
    });
    const q = PostgresConfig.parse({ url: 'postgres://u@h/db', query: 'select * from x where y = 1;' });
    expect(planSelect(postgresConnector, q, null).sql).toBe('select * from x where y = 1');
    expect(planSelect(postgresConnector, q, { column: 'v', after: null }).sql).toBe('SELECT * FROM (select * from x where y = 1) kuaiji_src ORDER BY "v"');
  });

  it('rejects configurations that could carry SQL or are ambiguous', () => {
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db', table: 'x' }).success).toBe(true);
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db', table: 'x; drop table y' }).success).toBe(false);
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db', table: 'a.b.c' }).success).toBe(false);
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db', table: 'x', query: 'select 1' }).success).toBe(false);
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db' }).success).toBe(false);
    expect(PostgresConfig.safeParse({ url: 'mysql://u@h/db', table: 'x' }).success).toBe(false);
    expect(PostgresConfig.safeParse({ url: 'postgres://u@h/db', table: 'x', columns: ['a"b'] }).success).toBe(false);
  });

  it('orders HTTP watermarks numerically or as text', () => {
    expect(compareWatermarks('10', '9')).toBeGreaterThan(0);
    expect(compareWatermarks('2024-03-01T10:00:00', '2024-02-29T23:00:00')).toBeGreaterThan(0);
  });
});

(mysqlUp ? describe : describe.skip)('source kind: mysql (MariaDB)', () => {
  const table = uniqueName('kj_src');
  let conn: mysql.Connection;
  let p: Platform;

  beforeAll(async () => {
    p = await platform();
    conn = await mysql.createConnection({ uri: MYSQL_URL });
    await conn.query(`CREATE TABLE ${table} (
      id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET utf8mb4, amount DECIMAL(12,2), born DATE, updated_at DATETIME(3),
      active TINYINT(1), note TEXT NULL, photo VARBINARY(10), big BIGINT, ratio DOUBLE) DEFAULT CHARSET=utf8mb4`);
    const rows = Array.from({ length: 25 }, (_, k) => {
      const i = k + 1;
      return [
        i,
        i === 1 ? '张三' : `用户${i}`,
        `${1000 + i}.50`,
        `1990-01-${String((i % 28) + 1).padStart(2, '0')}`,
        `2024-03-01 08:00:${String(i).padStart(2, '0')}.000`,
        i % 2,
        i === 1 ? null : `备注${i}`,
        Buffer.from([0, 255]),
        '9007199254740993',
        0.1,
      ];
    });
    await conn.query(`INSERT INTO ${table} VALUES ?`, [rows]);
  });
  afterAll(async () => {
    await conn?.query(`DROP TABLE IF EXISTS ${table}`);
    await conn?.end();
    await p?.db.drop();
  });

  it('reads a table: header, cursor batches, values as text (dates, decimals, nulls, Chinese, booleans, binary, BIGINT)', async () => {
    const row = await p.save('mysql', { url: MYSQL_URL, table, batchSize: 10 });
    const { header, batches, rows, opened } = await readAll(p, row);
    expect(header).toEqual(['id', 'name', 'amount', 'born', 'updated_at', 'active', 'note', 'photo', 'big', 'ratio']);
    expect(batches.map((b) => b.rows.length)).toEqual([10, 10, 5]);
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(rows[0]!.cells).toEqual(['1', '张三', '1001.50', '1990-01-02', '2024-03-01T08:00:01', 'true', null, 'AP8=', '9007199254740993', '0.1']);
    expect(rows[1]!.cells[5]).toBe('false');
    expect(opened.watermark).toBeUndefined();
  });

  it('incremental: only rows past the saved watermark, ordered; reports the largest value', async () => {
    const row = await p.save(
      'mysql',
      { url: MYSQL_URL, table, columns: ['id', 'name', 'updated_at'] },
      {
        mode: 'incremental',
        watermark_column: 'updated_at',
        watermark: '2024-03-01 08:00:20.000',
      },
    );
    const { rows, opened, header } = await readAll(p, row);
    expect(header).toEqual(['id', 'name', 'updated_at']);
    expect(rows.map((r) => r.cells[0])).toEqual(['21', '22', '23', '24', '25']);
    expect(opened.watermark!()).toBe('2024-03-01 08:00:25.000');

    // Up to date: nothing read, the watermark stays.
    const again = await readAll(
      p,
      await p.save('mysql', { url: MYSQL_URL, table }, { mode: 'incremental', watermark_column: 'updated_at', watermark: '2024-03-01 08:00:25.000' }),
    );
    expect(again.rows).toEqual([]);
    expect(again.opened.watermark!()).toBe('2024-03-01 08:00:25.000');
  });

  it('reads a query', async () => {
    const row = await p.save('mysql', { url: MYSQL_URL, query: `SELECT id, name AS 姓名 FROM ${table} WHERE id <= 3 ORDER BY id;` });
    const { header, rows } = await readAll(p, row);
    expect(header).toEqual(['id', '姓名']);
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', '张三'],
      ['2', '用户2'],
      ['3', '用户3'],
    ]);
  });

  it('never writes to the department system, and errors name the server without the password', async () => {
    // A stored row that was never validated (or predates the rule) is checked again when it runs.
    const write = await p.save('mysql', { url: MYSQL_URL, query: `DELETE FROM ${table}` });
    const refused = await failure(readAll(p, write));
    expect(refused.message).toMatch(/only a SELECT/);
    // A SELECT that writes through a function meets the READ ONLY transaction.
    const fn = uniqueName('kj_fn');
    await conn.query(`CREATE FUNCTION ${fn}() RETURNS INT MODIFIES SQL DATA BEGIN DELETE FROM ${table}; RETURN 1; END`);
    try {
      const sneaky = await failure(readAll(p, await p.save('mysql', { url: MYSQL_URL, query: `SELECT ${fn}() AS n` })));
      expect(sneaky.message).toMatch(/READ ONLY/);
    } finally {
      await conn.query(`DROP FUNCTION IF EXISTS ${fn}`);
    }
    const [count] = await conn.query(`SELECT COUNT(*) n FROM ${table}`);
    expect((count as { n: number }[])[0]!.n).toBe(25);

    const u = new URL(MYSQL_URL);
    u.password = 'wrong-Pa55word';
    const bad = await p.save('mysql', { url: u.toString(), table });
    const err = await failure(readAll(p, bad));
    expect(err.code).toBe('COLLECTION_UNREADABLE');
    expect(err.message).toContain(`mysql://${u.host}`);
    expect(err.message).not.toContain('wrong-Pa55word');
  });
});

(pgUp ? describe : describe.skip)('source kind: postgres', () => {
  const schema = uniqueName('kj_src');
  let client: pg.Client;
  let p: Platform;
  const url = (() => {
    const u = new URL(TEST_PG_URL);
    // Trust-authenticated servers ignore it; the point is that it never shows up anywhere.
    if (!u.password) u.password = 'never-Sh0wn';
    return u.toString();
  })();

  beforeAll(async () => {
    p = await platform();
    client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.persons (
      id integer PRIMARY KEY, name text, amount numeric(12,2), born date, updated_at timestamptz, local_at timestamp,
      active boolean, note text, photo bytea, big bigint, extra jsonb)`);
    await client.query(`INSERT INTO ${schema}.persons
      SELECT i, CASE WHEN i = 1 THEN '张三' ELSE '用户' || i END, 1000 + i + 0.5, DATE '1990-01-01' + i,
        TIMESTAMPTZ '2024-03-01 08:00:00+08' + i * INTERVAL '1 second', TIMESTAMP '2024-03-01 08:00:00.25' + i * INTERVAL '1 minute',
        i % 2 = 1, CASE WHEN i = 1 THEN NULL ELSE '备注' || i END, '\\x00ff'::bytea, 9007199254740993, '{"k": [1, 2]}'::jsonb
      FROM generate_series(1, 25) AS i`);
  });
  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
    await p?.db.drop();
  });

  it('reads a schema-qualified table through a cursor: header, batches, values as text', async () => {
    const row = await p.save('postgres', { url, table: `${schema}.persons`, batchSize: 10 });
    const { header, batches, rows } = await readAll(p, row);
    expect(header).toEqual(['id', 'name', 'amount', 'born', 'updated_at', 'local_at', 'active', 'note', 'photo', 'big', 'extra']);
    expect(batches.map((b) => b.rows.length)).toEqual([10, 10, 5]);
    expect(rows[0]!.cells).toEqual([
      '1',
      '张三',
      '1001.50',
      '1990-01-02',
      '2024-03-01T08:00:01',
      '2024-03-01T08:01:00.250',
      'true',
      null,
      'AP8=',
      '9007199254740993',
      '{"k": [1, 2]}',
    ]);
    expect(rows[1]!.cells[6]).toBe('false');
  });

  it('reads TIMESTAMPTZ as wall-clock time in the configured offset (China Standard Time by default)', async () => {
    const cst = await readAll(p, await p.save('postgres', { url, query: `SELECT updated_at FROM ${schema}.persons WHERE id = 1` }));
    expect(cst.rows[0]!.cells).toEqual(['2024-03-01T08:00:01']);
    const utc = await readAll(p, await p.save('postgres', { url, query: `SELECT updated_at FROM ${schema}.persons WHERE id = 1`, utcOffset: '+00:00' }));
    expect(utc.rows[0]!.cells).toEqual(['2024-03-01T00:00:01']);
  });

  it('incremental on a query: only newer rows, the largest value as the new watermark', async () => {
    const first = await p.save(
      'postgres',
      { url, query: `SELECT id, updated_at FROM ${schema}.persons` },
      { mode: 'incremental', watermark_column: 'updated_at' },
    );
    const all = await readAll(p, first);
    expect(all.rows).toHaveLength(25);
    const mark = all.opened.watermark!();
    expect(mark).toBe('2024-03-01 08:00:25+08');

    await client.query(`INSERT INTO ${schema}.persons (id, name, updated_at) VALUES (26, '新用户', TIMESTAMPTZ '2024-03-02 09:00:00+08'), (27, NULL, NULL)`);
    const next = await readAll(
      p,
      await p.save(
        'postgres',
        { url, query: `SELECT id, updated_at FROM ${schema}.persons` },
        { mode: 'incremental', watermark_column: 'updated_at', watermark: mark },
      ),
    );
    expect(next.rows.map((r) => r.cells)).toEqual([['26', '2024-03-02T09:00:00']]);
    expect(next.opened.watermark!()).toBe('2024-03-02 09:00:00+08');
    await client.query(`DELETE FROM ${schema}.persons WHERE id > 25`);
  });

  it('never writes, and a failing query names the server but not the password', async () => {
    const write = await p.save('postgres', { url, query: `DELETE FROM ${schema}.persons RETURNING id` });
    expect((await failure(readAll(p, write))).message).toMatch(/only a SELECT/);
    // A SELECT with a side effect meets the READ ONLY transaction.
    await client.query(`CREATE SEQUENCE ${schema}.seq`);
    const err = await failure(readAll(p, await p.save('postgres', { url, query: `SELECT nextval('${schema}.seq')` })));
    expect(err.message).toMatch(/read-only/);
    expect((await client.query(`SELECT count(*)::int n FROM ${schema}.persons`)).rows[0].n).toBe(25);

    const missing = await failure(readAll(p, await p.save('postgres', { url, table: `${schema}.nothing` })));
    expect(missing.code).toBe('COLLECTION_UNREADABLE');
    expect(missing.message).toContain('does not exist');
    expect(missing.message).toContain(`postgres://${new URL(url).host}`);
    expect(missing.message).not.toContain('never-Sh0wn');
  });
});

describe('source kind: http', () => {
  type Item = Record<string, unknown>;
  const items: Item[] = Array.from({ length: 7 }, (_, k) => ({ id: k + 1, name: `名称${k + 1}`, updated: `2024-03-0${k + 1}`, score: k * 1.5 }));
  // The first record lacks 'score' and has 'extra'; a later one carries a key never seen before.
  items[0] = { id: 1, name: '名称1', updated: '2024-03-01', extra: { a: 1 } };
  items[5] = { ...items[5], late: 'ignored' };
  items[6] = { ...items[6], id: 2 ** 60 };
  const requests: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  let server: http.Server;
  let base: string;
  let p: Platform;

  beforeAll(async () => {
    p = await platform();
    server = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      requests.push({ url: req.url!, headers: req.headers });
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      const since = u.searchParams.get('since');
      const pool = since ? items.filter((i) => String(i.updated) > since) : items;
      switch (u.pathname) {
        case '/paged': {
          const page = Number(u.searchParams.get('page'));
          const size = Number(u.searchParams.get('size'));
          return send(200, { code: 0, data: { items: pool.slice((page - 1) * size, page * size) } });
        }
        case '/offset': {
          const offset = Number(u.searchParams.get('offset'));
          // Caps the page below the size asked: paging must still read everything.
          const limit = Math.min(Number(u.searchParams.get('limit')), 2);
          return send(200, pool.slice(offset, offset + limit));
        }
        case '/cursor': {
          const at = Number(u.searchParams.get('cursor') ?? 0);
          return send(200, { rows: pool.slice(at, at + 3), meta: { next: at + 3 < pool.length ? String(at + 3) : null } });
        }
        case '/broken':
          return u.searchParams.get('page') === '1' ? send(200, { data: items.slice(0, 3) }) : send(503, 'upstream busy', 'text/plain');
        case '/html':
          return send(200, '<html>login</html>', 'text/html');
        default:
          return send(404, { error: 'no' });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await p?.db.drop();
  });

  it('page paging: header from the first page, one batch per page, stops on an empty page; sends headers', async () => {
    requests.length = 0;
    const row = await p.save('http', {
      url: `${base}/paged?appKey=k-secret`,
      itemsPath: 'data.items',
      paging: { kind: 'page', pageParam: 'page', sizeParam: 'size', size: 3, startPage: 1 },
      headers: { Authorization: 'Bearer s3cret-token' },
    });
    const { header, batches, opened } = await readAll(p, row);
    expect(header).toEqual(['id', 'name', 'updated', 'extra', 'score']);
    expect(batches.map((b) => b.rows.length + b.rejects.length)).toEqual([3, 3, 1]);
    expect(requests.map((r) => new URL(r.url, 'http://x').searchParams.get('page'))).toEqual(['1', '2', '3', '4']);
    expect(requests[0]!.headers.authorization).toBe('Bearer s3cret-token');
    const rows = batches.flatMap((b) => b.rows);
    expect(rows[0]!.cells).toEqual(['1', '名称1', '2024-03-01', '{"a":1}', null]);
    expect(rows[1]!.cells).toEqual(['2', '名称2', '2024-03-02', null, '1.5']);
    expect(rows.find((r) => r.cells[0] === '6')!.cells).toHaveLength(5);
    // An integer JSON cannot carry exactly is rejected with its row number, not rounded.
    expect(batches[2]!.rejects).toEqual([expect.objectContaining({ rowNumber: 7, reason: expect.stringContaining('too large') })]);
    expect(opened.bytesRead!()).toBeGreaterThan(100);
  });

  it('offset paging advances by what arrived (servers cap page sizes)', async () => {
    const row = await p.save('http', { url: `${base}/offset`, paging: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', size: 5 } });
    const { batches } = await readAll(p, row);
    expect(batches.map((b) => b.rows.length + b.rejects.length)).toEqual([2, 2, 2, 1]);
  });

  it('cursor paging stops when there is no next cursor; maxPages stops earlier', async () => {
    const row = await p.save('http', {
      url: `${base}/cursor`,
      itemsPath: 'rows',
      paging: { kind: 'cursor', cursorParam: 'cursor', nextCursorPath: 'meta.next' },
    });
    expect((await readAll(p, row)).batches.map((b) => b.rows.length + b.rejects.length)).toEqual([3, 3, 1]);
    const capped = await p.save('http', { url: `${base}/cursor`, itemsPath: 'rows', maxPages: 2, paging: { kind: 'cursor', nextCursorPath: 'meta.next' } });
    expect((await readAll(p, capped)).batches).toHaveLength(2);
  });

  it('incremental: sends the saved watermark, reports the largest field value', async () => {
    requests.length = 0;
    const row = await p.save(
      'http',
      { url: `${base}/paged`, itemsPath: 'data.items', paging: { kind: 'page', size: 3 }, watermarkParam: 'since', watermarkField: 'updated' },
      { mode: 'incremental', watermark: '2024-03-04' },
    );
    const { rows, opened } = await readAll(p, row);
    expect(rows.map((r) => r.cells[0])).toEqual(['5', '6']);
    expect(new URL(requests[0]!.url, 'http://x').searchParams.get('since')).toBe('2024-03-04');
    expect(opened.watermark!()).toBe('2024-03-07');
  });

  it('an empty first page gives the resource item codes as the header, so an up-to-date pull loads nothing without failing', async () => {
    const row = await p.save(
      'http',
      { url: `${base}/paged`, itemsPath: 'data.items', paging: { kind: 'page', size: 3 }, watermarkParam: 'since', watermarkField: 'updated' },
      { mode: 'incremental', watermark: '2024-12-31' },
    );
    const { header, rows, opened } = await readAll(p, row);
    expect(header).toEqual(['uscc', 'org_name', 'reg_date']);
    expect(rows).toEqual([]);
    expect(opened.watermark!()).toBe('2024-12-31');
  });

  it('a failing page fails with the URL (secrets masked) and the status; a non-JSON answer too', async () => {
    const row = await p.save('http', { url: `${base}/broken?token=t0ps3cret`, itemsPath: 'data', paging: { kind: 'page', size: 3 } });
    const err = await failure(readAll(p, row));
    expect(err.code).toBe('COLLECTION_UNREADABLE');
    expect(err.message).toContain(`${base}/broken?token=***`);
    expect(err.message).toContain('HTTP 503');
    expect(err.message).not.toContain('t0ps3cret');
    const html = await failure(readAll(p, await p.save('http', { url: `${base}/html`, paging: { kind: 'page' } })));
    expect(html.message).toMatch(/did not answer JSON \(content-type text\/html, 18 bytes\)/);
    // What an answer says never comes back: it could be an internal page.
    expect(html.message).not.toContain('login');
    expect(err.message).not.toContain('upstream busy');
    const down = await failure(readAll(p, await p.save('http', { url: 'http://127.0.0.1:9/x', paging: { kind: 'page' } })));
    expect(down.message).toContain('GET http://127.0.0.1:9/x?page=1&size=100 failed');
  });
});
