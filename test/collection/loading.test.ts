import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { gbk, HEADER_ZH, peopleCsv, peopleResource, personRow } from './collection-fixtures.js';

describeEachDialect('collection: loading files and pushed batches', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) });
    expect(res.statusCode).toBe(201);
    resourceId = res.json().id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const upload = (body: string | Buffer, query: string, token = t.adminToken, contentType = 'text/csv') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&${query}`,
      headers: { ...bearer(token), 'content-type': contentType },
      payload: body,
    });
  const records = async () => {
    const all: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Record<string, unknown>[]; nextCursor: string | null } = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/resources/${resourceId}/records?limit=1000&meta=true${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(t.adminToken),
        })
      ).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };

  it('loads a UTF-8 CSV with Chinese headers, typed, and reports the job', async () => {
    const res = await upload(peopleCsv(1, 200), 'fileName=people.csv');
    expect(res.statusCode).toBe(200);
    const { job, duplicate } = res.json();
    expect(duplicate).toBe(false);
    expect(job).toMatchObject({ status: 'succeeded', format: 'csv', rows: { read: 200, inserted: 200, updated: 0, unchanged: 0, rejected: 0, deleted: 0 } });
    const rows = await records();
    expect(rows).toHaveLength(200);
    const first = rows.find((r) => r.person_id === 'T00000000000000001')!;
    expect(first).toMatchObject({ full_name: '张1', household_size: 2 });
    expect(String(first.birth_date)).toMatch(/^1990-01-02/);
    expect(Number(first.income)).toBe(1001.5);
    const resource = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}` })).json();
    expect(resource.recordCounts.total).toBe(200);
  });

  it('the same file again changes nothing (its hash is the batch id)', async () => {
    const { job, duplicate } = (await upload(peopleCsv(1, 200), 'fileName=people.csv')).json();
    expect(duplicate).toBe(true);
    expect(job.rows.inserted).toBe(200);
    expect(await records()).toHaveLength(200);
  });

  it('a changed file upserts: new rows inserted, changed rows updated, the rest unchanged and not rewritten', async () => {
    const before = (await records()).find((r) => r.person_id === 'T00000000000000010')!;
    const csv = peopleCsv(101, 250, (i) => (i <= 120 ? { name: `李${i}` } : {}));
    const { job } = (await upload(csv, 'fileName=people-2.csv')).json();
    expect(job.rows).toMatchObject({ read: 150, inserted: 50, updated: 20, unchanged: 80, rejected: 0 });
    const rows = await records();
    expect(rows).toHaveLength(250);
    expect(rows.find((r) => r.person_id === 'T00000000000000110')!.full_name).toBe('李110');
    // Untouched rows keep the batch that last changed them.
    expect(((await records()).find((r) => r.person_id === 'T00000000000000010')!._meta as { batchId: string }).batchId).toBe(
      (before._meta as { batchId: string }).batchId,
    );
  });

  it('a full snapshot marks rows missing from it as deleted, and they come back when sent again', async () => {
    const { job } = (await upload(peopleCsv(1, 240), 'fileName=snapshot.csv&mode=snapshot&batchId=snap-1')).json();
    expect(job.rows).toMatchObject({ read: 240, deleted: 10, inserted: 0 });
    expect(await records()).toHaveLength(240);
    const resource = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}` })).json();
    expect(resource.recordCounts.total).toBe(240);
    const back = (await upload(peopleCsv(241, 245), 'fileName=back.csv&batchId=back-1')).json();
    expect(back.job.rows).toMatchObject({ inserted: 0, updated: 5 });
    expect(await records()).toHaveLength(245);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}` })).json().recordCounts.total).toBe(245);
  });

  it('detects GBK and loads it; GB18030 and an explicit override too', async () => {
    const { job } = (await upload(gbk(peopleCsv(301, 310, () => ({ name: '欧阳娜娜' }))), 'fileName=gbk.csv')).json();
    expect(job).toMatchObject({ status: 'succeeded', encoding: expect.stringMatching(/gbk|gb18030/) });
    expect((await records()).find((r) => r.person_id === 'T00000000000000305')!.full_name).toBe('欧阳娜娜');
    const forced = (await upload(gbk(peopleCsv(311, 312)), 'fileName=x.csv&encoding=gb18030')).json();
    expect(forced.job.status).toBe('succeeded');
  });

  it('loads XLSX with Chinese headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人口');
    ws.addRow(HEADER_ZH.split(','));
    for (let i = 401; i <= 420; i++) {
      const cells = personRow(i).split(',');
      ws.addRow([cells[0], cells[1], new Date(Date.UTC(1985, 5, i - 400)), Number(cells[3]), Number(cells[4]), '否', cells[6]]);
    }
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const { job } = (await upload(buf, 'fileName=people.xlsx', t.adminToken, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).json();
    expect(job).toMatchObject({ status: 'succeeded', format: 'xlsx', rows: { read: 20, inserted: 20, rejected: 0 } });
    const r = (await records()).find((x) => x.person_id === 'T00000000000000405')!;
    expect(String(r.birth_date)).toMatch(/^1985-06-05/);
    expect(r.registered).toBe(false);
  });

  it('keeps bad rows with row number, field and reason, and loads the rest', async () => {
    const lines = [
      HEADER_ZH,
      personRow(501),
      'T00000000000000502,王五,not-a-date,1.00,1,是,2024-01-01 00:00:00', // type error
      ',无号码,1990-01-01,1.00,1,是,2024-01-01 00:00:00', // missing key
      'T00000000000000504,这个名字实在是太长了超过十个字符,1990-01-01,1.00,1,是,2024-01-01 00:00:00', // too long
      'T00000000000000505,赵六,1990-01-01', // wrong column count
      'T00000000000000506,钱七,1990-01-01,abc,1,是,2024-01-01 00:00:00', // not a decimal
      personRow(507),
    ];
    const body = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n'),
      Buffer.from('T00000000000000508,\xff\xfe坏,1990-01-01,1.00,1,是,2024-01-01 00:00:00\n', 'latin1'),
    ]);
    const { job } = (await upload(body, 'fileName=bad.csv&encoding=utf-8')).json();
    expect(job.status).toBe('succeeded');
    expect(job.rows).toMatchObject({ read: 8, inserted: 2, rejected: 6 });
    const rejects = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${job.id}/rejects`, headers: bearer(t.adminToken) })).json().items;
    const byRow = Object.fromEntries(rejects.map((r: { rowNumber: number }) => [r.rowNumber, r]));
    expect(
      Object.keys(byRow)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([3, 4, 5, 6, 7, 9]);
    expect(byRow[3]).toMatchObject({ field: '出生日期' });
    expect(byRow[4].reason).toMatch(/required/);
    expect(byRow[5].reason).toMatch(/long|characters/);
    expect(byRow[6].reason).toMatch(/field|column/);
    expect(byRow[7]).toMatchObject({ field: '年收入' });
    expect(byRow[9].reason).toMatch(/decod|encod|byte/i);
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${job.id}/rejects.csv`, headers: bearer(t.adminToken) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n').filter(Boolean)).toHaveLength(7);
  });

  it('accepts pushed JSON and NDJSON batches under a batch id; the same batch id twice changes nothing', async () => {
    const json = JSON.stringify([
      {
        公民身份号码: 'T00000000000000601',
        姓名: '推送一',
        出生日期: '2000/1/2',
        年收入: '1,234.5',
        家庭人口数: 3,
        是否登记: true,
        更新时间: '2024-05-01T10:00:00',
      },
      { 公民身份号码: 'T00000000000000602', 姓名: '推送二', 出生日期: '2000年1月3日', 年收入: null, 家庭人口数: null, 是否登记: null, 更新时间: null },
    ]);
    const push = (batchId: string, body: string, type: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resourceId}/batches/${batchId}?wait=true`,
        headers: { ...bearer(t.adminToken), 'content-type': type },
        payload: body,
      });
    const first = (await push('dept-sys-0001', json, 'application/json')).json();
    expect(first.job.rows).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    const again = await push('dept-sys-0001', JSON.stringify([{ 公民身份号码: 'T00000000000000699', 姓名: '不应出现' }]), 'application/json');
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicate).toBe(true);
    const nd = (await push('dept-sys-0002', '{"person_id":"T00000000000000603","full_name":"行一"}\n{bad json\n', 'application/x-ndjson')).json();
    expect(nd.job.rows).toMatchObject({ read: 2, inserted: 1, rejected: 1 });
    const ids = (await records()).map((r) => r.person_id);
    expect(ids).toContain('T00000000000000601');
    expect(ids).not.toContain('T00000000000000699');
  });

  it('JSON and NDJSON pushes map every key any object carries, not only the first object’s; unknown keys are reported', async () => {
    const objects = [
      { 公民身份号码: 'T00000000000000701', 姓名: '键一' },
      { 公民身份号码: 'T00000000000000702', 姓名: '键二', 年收入: '10.5', 备注: '无此项' },
      { 公民身份号码: 'T00000000000000703', 姓名: '键三', 家庭人口数: 4 },
    ];
    const bodies = { 'application/json': JSON.stringify(objects), 'application/x-ndjson': objects.map((o) => JSON.stringify(o)).join('\n') };
    for (const [type, body] of Object.entries(bodies)) {
      const id = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
      const { job } = (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/resources/${id}/batches/keys-1?wait=true`,
          headers: { ...bearer(t.adminToken), 'content-type': type },
          payload: body,
        })
      ).json();
      expect(job).toMatchObject({ status: 'succeeded', rows: { read: 3, inserted: 3, rejected: 0 }, unmappedHeaders: ['备注'] });
      expect(job.unfilledItems).toEqual(['birth_date', 'registered', 'updated_at']);
      const items = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${id}/records?limit=10`, headers: bearer(t.adminToken) })).json().items;
      const byId = Object.fromEntries(items.map((r: Record<string, unknown>) => [r.person_id, r]));
      expect(Number(byId.T00000000000000702.income)).toBe(10.5);
      expect(byId.T00000000000000703.household_size).toBe(4);
      expect(byId.T00000000000000701).toMatchObject({ full_name: '键一', income: null, household_size: null });
    }
  });

  it('a file without a required column fails the job with a clear reason and stores nothing', async () => {
    const before = (await records()).length;
    const { job } = (await upload('姓名,出生日期\n张三,1990-01-01\n', 'fileName=nokey.csv')).json();
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/公民身份号码/);
    expect(await records()).toHaveLength(before);
  });

  it('uses the saved header mapping', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${resourceId}/column-mappings`,
      headers: bearer(t.adminToken),
      payload: { mappings: { 证件号: 'person_id', 名字: 'full_name' } },
    });
    expect(put.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${resourceId}/column-mappings`,
      headers: bearer(t.adminToken),
      payload: { mappings: { x: 'nope' } },
    });
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    const { job } = (await upload('证件号,名字\nT00000000000000701,映射\n', 'fileName=mapped.csv')).json();
    expect(job.rows.inserted).toBe(1);
  });

  describe('authorisation', () => {
    it("an officer cannot load another department's resource, nor read its jobs or records", async () => {
      const res = await upload(peopleCsv(801, 802), 'fileName=x.csv', t.deptB.token);
      expect(res.statusCode).toBe(403);
      const jobs = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/jobs', headers: bearer(t.deptB.token) })).json();
      expect(jobs.items).toHaveLength(0);
      const recs = await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records`, headers: bearer(t.deptB.token) });
      expect(recs.statusCode).toBe(403);
      const own = (await t.app.inject({ method: 'GET', url: '/api/v1/collection/jobs', headers: bearer(t.deptA.token) })).json();
      expect(own.items.length).toBeGreaterThan(0);
    });
  });

  it('migrates the table when items change: add, rename, retire, without losing data', async () => {
    const resource = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}`, headers: bearer(t.adminToken) })).json();
    const items = resource.items.map((i: Record<string, unknown>) => ({
      id: i.id,
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length,
      precision: i.precision,
      primaryKey: i.primaryKey,
      nullable: i.nullable,
    }));
    const renamed = items
      .filter((i: { code: string }) => i.code !== 'household_size')
      .map((i: { code: string }) => (i.code === 'full_name' ? { ...i, code: 'person_name' } : i));
    renamed.push({ code: 'phone', name: '联系电话', dataType: 'STRING', length: 11, primaryKey: false });
    const input = peopleResource(t.deptA.id, { code: resource.code, items: renamed });
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/resources/${resourceId}`, headers: bearer(t.adminToken), payload: input })).statusCode).toBe(200);
    const { job } = (await upload('公民身份号码,姓名,联系电话\nT00000000000000901,新行,13800000000\n', 'fileName=after.csv')).json();
    expect(job.status).toBe('succeeded');
    const rows = await records();
    expect(rows.find((r) => r.person_id === 'T00000000000000001')!.person_name).toBe('张1');
    expect(rows.find((r) => r.person_id === 'T00000000000000901')).toMatchObject({ person_name: '新行', phone: '13800000000' });
    expect(rows[0]).not.toHaveProperty('household_size');
  });

  it('runs loads side by side while uploads keep arriving: none fails on a busy database', async () => {
    const others = await Promise.all([1, 2, 3].map(async () => (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id));
    const submit = (id: string, k: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/resources/${id}/uploads?fileName=p${k}.csv`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: peopleCsv(k * 1000, k * 1000 + 3000),
      });
    const submitted = [];
    for (let k = 1; k <= 6; k++) submitted.push(await submit(others[k % 3]!, k));
    expect(submitted.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202, 202]);
    const jobs = await Promise.all(submitted.map((r) => t.services.jobs.waitFor(r.json().job.id)));
    expect(jobs.map((j) => [j.status, j.error])).toEqual(jobs.map(() => ['succeeded', null]));
    expect(jobs.reduce((a, j) => a + j.rows.read, 0)).toBe(6 * 3001);
  });

  it('a key repeated within one file keeps its last row, on a first load as on later ones', async () => {
    const id = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    const send = async (csv: string, name: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${id}/uploads?wait=true&fileName=${name}`,
          headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
          payload: csv,
        })
      ).json().job;
    const first = await send(`${HEADER_ZH}\n${personRow(1)}\n${personRow(2)}\n${personRow(1, { name: '王1' })}\n`, 'dup-1.csv');
    // The last row of a key wins and counts once; the earlier rows are reported, counted nowhere else.
    expect(first).toMatchObject({
      status: 'succeeded',
      rows: { read: 3, inserted: 2, updated: 0, unchanged: 0, rejected: 0 },
      repeatedKeys: { keys: 1, rows: 1 },
    });
    const again = await send(
      `${HEADER_ZH}\n${personRow(2, { name: '王2' })}\n${personRow(2, { name: '赵2' })}\n${personRow(3)}\n${personRow(1)}\n${personRow(3)}\n${personRow(1, { name: '王1' })}\n`,
      'dup-2.csv',
    );
    expect(again).toMatchObject({
      status: 'succeeded',
      rows: { read: 6, inserted: 1, updated: 1, unchanged: 1, rejected: 0 },
      repeatedKeys: { keys: 3, rows: 3 },
    });
    const clean = await send(`${HEADER_ZH}\n${personRow(4)}\n`, 'dup-3.csv');
    expect(clean).toMatchObject({ rows: { read: 1, inserted: 1 }, repeatedKeys: { keys: 0, rows: 0 } });
    const names = Object.fromEntries(
      (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${id}/records?limit=10`, headers: bearer(t.adminToken) }))
        .json()
        .items.map((r: Record<string, unknown>) => [r.person_id, r.full_name]),
    );
    expect(names).toEqual({ T00000000000000001: '王1', T00000000000000002: '赵2', T00000000000000003: '张3', T00000000000000004: '张4' });
  });

  it('two first loads of a new resource at once: one creates its table, both load', async () => {
    for (let round = 0; round < 3; round++) {
      const id = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
      const submit = (from: number, to: number) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${id}/uploads?fileName=p${from}.csv`,
          headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
          payload: peopleCsv(from, to),
        });
      const [a, b] = await Promise.all([submit(1, 300), submit(301, 600)]);
      const jobs = await Promise.all([a, b].map((r) => t.services.jobs.waitFor(r.json().job.id)));
      expect(jobs.map((j) => [j.status, j.error, j.rows.inserted])).toEqual([
        ['succeeded', null, 300],
        ['succeeded', null, 300],
      ]);
      expect((await t.services.collection.records(SYSTEM_ACTOR, id, undefined, 1)).total).toBe(600);
    }
  });
});
