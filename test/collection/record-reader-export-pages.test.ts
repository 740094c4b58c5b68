import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWriter, type ExportColumn } from '../../src/modules/collection/records/export-format.js';
import { cleanCsvPage, pagedCsvOf, sqliteCsvPages } from '../../src/modules/collection/records/export-pages.js';
import { createExportThreads } from '../../src/modules/collection/records/export-threads.js';
import { createRecordReader, type ReadAccess, type ReadRecord, type RecordEntry } from '../../src/modules/collection/records/record-reader.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { buildTestApp, uploadCsv, type TestApp } from '../test-app.js';

/** What csvCell writes, as the ordinary writer does it, for the pages under test. */
function csvOf(rows: (string | null)[][]): string {
  const cell = (v: string | null) => (v === null ? '' : /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n');
}
/** A page as SQLite writes it: the cells as they are, ',' and CRLF between them. */
const page = (rows: (string | null)[][]) => Buffer.from(rows.map((r) => r.map((v) => v ?? '').join(',')).join('\r\n'));

describe('cleanCsvPage: a page written by SQLite is used only when no cell needed quoting', () => {
  const accepts = (rows: (string | null)[][]) => {
    const clean = cleanCsvPage(page(rows), rows.length, rows[0]!.length);
    // Whenever a page is accepted, its bytes are what the ordinary writer writes.
    if (clean) expect(page(rows).toString('utf8')).toBe(csvOf(rows));
    return clean;
  };

  it('accepts plain cells, empty cells, inner spaces and Chinese punctuation', () => {
    expect(accepts([['1', '越城站', '0.25', '2020-01-02', '第1次读数']])).toBe(true);
    expect(
      accepts([
        ['1', '', null, 'a b', '“引号”…'],
        ['2', 'x', '', '', ''],
      ]),
    ).toBe(true);
    expect(accepts([['only']])).toBe(true);
  });

  it('refuses any cell that needs quoting or is not plain UTF-8', () => {
    const cases: string[] = [
      'a,b',
      'say "hi"',
      'two\nlines',
      'cr\r',
      ' lead',
      'trail ',
      '\ttab',
      'vt\u000b',
      '\u3000全角',
      '尾\u00a0',
      '\u2003em',
      'x\u2028',
      '\ufeffbom',
      '\u1680',
      '\u205f',
    ];
    for (const v of cases) {
      for (const at of [0, 1, 2]) {
        const rows = [
          ['1', 'a', 'b'],
          ['2', 'c', 'd'],
        ];
        rows[1]![at] = v;
        expect(accepts(rows), JSON.stringify(v)).toBe(false);
      }
    }
    // Wrong counts: a row with a cell missing (a comma less) or one too many rows claimed.
    expect(cleanCsvPage(Buffer.from('1,a\r\n2'), 2, 2)).toBe(false);
    expect(cleanCsvPage(Buffer.from('1,a'), 2, 2)).toBe(false);
    // Bytes that are not UTF-8 are decoded (U+FFFD) by the ordinary path, so never passed on.
    expect(cleanCsvPage(Buffer.from([0x31, 0x2c, 0xe4, 0xb8]), 1, 2)).toBe(false);
  });
});

const ROWS = 3000;
const BIG = '9223372036854775807';

/** Row i: an INTEGER key beyond a double, text and numbers as stored; every 97th row has a cell that needs quoting. */
function cells(i: number): string[] {
  return [
    i === 1 ? BIG : String(i * 7),
    i % 97 === 0 ? `第${i}行, "引号"` : `站点${i % 6}`,
    i === 2 ? '123456789012345678.123456' : `${i}.25`,
    `2020-01-${String((i % 28) + 1).padStart(2, '0')}`,
    i % 5 === 0 ? '' : `第${i}次读数`,
    i === 3 ? '-9007199254740993' : String(i - 1500),
  ];
}
const CODES = ['seq', 'station', 'reading', 'measured_on', 'note', 'delta'];
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const UPLOAD = `${CODES.join(',')}\n${Array.from({ length: ROWS }, (_, n) =>
  cells(n + 1)
    .map(quote)
    .join(','),
).join('\n')}\n`;

async function bytesOf(chunks: AsyncIterable<Buffer | { bytes: Buffer }>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const c of chunks) all.push(Buffer.isBuffer(c) ? c : c.bytes);
  return Buffer.concat(all);
}

describeEachDialect('record reader: CSV pages written by SQLite (ADR 0034)', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  let entry: RecordEntry;
  let header: string[];
  let table: string;
  const threads = createExportThreads({ idleMs: 1000 });
  const masked: ReadAccess = { actor: null, scope: 'none', masked: true };
  const inThread = () => createRecordReader({ db: db.db, auditor: t.services.auditor, databaseUrl: db.url, exportThreads: threads });
  const here = () => createRecordReader({ db: db.db, auditor: t.services.auditor });
  const columns = (): ExportColumn[] => entry.items.map((i) => ({ code: i.code, dataType: i.dataType, mask: i.maskingRule ?? null }));

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const r = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        name: '分页导出测试',
        items: [
          { code: 'seq', name: '序号', dataType: 'INTEGER', primaryKey: true },
          { code: 'station', name: '站点, "名称"', dataType: 'STRING', length: 50, primaryKey: false },
          { code: 'reading', name: '读数', dataType: 'DECIMAL', length: 24, precision: 6, primaryKey: false },
          { code: 'measured_on', name: '日期', dataType: 'DATE', primaryKey: false },
          { code: 'note', name: '备注', dataType: 'TEXT', primaryKey: false },
          { code: 'delta', name: '差值', dataType: 'INTEGER', primaryKey: false },
        ],
      }),
    );
    expect(await uploadCsv(t, r.id, UPLOAD)).toMatchObject({ status: 'succeeded', rows: { read: ROWS, inserted: ROWS, rejected: 0 } });
    table = (await db.db.selectFrom('record_tables').select('table_name').where('resource_id', '=', r.id).executeTakeFirstOrThrow()).table_name;
    // Loads trim cells: edge whitespace and line breaks are written to the table directly, scattered over the pages.
    const edges: [number, string][] = [
      [7 * 300, '\u3000全角空格开头'],
      [7 * 900, '制表结尾\t'],
      [7 * 1200, ' 两边 '],
      [7 * 1500, '不换行空格\u00a0'],
      [7 * 1800, '回车\r换行\n'],
      [7 * 2100, '中间 空格'],
      [7 * 2400, '零宽\ufeff'],
    ];
    for (const [seq, note] of edges) await sql`update ${sql.table(table)} set note = ${note} where seq = ${seq}`.execute(db.db);
    await sql`update ${sql.table(table)} set note = null where seq = ${7 * 2500}`.execute(db.db);
    await sql`update ${sql.table(table)} set _deleted = ${true} where seq = ${7 * 2600}`.execute(db.db);
    if (dialect === 'sqlite')
      await sql`update ${sql.table(table)} set note = cast(${Buffer.from([0xe4, 0xb8, 0x41])} as text) where seq = ${7 * 2700}`.execute(db.db);
    const e = await t.services.catalogReader.resource(r.id, 'all');
    entry = { ...e!, items: e!.items ?? [] };
    header = (e!.items ?? []).map((i) => i.name);
  }, 120_000);

  afterAll(async () => {
    await threads.stop();
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('is chosen only for an unfiltered CSV of plain unmasked items with one key column', () => {
    const csv = { kind: 'csv', header, encoding: 'utf-8' } as const;
    const keys = [{ column: 'seq', dataType: 'INTEGER' as const }];
    const plain = { table, keys, columns: columns(), filtered: false, format: csv };
    expect(pagedCsvOf(plain)).toMatchObject({ table, key: 'seq' });
    expect(pagedCsvOf({ ...plain, format: { kind: 'json' } })).toBeNull();
    expect(pagedCsvOf({ ...plain, filtered: true })).toBeNull();
    expect(pagedCsvOf({ ...plain, keys: [...keys, { column: 'station', dataType: 'STRING' }] })).toBeNull();
    expect(pagedCsvOf({ ...plain, keys: [{ column: 'reading', dataType: 'DECIMAL' }] })).toBeNull();
    expect(pagedCsvOf({ ...plain, columns: columns().map((c) => (c.code === 'note' ? { ...c, mask: 'FULL' as const } : c)) })).toBeNull();
    expect(pagedCsvOf({ ...plain, columns: [...columns(), { code: 'ratio', dataType: 'DOUBLE', mask: null }] })).toBeNull();
  });

  it('writes the bytes of the ordinary writer, UTF-8 with a BOM and GBK, through the export thread', async () => {
    const records: ReadRecord[] = [];
    for await (const r of await here().export(entry, masked, {})) records.push(r);
    expect(records).toHaveLength(ROWS - 1);
    const cell = (v: unknown) => {
      if (v === null || v === undefined) return '';
      const s = String(v);
      return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const expected = `\ufeff${[header.map(cell).join(','), ...records.map((r) => CODES.map((c) => cell(r[c])).join(','))].map((l) => `${l}\r\n`).join('')}`;
    const fromThread = await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'utf-8' }));
    const fromHere = await bytesOf(await here().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'utf-8' }));
    expect(fromHere.toString('utf8')).toBe(expected);
    expect(fromThread.equals(fromHere)).toBe(true);
    expect(fromThread.toString('utf8')).toContain(`\r\n${BIG},站点1,1.250000,2020-01-02,第1次读数,-1499\r\n`);
    const gbk = await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'gbk' }));
    const gbkHere = await bytesOf(await here().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'gbk' }));
    expect(gbk.equals(gbkHere)).toBe(true);
    expect(gbk.equals(iconv.encode(expected.replace(/^\ufeff/, ''), 'gbk'))).toBe(true);
  });

  it('writes XLSX in the export thread with the values of the records (numbers as numbers, big integers as text), as in this thread', async () => {
    const records: ReadRecord[] = [];
    for await (const r of await here().export(entry, masked, {})) records.push(r);
    const format = { kind: 'xlsx', header, sheetName: '分页导出' } as const;
    const fromThread = await bytesOf(await inThread().exportFile(entry, masked, {}, format));
    const fromHere = await bytesOf(await here().exportFile(entry, masked, {}, format));
    for (const bytes of [fromThread, fromHere]) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.name).toBe('分页导出');
      expect(ws.rowCount).toBe(ROWS);
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(header);
      const rows = (ws.getSheetValues() as unknown[][]).slice(2).map((r) => CODES.map((_, i) => r[i + 1] ?? null));
      // XML keeps no CR (a parser reads CR and CRLF as LF), here as in the workbooks written before.
      const cell = (v: unknown) => (v === '' ? null : typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : (v ?? null));
      expect(rows).toEqual(records.map((r) => CODES.map((c) => cell(r[c]))));
    }
    expect(records.find((r) => r.seq === BIG)).toBeDefined();
  });

  it('pages through the key in small pages, clean ones as SQLite wrote them, the rest through the writer (PostgreSQL: the writer alone, same bytes)', async () => {
    const format = { kind: 'csv', header, encoding: 'utf-8' } as const;
    const plan = pagedCsvOf({ table, keys: [{ column: 'seq', dataType: 'INTEGER' }], columns: columns(), filtered: false, format })!;
    const ordinary = await bytesOf(await here().exportFile(entry, masked, {}, format));
    if (dialect !== 'sqlite') {
      // No pages on PostgreSQL: the export thread's file is the ordinary writer's, byte for byte.
      expect((await bytesOf(await inThread().exportFile(entry, masked, {}, format))).equals(ordinary)).toBe(true);
      return;
    }
    const file = db.url!.slice('sqlite:'.length);
    for (const options of [{ pageBytes: 1500, firstRows: 16 }, { pageBytes: 1, firstRows: 1 }, { firstRows: ROWS - 1 }, {}]) {
      const pages: { clean: boolean; rows: number }[] = [];
      const bytes = await bytesOf(sqliteCsvPages(file, plan, columns(), format, { ...options, onPage: (p) => pages.push(p) }));
      expect(bytes.equals(ordinary), JSON.stringify(options)).toBe(true);
      expect(pages.reduce((n, p) => n + p.rows, 0)).toBe(ROWS - 1);
      if (options.pageBytes === 1500) {
        expect(pages.length).toBeGreaterThan(50);
        expect(pages.filter((p) => p.clean).length).toBeGreaterThan(pages.length / 2);
        expect(pages.some((p) => !p.clean)).toBe(true);
      }
    }
    // A writer of the same columns gives the same lines for a clean page.
    expect(exportWriter(columns(), format).start()).toBe(`${header.map((h) => (h.includes(',') ? `"${h.replace(/"/g, '""')}"` : h)).join(',')}\r\n`);
  });
});
