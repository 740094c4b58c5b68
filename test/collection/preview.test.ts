import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { sniffFormat } from '../../src/modules/collection/sniff-format.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, seedRegions } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Synthetic keys: 'T' and digits, never a real citizen ID number. */
const pid = (i: number) => `T${String(i).padStart(17, '0')}`;

function peopleResource(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '预览测试人口',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, nullable: false },
      { code: 'sex', name: '性别代码', dataType: 'STRING', length: 1, primaryKey: false },
      { code: 'household_size', name: '家庭人口数', dataType: 'INTEGER', primaryKey: false },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
      { code: 'note', name: '备注', dataType: 'STRING', length: 50, primaryKey: false },
    ],
    ...over,
  });
}

function peopleCsv(rows: number, bad: (i: number) => boolean = () => false): string {
  const lines = ['身份证号,姓名,性别,家庭人口,出生日期,备注,民族'];
  for (let i = 1; i <= rows; i++)
    lines.push(`${pid(i)},张${i},${i % 2 ? 1 : 2},${bad(i) ? 'many' : (i % 5) + 1},1990-01-${String((i % 28) + 1).padStart(2, '0')},x,汉族`);
  return `${lines.join('\n')}\n`;
}

describe('sniffFormat', () => {
  it('tells XLSX by the ZIP signature, a JSON array, NDJSON, CSV and TSV by their first bytes', () => {
    expect(sniffFormat(Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('xlsx');
    expect(sniffFormat(Buffer.from('\uFEFF \n [{"a":1}]'))).toBe('json');
    expect(sniffFormat(Buffer.from('{"a":1}\n{"a":2}\n'))).toBe('ndjson');
    expect(sniffFormat(Buffer.from('a,b\n1,2\n'))).toBe('csv');
    expect(sniffFormat(Buffer.from('a\tb\n1\t2\n'))).toBe('tsv');
    expect(sniffFormat(Buffer.from('PK\x05\x06', 'latin1'))).toBeNull();
    expect(sniffFormat(Buffer.from([0x00, 0x01, 0x2c]))).toBeNull();
    expect(sniffFormat(Buffer.from('just words\n'))).toBeNull();
  });
});

describeEachDialect('collection: the upload preview (dryRun) stores nothing; uploads by code; formats sniffed', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let dataDir: string;
  let resource: { id: string; code: string };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-preview-'));
    t = await buildTestApp(db, { dataDir });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) });
    expect(res.statusCode).toBe(201);
    resource = res.json();
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (ref: string, body: string | Buffer, query: string, headers: Record<string, string> = { 'content-type': 'text/csv' }, token = t.adminToken) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${encodeURIComponent(ref)}/uploads?${query}`,
      headers: { ...bearer(token), ...headers },
      payload: body,
    });
  /** What a load leaves behind: job rows, record tables (registry and database), files in the data folder. */
  const footprint = async () => ({
    jobs: Number(
      (
        await db.db
          .selectFrom('collection_jobs')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    registered: Number(
      (
        await db.db
          .selectFrom('record_tables')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    tables: (await db.db.introspection.getTables()).map((x) => x.name).sort(),
    audit: Number(
      (
        await db.db
          .selectFrom('audit_events')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    files: ['incoming', 'scratch'].flatMap((d) => (fs.existsSync(path.join(dataDir, d)) ? fs.readdirSync(path.join(dataDir, d)) : [])),
  });

  it('shows how each header maps, the unfilled items, the first rows typed and their rejects; stores nothing', async () => {
    await t.services.mappings.put(SYSTEM_ACTOR, resource.id, { 备注: null });
    const before = await footprint();
    const res = await post(
      resource.id,
      peopleCsv(30, (i) => i === 3),
      'dryRun=true&fileName=people.csv',
    );
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ dryRun: true, format: 'csv', loadable: true, problems: [], more: true });
    expect(p.headers).toEqual([
      { index: 0, header: '身份证号', status: 'mapped', itemCode: 'person_id', how: 'synonym' },
      { index: 1, header: '姓名', status: 'mapped', itemCode: 'full_name', how: 'name' },
      { index: 2, header: '性别', status: 'mapped', itemCode: 'sex', how: 'synonym' },
      { index: 3, header: '家庭人口', status: 'mapped', itemCode: 'household_size', how: 'prefix' },
      { index: 4, header: '出生日期', status: 'mapped', itemCode: 'birth_date', how: 'name' },
      { index: 5, header: '备注', status: 'skipped', reason: expect.any(String) },
      { index: 6, header: '民族', status: 'unmapped', reason: expect.stringContaining('no data item') },
    ]);
    expect(p.unfilledItems).toEqual([{ code: 'note', name: '备注', required: false }]);
    expect(p.rows).toHaveLength(19);
    expect(p.rows[0]).toEqual({ rowNumber: 2, values: { person_id: pid(1), full_name: '张1', sex: '1', household_size: 2, birth_date: '1990-01-02' } });
    expect(p.rejects).toEqual([{ rowNumber: 4, field: '家庭人口', reason: expect.stringMatching(/^家庭人口数: /) }]);
    expect(await footprint()).toEqual(before);
    await t.services.mappings.put(SYSTEM_ACTOR, resource.id, {});
  });

  it('previews an XLSX (read in the worker pool) and a file that would be refused, storing nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人口');
    ws.addRow(['公民身份号码', '名字', '家庭人口数']);
    ws.addRow([pid(7), '李七', 3]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await footprint();
    // No file name, no content type: told from the bytes.
    const res = await post(resource.code, xlsx, 'dryRun=true', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      format: 'xlsx',
      loadable: true,
      more: false,
      rows: [{ rowNumber: 2, values: { person_id: pid(7), full_name: '李七', household_size: 3 } }],
    });
    expect(res.json().headers[1]).toMatchObject({ header: '名字', itemCode: 'full_name', how: 'synonym' });
    const refused = await post(resource.id, '姓名,性别\n张三,1\n', 'dryRun=true&fileName=x.csv');
    expect(refused.json()).toMatchObject({
      loadable: false,
      problems: [expect.stringContaining('person_id')],
      unfilledItems: expect.arrayContaining([{ code: 'person_id', name: '公民身份号码', required: true }]),
    });
    expect(await footprint()).toEqual(before);
  });

  it('an officer of another department may not preview; an unknown code is 404', async () => {
    expect((await post(resource.code, peopleCsv(1), 'dryRun=true&fileName=p.csv', { 'content-type': 'text/csv' }, t.deptB.token)).statusCode).toBe(403);
    expect((await post('301001/99999', peopleCsv(1), 'dryRun=true&fileName=p.csv')).statusCode).toBe(404);
  });

  it('uploads by resource code, and tells XLSX, JSON and CSV from the bytes when nothing names the format', async () => {
    const csv = await post(resource.code, peopleCsv(2), 'wait=true', {});
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json().job).toMatchObject({ status: 'succeeded', resourceId: resource.id, format: 'csv', rows: { read: 2, inserted: 2 } });
    const json = await post(resource.code, JSON.stringify([{ 身份证号: pid(10), 姓名: '王十' }]), 'wait=true', { 'content-type': 'application/octet-stream' });
    expect(json.json().job).toMatchObject({ status: 'succeeded', format: 'json', rows: { inserted: 1 } });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRows([
      ['公民身份号码', '姓名'],
      [pid(11), '钱十一'],
    ]);
    const xlsx = await post(resource.code, Buffer.from(await wb.xlsx.writeBuffer()), 'wait=true', {});
    expect(xlsx.json().job).toMatchObject({ status: 'succeeded', format: 'xlsx', rows: { inserted: 1 } });
    const unknown = await post(resource.code, 'plain words\n', 'wait=true', {});
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toContain('format=');
  });
});

describe('kuaiji collect mappings and collect load --dry-run (the CLI, as an operator runs it)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-cli-preview-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const kuaiji = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent' };
      delete env.KUAIJI_DATABASE_URL;
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  it('sets and gets a mapping by resource code, then previews a file with it, storing nothing', async () => {
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    let code: string;
    try {
      await migrateToLatest(storage);
      const services = buildServices(storage, undefined, { dataDir: dir });
      await seedRegions(services);
      const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市公安局' }));
      code = (await services.resources.create(SYSTEM_ACTOR, peopleResource(dept.id))).code;
      await services.jobs.stop();
    } finally {
      await storage.close();
    }
    const set = await kuaiji('collect', 'mappings', 'set', code, '户主=full_name', '备注=-');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('备注=-\n户主=full_name\n');
    const get = await kuaiji('collect', 'mappings', 'get', code);
    expect(get.stdout).toBe('备注=-\n户主=full_name\n');
    const bad = await kuaiji('collect', 'mappings', 'frob', code);
    expect(bad.code).toBe(2);
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, `身份证号,户主,备注\n${pid(1)},张一,x\n${pid(2)},,y\n`);
    const dry = await kuaiji('collect', 'load', code, file, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('身份证号 → person_id (synonym)');
    expect(dry.stdout).toContain('户主 → full_name (saved)');
    expect(dry.stdout).toContain('备注 → skipped');
    expect(dry.stdout).toMatch(/row 3: rejected \(户主\): 姓名: required but empty/);
    const check = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      expect(await check.db.selectFrom('collection_jobs').selectAll().execute()).toEqual([]);
      expect(await check.db.selectFrom('record_tables').selectAll().execute()).toEqual([]);
    } finally {
      await check.close();
    }
    expect(fs.existsSync(path.join(dir, 'incoming')) ? fs.readdirSync(path.join(dir, 'incoming')) : []).toEqual([]);
  });
});
