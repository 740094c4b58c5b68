import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { HEADER_ZH, peopleResource, personRow } from './collection-fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The first bytes of an Excel 97–2003 workbook (an OLE2 compound file). */
const XLS = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

/** A department's workbook: a cover sheet first, then two sheets of people (shared strings, date cells). */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['请勿修改表头']);
  for (const [name, from] of [
    ['越城区', 501],
    ['柯桥区', 601],
  ] as const) {
    const ws = wb.addWorksheet(name);
    ws.addRow(HEADER_ZH.split(','));
    for (let i = from; i < from + 5; i++) {
      const c = personRow(i).split(',');
      ws.addRow([c[0], c[1], new Date(Date.UTC(1980, 0, i - from + 1)), Number(c[3]), Number(c[4]), '是', c[6]]);
      ws.getCell(`C${i - from + 2}`).numFmt = 'yyyy-mm-dd';
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describeEachDialect('collection: XLSX uploads choose a sheet and refuse .xls', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-xlsx-uploads-'));

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { dataDir });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) });
    expect(res.statusCode).toBe(201);
    resourceId = res.json().id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (body: Buffer, query: string, contentType = XLSX) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': contentType },
      payload: body,
    });
  const stored = async () => {
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records?limit=100`, headers: bearer(t.adminToken) });
    return (page.json().items as { person_id: string; birth_date: string }[]).map((r) => [r.person_id, String(r.birth_date).slice(0, 10)]).sort();
  };
  const incoming = () => {
    const dir = path.join(dataDir, 'incoming');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('reads the sheet named by ?sheet=; the first sheet (the cover) when none is named; an unknown name fails the job naming the sheets', async () => {
    const file = await workbook();
    const first = (await upload(file, 'fileName=people.xlsx')).json();
    expect(first.job).toMatchObject({ status: 'failed' });
    expect(first.job.error).toContain('headers found: 请勿修改表头');
    const named = (await upload(file, `fileName=people.xlsx&sheet=${encodeURIComponent('柯桥区')}`)).json();
    expect(named.job).toMatchObject({ status: 'succeeded', rows: { read: 5, inserted: 5, rejected: 0 } });
    expect(await stored()).toEqual([601, 602, 603, 604, 605].map((i, k) => [personRow(i).split(',')[0], `1980-01-0${k + 1}`]));
    // The same file, another sheet: another batch, not a duplicate.
    const other = (await upload(file, `fileName=people.xlsx&sheet=${encodeURIComponent('越城区')}`)).json();
    expect(other).toMatchObject({ duplicate: false, job: { status: 'succeeded', rows: { inserted: 5 } } });
    const missing = (await upload(file, 'fileName=people.xlsx&sheet=x')).json();
    expect(missing.job.error).toContain("no sheet named 'x' (it has: 说明, 越城区, 柯桥区)");
  });

  it('fails a truncated workbook with a plain reason and stores nothing', async () => {
    const before = await stored();
    const file = await workbook();
    const { job } = (await upload(file.subarray(0, Math.floor(file.length * 0.8)), `fileName=cut.xlsx&sheet=${encodeURIComponent('柯桥区')}`)).json();
    expect(job).toMatchObject({ status: 'failed', rows: { inserted: 0 } });
    expect(job.error).toMatch(/the workbook could not be read: .*truncated upload/);
    expect(await stored()).toEqual(before);
  });

  it('refuses ?sheet= for a format without sheets', async () => {
    const res = await upload(Buffer.from(`${HEADER_ZH}\n${personRow(701)}\n`), 'fileName=p.csv&sheet=a', 'text/csv');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.sheet' }] });
  });

  it('refuses a legacy .xls with a problem naming the format, whatever its name or type says, and keeps nothing', async () => {
    const before = incoming().length;
    for (const [query, type] of [
      ['fileName=people.xls', 'application/octet-stream'],
      ['fileName=people.xlsx', XLSX],
      ['format=xlsx', 'application/vnd.ms-excel'],
    ]) {
      const res = await upload(XLS, query!, type);
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', format: 'xls', detail: expect.stringMatching(/legacy \.xls \(Excel 97–2003/) });
    }
    expect(incoming()).toHaveLength(before);
    const jobs = await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs?resourceId=${resourceId}&limit=100`, headers: bearer(t.adminToken) });
    expect(jobs.json().items.filter((j: { sourceRef: string }) => j.sourceRef.endsWith('.xls'))).toEqual([]);
  });
});
