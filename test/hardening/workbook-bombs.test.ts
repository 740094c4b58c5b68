import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/modules/collection/parsing/xlsx-reader.js';
import { openXlsxPackage } from '../../src/modules/catalog/excel/xlsx-package.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { HEADER_ZH, peopleResource } from '../collection/collection-fixtures.js';
import { sharedStringsXml, sheetXml, workbookZip, zipOf, type BombEntry, type Piece } from './zip-bombs.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Row 1 holds the people resource's headers as inline strings, so a load gets past column mapping. */
const HEADER_ROW =
  '<row r="1">' +
  HEADER_ZH.split(',')
    .map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
    .join('') +
  '</row>';
const withHeader = (rows: Piece[], sharedStrings?: Piece[], sheetName?: string, extra?: BombEntry[]) =>
  workbookZip({
    sheet: sheetXml([HEADER_ROW, ...rows]),
    ...(sharedStrings ? { sharedStrings } : {}),
    ...(sheetName ? { sheetName } : {}),
    ...(extra ? { extra } : {}),
  });

/** Each bomb is small on disk and enormous (or hostile) once unzipped; the code it must end in. */
function bombs(sheetName?: string) {
  return {
    // The case: 150 million tiny shared strings; 6 million already pass the 5 million limit.
    'six million shared strings': {
      file: withHeader([], sharedStringsXml([{ text: '<si><t>a</t></si>'.repeat(1000), times: 6000 }]), sheetName),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /shared strings/,
    },
    'ten million empty rows': {
      file: withHeader([{ text: '<row/>'.repeat(1000), times: 10_000 }], undefined, sheetName),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /rows/,
    },
    'a row of three million empty cells': {
      file: withHeader(['<row r="2">', { text: '<c r="B2"/>'.repeat(1000), times: 3000 }, '</row>'], undefined, sheetName),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /cells/,
    },
    'a cell past column XFD': {
      file: withHeader(['<row r="2"><c r="AAAAAA2"><v>1</v></c></row>'], undefined, sheetName),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /column/,
    },
    'an inline string nested two million deep': {
      file: withHeader(['<row r="2"><c r="A2" t="inlineStr"><is>', { text: '<r>'.repeat(1000), times: 2000 }], undefined, sheetName),
      code: 'WORKBOOK_MALFORMED',
      reason: /deeper than 64/,
    },
    'a workbook part that declares 600 bytes and unzips to 100 MB': {
      file: zipOf([
        {
          name: 'xl/workbook.xml',
          declaredSize: 600,
          pieces: [
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            { text: '<!-- padding -->'.repeat(1000), times: 6500 },
            '</workbook>',
          ],
        },
        { name: 'xl/_rels/workbook.xml.rels', pieces: ['<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'] },
      ]),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /xl\/workbook\.xml/,
    },
    'an entry declared at 4 GB': {
      file: zipOf([
        { name: 'xl/workbook.xml', pieces: ['<workbook/>'] },
        { name: 'xl/_rels/workbook.xml.rels', pieces: ['<Relationships/>'] },
        { name: 'xl/media/image1.bin', pieces: ['x'], declaredSize: 0xf0000000 },
      ]),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /declares/,
    },
    // A workbook that reads fine entry by entry, but whose central directory declares 4 GB for one entry.
    'a central directory that declares 4 GB': {
      file: withHeader(['<row r="2"><c r="A2"><v>1</v></c></row>'], undefined, sheetName, [
        { name: 'xl/media/image1.bin', pieces: ['x'], centralSize: 0xf0000000 },
      ]),
      code: 'WORKBOOK_TOO_LARGE',
      reason: /declares xl\/media\/image1\.bin/,
    },
  } as const;
}

/** What a user may see: a reason, never exceljs's internals, a stack or a server path. */
function expectPlainReason(text: string) {
  expect(text).not.toMatch(/TypeError|RangeError|Cannot read properties|\n\s+at |node_modules|\/tmp\/|\/work\//);
}

/** Read from a file on disk, as uploads are: the ZIP directory is checked first. */
async function readAll(file: Buffer) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bomb-'));
  const at = path.join(dir, 'bomb.xlsx');
  fs.writeFileSync(at, file);
  try {
    return await readAllOf(at);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function readAllOf(file: string) {
  const stream = await readXlsx(file);
  let rows = 0;
  for await (const batch of stream.batches) rows += batch.rows.length + batch.rejects.length;
  return { header: stream.header, rows };
}

async function normalWorkbook(rows: (string | number | Date)[][], sheet = 'people') {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('workbook guard: the XLSX reader refuses bombs with a coded reason', () => {
  for (const [name, bomb] of Object.entries(bombs())) {
    it(`${name} (${(bomb.file.length / 1024).toFixed(0)} KB on disk)`, async () => {
      expect(bomb.file.length).toBeLessThan(1024 * 1024);
      const started = Date.now();
      const error = (await readAll(bomb.file).then(
        () => null,
        (e: unknown) => e,
      )) as { code?: string; message: string } | null;
      expect(error, 'the bomb was read to the end').not.toBeNull();
      // Too large keeps its code; a malformed workbook is an unreadable file to the collection reader.
      if (bomb.code === 'WORKBOOK_TOO_LARGE') expect(error!.code).toBe('WORKBOOK_TOO_LARGE');
      else expect(error!.message).toMatch(/the workbook could not be read/);
      expect(error!.message).toMatch(bomb.reason);
      expectPlainReason(error!.message);
      if (name === 'ten million empty rows') expect(Date.now() - started).toBeLessThan(3000);
    });
  }

  it('the catalogue package reader refuses a directory that declares too much, and caps what it inflates', () => {
    const b = bombs();
    expect(() => openXlsxPackage(b['an entry declared at 4 GB'].file)).toThrow(expect.objectContaining({ code: 'WORKBOOK_TOO_LARGE' }));
    expect(() => openXlsxPackage(b['a workbook part that declares 600 bytes and unzips to 100 MB'].file)).toThrow(
      expect.objectContaining({ code: 'WORKBOOK_TOO_LARGE' }),
    );
  });

  it('a sheet that is not well-formed ends in "the workbook could not be read", without internals', async () => {
    const broken = withHeader(['<row r="2"><c r="A2"><v>1</v></x></row>']);
    const error = (await readAll(broken).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^the workbook could not be read: /);
    expectPlainReason(error.message);
    // A cell without its reference (exceljs failed on it with a TypeError) is read at the next column.
    expect(await readAll(withHeader(['<row r="2"><c><v>1</v></c></row>']))).toEqual({ header: HEADER_ZH.split(','), rows: 1 });
  });

  it('normal workbooks still load: one written by exceljs, and one whose sizes come in data descriptors', async () => {
    const written = await normalWorkbook([
      ['name', 'born', 'n'],
      ['张三', new Date(Date.UTC(1990, 0, 2)), 3],
      ['李四', new Date(Date.UTC(1991, 5, 30)), 4],
    ]);
    expect(await readAll(written)).toEqual({ header: ['name', 'born', 'n'], rows: 2 });
    const streamed = workbookZip({
      descriptor: true,
      sharedStrings: sharedStringsXml(['<si><t>name</t></si><si><t>甲</t></si>']),
      sheet: sheetXml([
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        Array.from({ length: 5000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>1</v></c></row>`).join(''),
      ]),
    });
    expect(await readAll(streamed)).toEqual({ header: ['name'], rows: 5000 });
  });
});

describeEachDialect('workbook bombs through the HTTP API', (fresh) => {
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

  const upload = (file: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=bomb.xlsx`,
      headers: { ...bearer(t.adminToken), 'content-type': XLSX },
      payload: file,
    });

  for (const [name, bomb] of Object.entries(bombs())) {
    it(`an upload of ${name} fails its job with a plain reason`, async () => {
      const res = await upload(bomb.file);
      expect(res.statusCode).toBe(200);
      const { job } = res.json();
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(bomb.code === 'WORKBOOK_TOO_LARGE' ? /WORKBOOK_TOO_LARGE/ : /the workbook could not be read/);
      expect(job.error).toMatch(bomb.reason);
      expectPlainReason(job.error);
      expect(job.rows.inserted).toBe(0);
    });
  }

  for (const [name, bomb] of Object.entries(bombs('信息资源目录'))) {
    it(`POST /api/v1/catalog/import of ${name} answers ${bomb.code} as problem+json`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/catalog/import',
        headers: { ...bearer(t.adminToken), 'content-type': XLSX },
        payload: bomb.file,
      });
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.code).toBe(bomb.code);
      expect(res.statusCode).toBe(bomb.code === 'WORKBOOK_TOO_LARGE' ? 413 : 400);
      expect(problem.detail).toMatch(bomb.reason);
      expectPlainReason(JSON.stringify(problem));
    });
  }

  it('after the bombs the server still answers, and a normal workbook loads', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const file = await normalWorkbook([
      HEADER_ZH.split(','),
      ['T00000000000000001', '张一', '1990-01-02', 1000.5, 3, '是', '2024-03-01 08:00:00'],
      ['T00000000000000002', '张二', '1990-01-03', 1001.5, 2, '否', '2024-03-01 08:00:00'],
    ]);
    const { job } = (await upload(file)).json();
    expect(job).toMatchObject({ status: 'succeeded', rows: { read: 2, inserted: 2, rejected: 0 } });
  });
});
