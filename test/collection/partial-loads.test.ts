import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/**
 * Loads that carry only some of a resource's columns (DOMAIN.md §4): what the input does not
 * carry is never erased, what it cannot deliver is listed, and counts stay exact. Person keys are
 * synthetic ('T' + 17 digits), never a real ID number.
 */
function householdResource(departmentId: string): ResourceInput {
  return resourceInput(departmentId, {
    name: '测试户籍人口',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, nullable: false },
      { code: 'sex', name: '性别', dataType: 'STRING', length: 1, primaryKey: false },
      { code: 'household_no', name: '户号', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'address', name: '住址', dataType: 'STRING', length: 100, primaryKey: false },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
    ],
  });
}

const FULL_HEADER = '公民身份号码,姓名,性别,户号,住址,出生日期';
const key = (i: number) => `T${String(i).padStart(17, '0')}`;
type Person = { name: string; sex: string; household: string; address: string; birth: string };
const person = (i: number, over: Partial<Person> = {}): Person => ({
  name: `张${i}`,
  sex: i % 2 ? '1' : '2',
  household: `H${i}`,
  address: `绍兴市越城区测试路${i}号`,
  birth: '1990-01-02',
  ...over,
});
const fullLine = (i: number, over: Partial<Person> = {}) => {
  const p = person(i, over);
  return [key(i), p.name, p.sex, p.household, p.address, p.birth].join(',');
};
const csv = (header: string, lines: string[]) => `${[header, ...lines].join('\n')}\n`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describeEachDialect('collection: partial loads never erase what the input does not carry', (fresh) => {
  let db: TestDb;
  let t: TestApp;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const newResource = async () => (await t.services.resources.create(SYSTEM_ACTOR, householdResource(t.deptA.id))).id;
  const upload = async (id: string, body: string | Buffer, query: string, contentType = 'text/csv') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { job: Job; duplicate: boolean };
  };
  const push = async (id: string, batchId: string, body: unknown, query = '') => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${id}/batches/${batchId}?wait=true${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return (res.json() as { job: Job }).job;
  };
  const records = async (id: string) => {
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${id}/records?limit=1000&meta=true`, headers: bearer(t.adminToken) })).json();
    expect(page.nextCursor).toBeNull();
    return new Map((page.items as Record<string, unknown>[]).map((r) => [r.person_id as string, r]));
  };
  const rejects = async (jobId: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${jobId}/rejects`, headers: bearer(t.adminToken) })).json().items as Reject[];
  const stored = (r: Record<string, unknown> | undefined) =>
    r && {
      name: r.full_name,
      sex: r.sex,
      household: r.household_no,
      address: r.address,
      birth: r.birth_date === null ? null : String(r.birth_date).slice(0, 10),
    };

  it('a CSV file without some columns updates only the columns it has; counts stay exact through later partial and full loads', async () => {
    const id = await newResource();
    const first = await upload(
      id,
      csv(
        FULL_HEADER,
        range(1, 10).map((i) => fullLine(i)),
      ),
      'fileName=full.csv',
    );
    expect(first.job.rows).toMatchObject({ read: 10, inserted: 10, updated: 0, unchanged: 0 });
    expect(first.job).toMatchObject({ unmappedHeaders: [], unfilledItems: [] });

    // Names only: 1–5 as stored, 6–8 renamed, 11 new.
    const names = (i: number) => `${key(i)},${i >= 6 && i <= 8 ? `李${i}` : `张${i}`}`;
    const partial = csv('公民身份号码,姓名', [...range(1, 8), 11].map(names));
    const p = await upload(id, partial, 'fileName=names.csv');
    expect(p.job).toMatchObject({ status: 'succeeded', unmappedHeaders: [], unfilledItems: ['sex', 'household_no', 'address', 'birth_date'] });
    expect(p.job.rows).toMatchObject({ read: 9, inserted: 1, updated: 3, unchanged: 5, rejected: 0 });
    let rows = await records(id);
    expect(rows.size).toBe(11);
    expect(stored(rows.get(key(7)))).toEqual({ ...person(7, { name: '李7' }) });
    expect(stored(rows.get(key(2)))).toEqual(person(2));
    expect(stored(rows.get(key(10)))).toEqual(person(10));
    expect(stored(rows.get(key(11)))).toEqual({ name: '张11', sex: null, household: null, address: null, birth: null });
    const get = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${p.job.id}`, headers: bearer(t.adminToken) })).json();
    expect(get.unfilledItems).toEqual(['sex', 'household_no', 'address', 'birth_date']);

    // The same partial content again: rows compared column by column, nothing rewritten.
    const again = await upload(id, partial, 'fileName=names.csv&batchId=names-again');
    expect(again.job.rows).toMatchObject({ read: 9, inserted: 0, updated: 0, unchanged: 9 });

    // A full file equal to what is stored: rows a partial load updated are compared by column, and are unchanged.
    const current = (i: number) => (i === 11 ? `${key(11)},张11,,,,` : fullLine(i, i >= 6 && i <= 8 ? { name: `李${i}` } : {}));
    const same = await upload(id, csv(FULL_HEADER, range(1, 11).map(current)), 'fileName=full-same.csv');
    expect(same.job.rows).toMatchObject({ read: 11, inserted: 0, updated: 0, unchanged: 11 });
    // …and a full file with one change in such a row updates exactly that row.
    const changed = (i: number) => (i === 7 ? fullLine(7, { name: '李7', address: '绍兴市柯桥区新址' }) : current(i));
    const one = await upload(id, csv(FULL_HEADER, range(1, 11).map(changed)), 'fileName=full-changed.csv');
    expect(one.job.rows).toMatchObject({ read: 11, inserted: 0, updated: 1, unchanged: 10 });
    rows = await records(id);
    expect(stored(rows.get(key(7)))).toEqual(person(7, { name: '李7', address: '绍兴市柯桥区新址' }));
    expect((rows.get(key(7))!._meta as { batchId: string }).batchId).toBe(one.job.batchId);
    expect((rows.get(key(6))!._meta as { batchId: string }).batchId).toBe(p.job.batchId);
  });

  it('an empty cell in a column the file carries sets NULL; the columns it lacks are kept', async () => {
    const id = await newResource();
    await upload(
      id,
      csv(
        FULL_HEADER,
        range(1, 3).map((i) => fullLine(i)),
      ),
      'fileName=full.csv',
    );
    const { job } = await upload(id, csv('公民身份号码,姓名,住址', [`${key(1)},张1,`, `${key(2)},张2,${person(2).address}`]), 'fileName=addr.csv');
    expect(job.rows).toMatchObject({ read: 2, inserted: 0, updated: 1, unchanged: 1 });
    const rows = await records(id);
    expect(stored(rows.get(key(1)))).toEqual({ ...person(1), address: null });
    expect(stored(rows.get(key(2)))).toEqual(person(2));
  });

  it('a pushed JSON batch with only 公民身份号码 and 姓名 keeps sex, household and address', async () => {
    const id = await newResource();
    await upload(
      id,
      csv(
        FULL_HEADER,
        range(1, 4).map((i) => fullLine(i)),
      ),
      'fileName=full.csv',
    );
    const job = await push(id, 'names-1', [
      { 公民身份号码: key(1), 姓名: '王一' },
      { 公民身份号码: key(2), 姓名: '张2' },
      { 公民身份号码: key(5), 姓名: '新人' },
    ]);
    expect(job).toMatchObject({ status: 'succeeded', unfilledItems: ['sex', 'household_no', 'address', 'birth_date'] });
    expect(job.rows).toMatchObject({ read: 3, inserted: 1, updated: 1, unchanged: 1 });
    const rows = await records(id);
    expect(stored(rows.get(key(1)))).toEqual(person(1, { name: '王一' }));
    expect(stored(rows.get(key(2)))).toEqual(person(2));
    expect(stored(rows.get(key(5)))).toEqual({ name: '新人', sex: null, household: null, address: null, birth: null });
  });

  it('a partial snapshot marks rows missing from it deleted, and keeps the columns it lacks', async () => {
    const id = await newResource();
    await upload(
      id,
      csv(
        FULL_HEADER,
        range(1, 5).map((i) => fullLine(i)),
      ),
      'fileName=full.csv',
    );
    const { job } = await upload(id, csv('公民身份号码,姓名', [`${key(1)},王1`, `${key(2)},张2`, `${key(3)},张3`]), 'fileName=snap.csv&mode=snapshot');
    expect(job.rows).toMatchObject({ read: 3, inserted: 0, updated: 1, unchanged: 2, deleted: 2 });
    const rows = await records(id);
    expect([...rows.keys()].sort()).toEqual([key(1), key(2), key(3)]);
    expect(stored(rows.get(key(1)))).toEqual(person(1, { name: '王1' }));
  });

  it('a resource without key items (keyed by content hash) takes a partial row as a row of its own, and revives such rows', async () => {
    const input = householdResource(t.deptA.id);
    const id = (await t.services.resources.create(SYSTEM_ACTOR, { ...input, items: input.items!.map((i) => ({ ...i, primaryKey: false })) })).id;
    const partial = csv('公民身份号码,姓名', [`${key(1)},张1`, `${key(2)},张2`]);
    expect((await upload(id, partial, 'fileName=p.csv&batchId=p-1')).job.rows).toMatchObject({ read: 2, inserted: 2, unchanged: 0 });
    expect((await upload(id, partial, 'fileName=p.csv&batchId=p-2')).job.rows).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
    // A full snapshot without them marks both deleted; the partial file brings both back (two revived rows, one key each).
    const snap = await upload(id, csv(FULL_HEADER, [fullLine(3)]), 'fileName=s.csv&mode=snapshot');
    expect(snap.job.rows).toMatchObject({ inserted: 1, deleted: 2 });
    const back = await upload(id, partial, 'fileName=p.csv&batchId=p-3');
    expect(back.job).toMatchObject({ status: 'succeeded', error: null, rows: { read: 2, inserted: 0, updated: 2, unchanged: 0 } });
    const rows = await t.app.inject({ method: 'GET', url: `/api/v1/resources/${id}/records?limit=100`, headers: bearer(t.adminToken) });
    expect(rows.json().total).toBe(3);
  });

  it('a header that maps to no data item is listed on the job; with onUnmapped=reject the job fails and stores nothing', async () => {
    const id = await newResource();
    const withNote = (name: (i: number) => string) =>
      csv(
        `${FULL_HEADER},备注,`,
        range(1, 3).map((i) => `${fullLine(i, { name: name(i) })},一些备注,`),
      );
    const ok = await upload(
      id,
      withNote((i) => `张${i}`),
      'fileName=note.csv',
    );
    // The empty header of the trailing separator names nothing and is not listed.
    expect(ok.job).toMatchObject({ status: 'succeeded', unmappedHeaders: ['备注'], unfilledItems: [], rows: { inserted: 3 } });

    const before = await records(id);
    const strict = await upload(
      id,
      withNote((i) => `李${i}`),
      'fileName=note-2.csv&onUnmapped=reject',
    );
    expect(strict.job.status).toBe('failed');
    expect(strict.job.error).toMatch(/^COLLECTION_UNMAPPED_COLUMNS: .*'备注'/);
    expect(strict.job).toMatchObject({ unmappedHeaders: ['备注'], options: { onUnmapped: 'reject' } });
    expect(await records(id)).toEqual(before);

    const pushed = await push(id, 'strict-push', [{ 公民身份号码: key(9), 姓名: '不应出现', 籍贯: '绍兴' }], '&onUnmapped=reject');
    expect(pushed).toMatchObject({ status: 'failed', unmappedHeaders: ['籍贯'] });
    expect(pushed.error).toContain("'籍贯'");
    expect((await records(id)).has(key(9))).toBe(false);
    const lenient = await push(id, 'lenient-push', [{ 公民身份号码: key(9), 姓名: '出现', 籍贯: '绍兴' }], '&onUnmapped=ignore');
    expect(lenient).toMatchObject({ status: 'succeeded', unmappedHeaders: ['籍贯'], rows: { inserted: 1 } });

    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?fileName=x.csv&onUnmapped=maybe`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: 'a\n1\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('re-uploading a file after its column mapping changed loads it again; under the same mapping it stays idempotent', async () => {
    const id = await newResource();
    const file = csv(
      '公民身份号码,姓名,第三列',
      range(1, 4).map((i) => `${key(i)},张${i},${i % 2 ? '1' : '2'}`),
    );
    const first = await upload(id, file, 'fileName=codes.csv');
    expect(first).toMatchObject({ duplicate: false, job: { status: 'succeeded', unmappedHeaders: ['第三列'], rows: { inserted: 4 } } });
    expect((await records(id)).get(key(1))!.sex).toBeNull();
    expect((await upload(id, file, 'fileName=codes.csv')).duplicate).toBe(true);

    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${id}/column-mappings`,
      headers: bearer(t.adminToken),
      payload: { mappings: { 第三列: 'sex' } },
    });
    expect(put.statusCode).toBe(200);
    const mapped = await upload(id, file, 'fileName=codes.csv');
    expect(mapped.duplicate).toBe(false);
    expect(mapped.job.batchId).not.toBe(first.job.batchId);
    expect(mapped.job).toMatchObject({ status: 'succeeded', unmappedHeaders: [], rows: { read: 4, inserted: 0, updated: 4, unchanged: 0 } });
    const rows = await records(id);
    expect([1, 2, 3, 4].map((i) => rows.get(key(i))!.sex)).toEqual(['1', '2', '1', '2']);
    const again = await upload(id, file, 'fileName=codes.csv');
    expect(again).toMatchObject({ duplicate: true, job: { id: mapped.job.id } });
  });

  it('a NUL character in one cell rejects that row with row, field and reason; the other rows load', async () => {
    const id = await newResource();
    const lines = [fullLine(1), fullLine(2, { name: '张\u00002' }), fullLine(3, { birth: '1990-01-\u000003' }), fullLine(4)];
    // The unmapped header with a NUL must be storable on the job too.
    const body = csv(
      `${FULL_HEADER},备\u0000注`,
      lines.map((l) => `${l},x`),
    );
    const { job } = await upload(id, body, 'fileName=nul.csv');
    expect(job).toMatchObject({ status: 'succeeded', error: null, rows: { read: 4, inserted: 2, rejected: 2 }, unmappedHeaders: ['备\uFFFD注'] });
    const bad = await rejects(job.id);
    expect(bad.map((r) => [r.rowNumber, r.field])).toEqual([
      [3, '姓名'],
      [4, '出生日期'],
    ]);
    expect(bad[0]!.reason).toMatch(/NUL character \(U\+0000\)/);
    expect(bad.every((r) => !r.reason.includes('\u0000') && !(r.raw ?? '').includes('\u0000'))).toBe(true);
    expect([...(await records(id)).keys()].sort()).toEqual([key(1), key(4)]);
  });

  it('a lone UTF-16 surrogate in a pushed cell rejects that row the same way on every database', async () => {
    const id = await newResource();
    // JSON.stringify writes a lone surrogate as the escape \ud800, which JSON.parse turns back into one.
    const body = JSON.stringify([
      { 公民身份号码: key(1), 姓名: 'ok' },
      { 公民身份号码: key(2), 姓名: `坏\ud800名` },
      { 公民身份号码: key(3), 姓名: '𠮷' },
    ]);
    expect(body).toContain('\\ud800');
    const job = await push(id, 'surrogate-1', body);
    expect(job).toMatchObject({ status: 'succeeded', rows: { read: 3, inserted: 2, rejected: 1 } });
    const [r] = await rejects(job.id);
    expect(r).toMatchObject({ rowNumber: 2, field: '姓名', reason: expect.stringMatching(/lone UTF-16 surrogate/) });
    expect((await records(id)).get(key(3))!.full_name).toBe('𠮷');
  });

  it('a JSON record longer than the size limit is rejected alone, even as the first element', async () => {
    const id = await newResource();
    const huge = { 公民身份号码: key(1), 姓名: 'x'.repeat(8 * 1024 * 1024 + 10) };
    const body = `[${JSON.stringify(huge)},${JSON.stringify({ 公民身份号码: key(2), 姓名: '张2' })},${JSON.stringify({ 公民身份号码: key(3), 姓名: '张3' })}]`;
    const { job } = await upload(id, body, 'fileName=big.json', 'application/json');
    expect(job).toMatchObject({ status: 'succeeded', rows: { read: 3, inserted: 2, rejected: 1 } });
    const [r] = await rejects(job.id);
    expect(r).toMatchObject({ rowNumber: 1, reason: expect.stringMatching(/longer than \d+ characters/) });
    expect(r!.raw!.length).toBeLessThanOrEqual(2000);
    expect([...(await records(id)).keys()].sort()).toEqual([key(2), key(3)]);
  });
});

type Job = {
  id: string;
  batchId: string;
  status: string;
  error: string | null;
  options: Record<string, unknown>;
  rows: Record<'read' | 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'deleted', number>;
  unmappedHeaders: string[];
  unfilledItems: string[];
};
type Reject = { rowNumber: number; field: string | null; reason: string; raw: string | null };

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('kuaiji collect load: --on-unmapped and the warnings of its final lines', { timeout: 60_000 }, () => {
  let dir: string;
  let code: string;
  const kuaiji = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent' };
    delete env.KUAIJI_DATABASE_URL;
    delete env.KUAIJI_ADMIN_TOKEN;
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-partial-'));
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      await migrateToLatest(storage);
      const services = buildServices(storage, undefined, { dataDir: dir });
      await seedRegions(services);
      const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市公安局' }));
      code = (await services.resources.create(SYSTEM_ACTOR, householdResource(dept.id))).code;
      await services.jobs.stop();
    } finally {
      await storage.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('warns about unmapped headers and unfilled items; --on-unmapped reject fails and loads nothing', async () => {
    const file = path.join(dir, 'names.csv');
    fs.writeFileSync(file, csv('公民身份号码,姓名,籍贯', [`${key(1)},张1,绍兴`]));
    const strict = await kuaiji('collect', 'load', code, file, '--on-unmapped', 'reject');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/COLLECTION_UNMAPPED_COLUMNS.*'籍贯'/);
    const ok = await kuaiji('collect', 'load', code, file, '--batch-id', 'lenient-1');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 inserted');
    expect(ok.stderr).toContain("warning: not loaded, no data item for '籍贯'");
    expect(ok.stderr).toContain('warning: no column for sex, household_no, address, birth_date: their stored values were kept');
    const usage = await kuaiji('collect', 'load', code, file, '--on-unmapped', 'sometimes');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--on-unmapped');
  });
});
