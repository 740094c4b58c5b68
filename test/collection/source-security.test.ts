import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, type Services } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import { pulledSourceKinds } from '../../src/modules/collection/sources/default-source-kinds.js';
import { openConfig } from '../../src/modules/collection/sources/sealed-config.js';
import { restoreSecrets } from '../../src/modules/collection/sources/secrets.js';
import { parseAllowList } from '../../src/shared/allow-list.js';
import { databaseUrlProblem } from '../../src/modules/collection/sources/security/connection-target.js';
import { selectProblem } from '../../src/modules/collection/sources/security/read-only-sql.js';
import { decodeKey, loadSecretKey, seal, unseal } from '../../src/shared/secret-box.js';
import { createTargetGuard, resolveSourceSecurity } from '../../src/modules/collection/sources/security/source-security.js';
import { createSourcesRepository, type SourceRow } from '../../src/modules/collection/sources/sources.repository.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { toJson } from '../../src/storage/dialect.js';
import type { CollectionJobTable } from '../../src/storage/schema.js';
import { describeEachDialect, TEST_PG_URL, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleResource } from './collection-fixtures.js';

/**
 * Pull sources are not a way into the platform (issue 7, items 2, 3 and 5): targets inside this
 * machine only when listed, never the platform's own database, one read-only SELECT with a
 * statement timeout, a stored secret never sent to a changed target, secrets encrypted at rest.
 */
const MYSQL_URL = process.env.KUAIJI_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const KEY = randomBytes(32).toString('hex');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-sec-'));
const withPg = (database: string, user?: string) => {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  return u.toString();
};

async function up(probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return false;
  }
}
const pgUp = await up(async () => {
  const c = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  await c.end();
});
const mysqlUp = await up(async () => (await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })).end());

async function thrown(work: Promise<unknown> | (() => unknown)): Promise<AppError> {
  const err = await (typeof work === 'function' ? Promise.resolve().then(work) : work).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A local HTTP server counting the requests it gets; `/to/<port>` redirects to that port on 127.0.0.1. */
async function jsonServer() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url!);
    const to = /^\/to\/(\d+)/.exec(req.url!);
    if (to) {
      res.writeHead(302, { location: `http://127.0.0.1:${to[1]}/data` });
      return res.end();
    }
    if (req.url!.startsWith('/secret-page')) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end('INTERNAL-ADMIN-PAGE root:x:0:0');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: new URL(req.url!, 'http://x').searchParams.get('page') === '1' ? [{ uscc: 'a', org_name: 'b' }] : [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
}

/** A fake PostgreSQL server: asks for a clear-text password and keeps every byte it receives. */
async function fakePostgres() {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (b) => {
      received.push(b);
      // AuthenticationCleartextPassword: a real client answers with the password.
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    text: () => Buffer.concat(received).toString('latin1'),
    connections: () => received.length,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('allow-list and target guard', () => {
  const guard = (allow: string[], platform: string | null = null) => createTargetGuard({ allow, platformDatabaseUrl: platform });

  it('refuses loopback, link-local, unspecified and IPv4-mapped forms unless listed', async () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '169.254.169.254', '0.0.0.0', '::ffff:127.0.0.1', 'fe80::1', 'localhost']) {
      const err = await thrown(guard([]).check({ host, port: 5432, family: 'postgres', database: 'x' }));
      expect(err.code, host).toBe('SOURCE_TARGET_REFUSED');
      expect(err.message).toMatch(/KUAIJI_SOURCE_ALLOW/);
    }
    expect(await guard(['127.0.0.1']).check({ host: '127.0.0.1', port: 5432, family: 'postgres' })).toBe('127.0.0.1');
    expect(await guard(['127.0.0.0/8']).check({ host: '127.8.9.10', port: 1, family: 'http' })).toBe('127.8.9.10');
    expect(await guard(['127.0.0.1']).check({ host: '::ffff:127.0.0.1', port: 1, family: 'http' })).toBe('::ffff:127.0.0.1');
    // A port in the entry allows that port only.
    await guard(['127.0.0.1:5432']).check({ host: '127.0.0.1', port: 5432, family: 'postgres' });
    expect((await thrown(guard(['127.0.0.1:5432']).check({ host: '127.0.0.1', port: 6379, family: 'http' }))).code).toBe('SOURCE_TARGET_REFUSED');
    // A public address needs no entry.
    expect(await guard([]).check({ host: '203.0.113.9', port: 5432, family: 'postgres' })).toBe('203.0.113.9');
  });

  it("refuses the platform's own PostgreSQL database even when its host is listed, by name, address or port", async () => {
    const own = 'postgres://kuaiji:pw@127.0.0.1:5432/kuaiji?options=-c%20search_path%3Dx';
    const g = guard(['127.0.0.1', 'localhost', '::1'], own);
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const err = await thrown(g.check({ host, port: 5432, family: 'postgres', database: 'kuaiji' }));
      expect(err.message, host).toMatch(/platform's own database/);
    }
    // Another database or port on that server, when listed, is another target.
    await g.check({ host: '127.0.0.1', port: 5432, family: 'postgres', database: 'department' });
    await g.check({ host: '127.0.0.1', port: 5433, family: 'postgres', database: 'kuaiji' });
  });

  it('rejects allow-list entries it does not understand', () => {
    expect(() => parseAllowList(['10.0.0.0/40'])).toThrow(/prefix/);
    expect(() => parseAllowList(['http://x'])).toThrow(/not a host/);
    expect(() => parseAllowList(['db.dept.example:5432', '[::1]:5432', '10.0.0.0/8', 'fd00::/8'])).not.toThrow();
  });
});

describe('connection targets and stored secrets', () => {
  it('refuses URL parameters that could redirect the connection or read files', () => {
    expect(databaseUrlProblem('postgres://hr:pw@10.0.0.5:5432/hr?host=127.0.0.1&port=31999')).toMatch(/'host' is not accepted/);
    expect(databaseUrlProblem('postgres://hr:pw@10.0.0.5/hr?sslrootcert=/etc/shadow')).toMatch(/not accepted/);
    expect(databaseUrlProblem('postgres://hr:pw@10.0.0.5/hr?options=-c%20default_transaction_read_only%3Doff')).toMatch(/not accepted/);
    expect(databaseUrlProblem('mysql://u:pw@10.0.0.5/db?socketPath=/tmp/mysql.sock')).toMatch(/not accepted/);
    expect(databaseUrlProblem('postgres://hr:pw@10.0.0.5/hr?sslmode=verify-full')).toBeNull();
    expect(databaseUrlProblem('postgres://:pw@10.0.0.5/hr')).toMatch(/no user/);
  });

  it('*** keeps the stored password only while host, port, user, database and sslmode stay the same', async () => {
    const stored = { url: 'postgres://hr:Pw-Secret@10.0.0.5:5432/hr' };
    expect(new URL(restoreSecrets({ url: 'postgres://hr:***@10.0.0.5/hr' }, stored).url).password).toBe('Pw-Secret');
    for (const url of [
      'postgres://hr:***@10.0.0.5:31999/hr',
      'postgres://hr:***@10.0.0.5:5432/other',
      'postgres://root:***@10.0.0.5:5432/hr',
      'postgres://hr:***@10.0.0.5:5432/hr?sslmode=require',
      'postgres://hr:***@10.0.0.5:5432/hr?host=127.0.0.1&port=31999',
      'mysql://hr:***@10.0.0.5:5432/hr',
    ]) {
      const err = await thrown(() => restoreSecrets({ url }, stored));
      expect(err.code, url).toBe('SOURCE_SECRET_REQUIRED');
      expect(err.status).toBe(400);
    }
  });
});

describe('read-only SELECT', () => {
  it('accepts one SELECT or WITH … SELECT and refuses everything else up front', () => {
    for (const q of [
      'select 1',
      "SELECT a FROM t WHERE b = 'x;y' -- ;",
      'with a as (select 1) select * from a',
      '(select 1)',
      "select 'it''s', \"update\" from t",
    ]) {
      expect(selectProblem(q), q).toBeNull();
    }
    for (const q of [
      'delete from t',
      'select 1; delete from t',
      'update t set a = 1',
      'with d as (delete from t returning *) select * from d',
      'select * from t for update',
      'select * into x from t',
      "select pg_read_file('/etc/hostname')",
      "select lo_import('/etc/passwd')",
      "select 'x\\', pg_read_file('/etc/passwd') --'",
      "select 1 # 2, pg_read_file('/x')",
      'select 1 /*! ; drop table t */',
      "select set_config('statement_timeout', '0', false)",
      "select load_file('/etc/passwd')",
      'select $$ ; $$',
    ]) {
      expect(selectProblem(q), q).not.toBeNull();
    }
  });
});

describe('secrets at rest: AES-256-GCM', () => {
  it('opens only with the same key and for the same source', () => {
    const sealed = seal('{"url":"postgres://u:pw@h/db"}', KEY, 'source 1');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain('pw@');
    expect(unseal(sealed, KEY, 'source 1')).toBe('{"url":"postgres://u:pw@h/db"}');
    expect(() => unseal(sealed, randomBytes(32).toString('hex'), 'source 1')).toThrow();
    expect(() => unseal(sealed, KEY, 'source 2')).toThrow();
  });

  it('takes KUAIJI_SECRET_KEY as hex or base64; without it generates a 0600 key file once', () => {
    const raw = randomBytes(32);
    expect(decodeKey(raw.toString('hex'))).toEqual(raw);
    expect(decodeKey(raw.toString('base64'))).toEqual(raw);
    expect(decodeKey('too-short')).toBeNull();
    expect(() => loadSecretKey('too-short', tmp())).toThrow(/32 bytes/);
    const dir = tmp();
    const first = loadSecretKey(undefined, dir);
    expect(first.created).toBe(path.join(dir, 'source-secret.key'));
    expect(fs.statSync(first.created!).mode & 0o777).toBe(0o600);
    const again = loadSecretKey(undefined, dir);
    expect(again).toEqual({ key: first.key, created: null });
  });
});

describeEachDialect('pull sources cannot reach the platform', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  let strict: Services;
  let api: Awaited<ReturnType<typeof jsonServer>>;
  let resource: string;
  const repo = createSourcesRepository();
  const reader = `kj_reader_${randomBytes(4).toString('hex')}`;
  const deptSchema = `kj_sec_${randomBytes(4).toString('hex')}`;

  const post = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/collection/sources', headers: bearer(t.adminToken), payload });
  const put = (id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/collection/sources/${id}`, headers: bearer(t.adminToken), payload });
  const runNow = async (id: string) =>
    (await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/run?wait=true`, headers: bearer(t.adminToken) })).json().job;
  const httpConfig = (url: string) => ({ url, itemsPath: 'data', paging: { kind: 'page', size: 5 } });
  /** A row saved directly (as an older version, or a hand-edited database, would have it): no check on the way in. */
  async function storeRow(kind: string, config: Record<string, unknown>): Promise<string> {
    const at = new Date().toISOString();
    const row: SourceRow = {
      id: newId(),
      resource_id: resource,
      name: `stored ${kind}`,
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
    };
    await repo.insert(db.db, row);
    return row.id;
  }

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    api = await jsonServer();
    // Local servers listed; the PostgreSQL department role is not a superuser, so privileged roles stay refused.
    t = await buildTestApp(db, { sources: { security: { allow: ['127.0.0.1'], secretKey: KEY, statementTimeoutMs: 1500 } } });
    // The administrator's default: nothing on this machine is listed.
    strict = buildServices(db, systemClock, { dataDir: tmp(), sources: { security: { secretKey: KEY } } });
    resource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    if (pgUp) {
      const c = new pg.Client({ connectionString: withPg('postgres') });
      await c.connect();
      await c.query(`CREATE ROLE ${reader} LOGIN`);
      await c.query(`CREATE SCHEMA ${deptSchema}`);
      await c.query(`CREATE TABLE ${deptSchema}.t (id int)`);
      await c.query(`GRANT USAGE ON SCHEMA ${deptSchema} TO ${reader}; GRANT SELECT ON ${deptSchema}.t TO ${reader}`);
      await c.end();
    }
  });
  afterAll(async () => {
    await t?.services.jobs.drained();
    await t?.services.jobs.stop();
    await strict?.jobs.stop();
    await t?.app.close();
    await api?.close();
    if (pgUp) {
      const c = new pg.Client({ connectionString: withPg('postgres') });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${deptSchema} CASCADE`);
      await c.query(`DROP ROLE IF EXISTS ${reader}`);
      await c.end();
    }
    await db?.drop();
  });

  it('without KUAIJI_SOURCE_ALLOW, a loopback target is refused on save, on test and in a job, and never contacted', async () => {
    const before = api.seen.length;
    const http = await thrown(
      strict.sources.create(SYSTEM_ACTOR, {
        resourceId: resource,
        name: 'x',
        kind: 'http',
        mode: 'full',
        schedule: 'manual',
        enabled: true,
        config: httpConfig(`http://127.0.0.1:${api.port}/data`),
      } as never),
    );
    expect(http.code).toBe('SOURCE_TARGET_REFUSED');
    const byName = await thrown(
      strict.sources.create(SYSTEM_ACTOR, {
        resourceId: resource,
        name: 'x',
        kind: 'postgres',
        mode: 'full',
        schedule: 'manual',
        enabled: true,
        config: { url: 'postgres://u@localhost:5432/db', table: 't' },
      } as never),
    );
    expect(byName.code).toBe('SOURCE_TARGET_REFUSED');

    const id = await storeRow('http', httpConfig(`http://127.0.0.1:${api.port}/data`));
    expect((await thrown(strict.sources.test(SYSTEM_ACTOR, id))).code).toBe('SOURCE_TARGET_REFUSED');
    const job = (await strict.sources.run(SYSTEM_ACTOR, id, { wait: true })).job;
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/refused/);
    expect(api.seen.length).toBe(before);

    // Listed (the test app), the same source works.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/test`, headers: bearer(t.adminToken) })).statusCode).toBe(200);
    expect(api.seen.length).toBeGreaterThan(before);
  });

  it('a redirect is checked like the URL, and what an answer says never comes back in the error', async () => {
    const other = await jsonServer();
    try {
      // Only the API's port is listed: its redirect to another local port is refused before any request.
      const narrow = buildServices(db, systemClock, { dataDir: tmp(), sources: { security: { allow: [`127.0.0.1:${api.port}`], secretKey: KEY } } });
      const id = await storeRow('http', httpConfig(`http://127.0.0.1:${api.port}/to/${other.port}`));
      const err = await thrown(narrow.sources.test(SYSTEM_ACTOR, id));
      expect(err.code).toBe('SOURCE_TARGET_REFUSED');
      expect(other.seen).toEqual([]);
      await narrow.jobs.stop();

      const page = await storeRow('http', httpConfig(`http://127.0.0.1:${api.port}/secret-page`));
      const shown = await thrown(t.services.sources.test(SYSTEM_ACTOR, page));
      expect(shown.message).toContain('HTTP 500');
      expect(shown.message).not.toMatch(/INTERNAL-ADMIN-PAGE|root:x/);
    } finally {
      await other.close();
    }
  });

  it('secrets are encrypted at rest; plain secrets of older rows are sealed at start and still work', async () => {
    const res = await post({
      resourceId: resource,
      name: 'api',
      kind: 'http',
      schedule: 'manual',
      config: { ...httpConfig(`http://127.0.0.1:${api.port}/data?appKey=K3y-At-Rest`), headers: { Authorization: 'Bearer H3ader-At-Rest' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = (await repo.find(db.db, res.json().id))!;
    expect(JSON.stringify(row)).not.toMatch(/K3y-At-Rest|H3ader-At-Rest/);
    expect(row.secrets).toMatch(/^v1:/);
    expect(openConfig(row, KEY)).toMatchObject({ headers: { Authorization: 'Bearer H3ader-At-Rest' } });
    expect(() => openConfig(row, randomBytes(32).toString('hex'))).toThrow(/do not open/);

    const legacy = await storeRow('http', {
      ...httpConfig(`http://127.0.0.1:${api.port}/data?appKey=Old-Plain-K3y`),
      headers: { 'X-Api-Key': 'Old-Plain-H3ader' },
    });
    expect(JSON.stringify(await repo.find(db.db, legacy))).toContain('Old-Plain-K3y');
    expect(await t.services.sources.sealStoredSecrets()).toBeGreaterThanOrEqual(1);
    expect(await t.services.sources.sealStoredSecrets()).toBe(0);
    const sealedRow = (await repo.find(db.db, legacy))!;
    expect(JSON.stringify(sealedRow)).not.toMatch(/Old-Plain-K3y|Old-Plain-H3ader/);
    const before = api.seen.length;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${legacy}/test`, headers: bearer(t.adminToken) })).statusCode).toBe(200);
    expect(api.seen.slice(before)[0]).toContain('appKey=Old-Plain-K3y');
  });

  (pgUp ? it : it.skip)('a stored password never reaches a changed target (fake listener on a random port)', async () => {
    const fake = await fakePostgres();
    try {
      const created = await post({
        resourceId: resource,
        name: 'pg',
        kind: 'postgres',
        schedule: 'manual',
        config: { url: withPg('postgres', reader).replace('@', ':Pw-Never-Leaks@'), table: `${deptSchema}.t` },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id, config } = created.json();
      const masked = new URL(config.url);
      const tries = [
        `${masked.toString()}?host=127.0.0.1&port=${fake.port}`,
        masked.toString().replace(`:${masked.port || 5432}/`, `:${fake.port}/`),
        masked.toString().replace('127.0.0.1', 'localhost').replace(`:${masked.port}/`, `:${fake.port}/`),
      ];
      for (const url of tries) {
        const res = await put(id, { resourceId: resource, name: 'pg', kind: 'postgres', schedule: 'manual', config: { ...config, url } });
        expect(res.statusCode, url).toBe(400);
        expect(['SOURCE_SECRET_REQUIRED', 'VALIDATION_FAILED']).toContain(res.json().code);
        expect(res.json().errors[0].path).toMatch(/^body\.config\.url/);
      }
      // The source still points where it did, and works there.
      const test = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${id}/test`, headers: bearer(t.adminToken) });
      expect(test.statusCode, test.body).toBe(200);
      expect(fake.connections()).toBe(0);
      expect(fake.text()).not.toContain('Pw-Never-Leaks');
    } finally {
      await fake.close();
    }
  });

  (pgUp ? it : it.skip)("the platform's own PostgreSQL database is refused even with 127.0.0.1 listed", async () => {
    const own = new URL(TEST_PG_URL);
    const payload = (url: string) => ({
      resourceId: resource,
      name: 'own',
      kind: 'postgres',
      schedule: 'manual',
      config: { url, table: 'collection_sources' },
    });
    const url = withPg(own.pathname.slice(1), own.username || 'postgres');
    const res = await post(payload(url));
    if (dialect === 'postgres') {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'SOURCE_TARGET_REFUSED', detail: expect.stringMatching(/platform's own database/) });
      const byName = await post(payload(url.replace('127.0.0.1', 'localhost')));
      expect(byName.json().code).toBe('SOURCE_TARGET_REFUSED');
      // Saved by other means, it is refused when it runs.
      const id = await storeRow('postgres', { url, query: 'select token_hash from api_tokens' });
      const job = await runNow(id);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/platform's own database/);
    } else {
      // On SQLite the platform's database is a file; that PostgreSQL database is just another listed server.
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  (pgUp ? it : it.skip)('a superuser role is refused, pg_read_file is refused, and pg_sleep(3600) ends at the statement timeout', async () => {
    const asSuperuser = await post({
      resourceId: resource,
      name: 'su',
      kind: 'postgres',
      schedule: 'manual',
      config: { url: withPg('postgres', 'postgres'), table: `${deptSchema}.t` },
    });
    expect(asSuperuser.statusCode).toBe(201);
    const su = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${asSuperuser.json().id}/test`, headers: bearer(t.adminToken) });
    expect(su.statusCode).toBe(400);
    expect(su.json()).toMatchObject({ code: 'SOURCE_TARGET_REFUSED', detail: expect.stringMatching(/superuser/) });

    const readFile = await post({
      resourceId: resource,
      name: 'f',
      kind: 'postgres',
      schedule: 'manual',
      config: { url: withPg('postgres', reader), query: "select pg_read_file('/etc/hostname')" },
    });
    expect(readFile.statusCode).toBe(400);
    expect(readFile.json().errors[0]).toMatchObject({ path: 'body.config.query', message: expect.stringMatching(/pg_read_file/) });
    const stored = await storeRow('postgres', { url: withPg('postgres', reader), query: "select pg_read_file('/etc/hostname')" });
    const fileJob = await runNow(stored);
    expect(fileJob.status).toBe('failed');
    expect(fileJob.error).toMatch(/pg_read_file\(\) is not accepted/);
    expect(fileJob.error).not.toContain(os.hostname());

    const sleep = await post({
      resourceId: resource,
      name: 's',
      kind: 'postgres',
      schedule: 'manual',
      config: { url: withPg('postgres', reader), query: 'select pg_sleep(3600)' },
    });
    expect(sleep.statusCode, sleep.body).toBe(201);
    const started = Date.now();
    const job = await runNow(sleep.json().id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/statement timeout \(1\.5 s\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

(mysqlUp ? describe : describe.skip)('MySQL/MariaDB source: statement timeout and privileged users', () => {
  let db: TestDb;
  let resourceId: string;
  const dir = tmp();
  const kinds = (options: Parameters<typeof resolveSourceSecurity>[0]) => pulledSourceKinds(resolveSourceSecurity({ secretKey: KEY, ...options }, dir, null));

  beforeAll(async () => {
    const { DIALECTS } = await import('../dialects.js');
    db = await DIALECTS[0].fresh();
    const services = buildServices(db, systemClock, { dataDir: dir });
    const { seedRegions, departmentInput, resourceInput } = await import('../factories.js');
    await seedRegions(services);
    const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput());
    resourceId = (await services.resources.create(SYSTEM_ACTOR, resourceInput(dept.id))).id;
  });
  afterAll(async () => db?.drop());

  async function open(config: Record<string, unknown>, k: ReturnType<typeof kinds>) {
    const at = new Date().toISOString();
    const row: SourceRow = {
      id: newId(),
      resource_id: resourceId,
      name: 'm',
      kind: 'mysql',
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
    };
    await createSourcesRepository().insert(db.db, row);
    const job = { id: newId(), source_id: row.id } as CollectionJobTable;
    const stream = await (await k.mysql.open({ db: db.db, job })).open();
    for await (const _ of stream.batches) void _;
  }

  it('SELECT SLEEP(3600) ends at the statement timeout with a clear error', async () => {
    const started = Date.now();
    const err = await thrown(
      open({ url: MYSQL_URL, query: 'SELECT SLEEP(3600) AS s', statementTimeoutMs: 1500 }, kinds({ allow: ['127.0.0.1'], allowPrivilegedRoles: true })),
    );
    expect(err.message).toMatch(/statement timeout \(1\.5 s\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a user holding FILE or SUPER (root) is refused unless allowed', async () => {
    const err = await thrown(open({ url: MYSQL_URL, query: 'SELECT 1 AS n' }, kinds({ allow: ['127.0.0.1'] })));
    expect(err.code).toBe('SOURCE_TARGET_REFUSED');
    expect(err.message).toMatch(/FILE or SUPER/);
  });
});

(pgUp ? describe : describe.skip)('PostgreSQL source: the statement timeout bounds each round trip, not a slow consumer', () => {
  let db: TestDb;
  let resourceId: string;
  const dir = tmp();

  beforeAll(async () => {
    const { DIALECTS } = await import('../dialects.js');
    db = await DIALECTS[0].fresh();
    const services = buildServices(db, systemClock, { dataDir: dir });
    const { seedRegions, departmentInput, resourceInput } = await import('../factories.js');
    await seedRegions(services);
    const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput());
    resourceId = (await services.resources.create(SYSTEM_ACTOR, resourceInput(dept.id))).id;
  });
  afterAll(async () => db?.drop());

  it('reads 50 rows over more than twice the timeout, one FETCH at a time', async () => {
    const kinds = pulledSourceKinds(
      resolveSourceSecurity({ secretKey: KEY, allow: ['127.0.0.1'], allowPrivilegedRoles: true, statementTimeoutMs: 1000 }, dir, null),
    );
    const at = new Date().toISOString();
    const row: SourceRow = {
      id: newId(),
      resource_id: resourceId,
      name: 'slow',
      kind: 'postgres',
      mode: 'full',
      watermark_column: null,
      watermark: null,
      config: toJson({ url: withPg('postgres', 'postgres'), query: 'select g from generate_series(1, 50) g', batchSize: 10 }),
      schedule: 'manual',
      enabled: true,
      next_run_at: null,
      last_job_id: null,
      created_at: at,
      updated_at: at,
    };
    await createSourcesRepository().insert(db.db, row);
    const stream = await (await kinds.postgres.open({ db: db.db, job: { id: newId(), source_id: row.id } as CollectionJobTable })).open();
    const started = Date.now();
    let rows = 0;
    for await (const batch of stream.batches) {
      rows += batch.rows.length;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(rows).toBe(50);
    expect(Date.now() - started).toBeGreaterThan(2000);
  });
});
