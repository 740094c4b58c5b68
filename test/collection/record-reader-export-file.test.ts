import iconv from 'iconv-lite';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRecordReader, type ReadAccess, type ReadRecord, type RecordEntry } from '../../src/modules/collection/records/record-reader.js';
import { createExportThreads } from '../../src/modules/collection/records/export-threads.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, uploadCsv, type TestApp } from '../test-app.js';

const ROWS = 3000; // more than one batch of an export thread (2,000 rows) and one page in this thread (1,000)
const BIG = '9007199254740993';
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Row i of the upload: every data type, masked items, text that needs quoting, nulls, keys beyond a double. */
function cells(i: number): string[] {
  return [
    i % 2 ? '330602' : '330603',
    i === 1 ? BIG : String(i),
    i === 3 ? '欧阳娜娜' : `张${i}`,
    `T1060219900101${pad(i % 10000, 4)}`,
    `138${pad(i, 8)}`,
    i % 5 === 0 ? '' : i % 7 === 0 ? ' 前后空格 ' : `第${i}行, "引号"\n换行€😀`,
    i === 1 ? BIG : String(i * 1000),
    i === 1 ? '123456789012345678.123456' : `${i}.5`,
    i === 1 ? '0.1' : String(i / 8),
    `1990-01-${pad((i % 28) + 1, 2)}`,
    `2024-03-01 08:${pad(i % 60, 2)}:00.${i % 10 === 0 ? '5' : '123456'}`,
    i % 3 === 0 ? '否' : '是',
    Buffer.from([0, 1, 2, 255, i % 256]).toString('base64'),
  ];
}
const CODES = ['region', 'seq_no', 'full_name', 'citizen_id', 'mobile', 'note', 'big_count', 'amount', 'ratio', 'birth_date', 'updated_at', 'active', 'photo'];
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const UPLOAD = `${CODES.join(',')}\n${Array.from({ length: ROWS }, (_, n) =>
  cells(n + 1)
    .map(quote)
    .join(','),
).join('\n')}\n`;

/** The download files as they were written before export files existed: records from export(), one cell at a time. */
function referenceCsvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function referenceCsv(header: string[], codes: string[], records: ReadRecord[]): string {
  return `\ufeff${[header.map(referenceCsvCell).join(','), ...records.map((r) => codes.map((c) => referenceCsvCell(r[c])).join(','))].map((l) => `${l}\r\n`).join('')}`;
}
function referenceJson(codes: string[], records: ReadRecord[]): string {
  const objects = records.map((r) => JSON.stringify(Object.fromEntries(codes.map((c) => [c, r[c] ?? null]))));
  return `[${objects.map((o, n) => `${n ? ',' : ''}\n${o}`).join('')}${objects.length ? '\n' : ''}]\n`;
}

async function bytesOf(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const c of chunks) all.push(c);
  return Buffer.concat(all);
}

describeEachDialect('record reader: file exports (CSV, JSON) from an export thread', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let entry: RecordEntry;
  let header: string[];
  const threads = createExportThreads({ idleMs: 1000 });
  const masked: ReadAccess = { actor: null, scope: 'none', masked: true };
  const clear = (): ReadAccess => ({ actor: SYSTEM_ACTOR, scope: 'all', masked: false, reason: '测试' });
  const inThread = () => createRecordReader({ db: db.db, auditor: t.services.auditor, databaseUrl: db.url, exportThreads: threads });
  const here = () => createRecordReader({ db: db.db, auditor: t.services.auditor });

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const r = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        name: '导出契约测试',
        items: [
          { code: 'region', name: '区划', dataType: 'STRING', length: 6, primaryKey: true },
          { code: 'seq_no', name: '序号', dataType: 'INTEGER', primaryKey: true },
          { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, maskingRule: 'NAME' },
          { code: 'citizen_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: false, maskingRule: 'CITIZEN_ID' },
          { code: 'mobile', name: '手机号码', dataType: 'STRING', length: 11, primaryKey: false, maskingRule: 'MOBILE' },
          { code: 'note', name: '备注, "说明"', dataType: 'TEXT', primaryKey: false },
          { code: 'big_count', name: '大整数', dataType: 'INTEGER', primaryKey: false, maskingRule: 'FULL' },
          { code: 'amount', name: '金额', dataType: 'DECIMAL', length: 24, precision: 6, primaryKey: false },
          { code: 'ratio', name: '比例', dataType: 'DOUBLE', primaryKey: false },
          { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
          { code: 'updated_at', name: '更新时间', dataType: 'DATETIME', primaryKey: false },
          { code: 'active', name: '是否有效', dataType: 'BOOLEAN', primaryKey: false },
          { code: 'photo', name: '照片', dataType: 'BINARY', primaryKey: false },
        ],
      }),
    );
    expect(await uploadCsv(t, r.id, UPLOAD)).toMatchObject({ status: 'succeeded', rows: { read: ROWS, inserted: ROWS, rejected: 0 } });
    // Loads trim cells: text with edge spaces (which a CSV cell must quote) is written to the table directly.
    const { table_name } = await db.db.selectFrom('record_tables').select('table_name').where('resource_id', '=', r.id).executeTakeFirstOrThrow();
    const edges: [number, string][] = [
      [10, '\u3000全角空格开头'],
      [20, '制表结尾\t'],
      [30, ' 两边 '],
      [40, '不换行空格\u00a0'],
      [50, '中间 空格'],
      [60, '回车\r'],
    ];
    for (const [seq, note] of edges) await sql`update ${sql.table(table_name)} set note = ${note} where seq_no = ${seq}`.execute(db.db);
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

  const recordsOf = async (access: ReadAccess, query: Parameters<ReturnType<typeof here>['export']>[2] = {}) => {
    const out: ReadRecord[] = [];
    for await (const r of await here().export(entry, access, query)) out.push(r);
    return out;
  };

  it('writes the same CSV bytes from the thread, in this thread and from the records, masked and unmasked', async () => {
    for (const access of [masked, clear()]) {
      const records = await recordsOf(access);
      expect(records).toHaveLength(ROWS);
      const expected = referenceCsv(header, CODES, records);
      const fromThread = await bytesOf(await inThread().exportFile(entry, access, {}, { kind: 'csv', header, encoding: 'utf-8' }));
      const fromHere = await bytesOf(await here().exportFile(entry, access, {}, { kind: 'csv', header, encoding: 'utf-8' }));
      expect(fromThread.toString('utf8')).toBe(expected);
      expect(fromHere.equals(fromThread)).toBe(true);
    }
    // Masks are applied in the thread: a masked name, ID and number, never the stored value.
    const text = (await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'utf-8' }))).toString('utf8');
    const line = text.split('\r\n').find((l) => l.startsWith('330602,3,'))!;
    expect(line.split(',').slice(0, 5)).toEqual(['330602', '3', '欧阳**', 'T10602********0003', '138****0003']);
    expect(line).toContain(',"第3行, ""引号""\n换行€😀",****,');
    expect(text).not.toContain('欧阳娜娜');
    expect(text).not.toContain('T1060219900101');
    expect(text).toContain(`330602,${BIG},张*,`);
    expect(text).toContain(',"\u3000全角空格开头",****,');
    expect(text).toContain(',"制表结尾\t",****,');
    expect(text).toContain(',中间 空格,****,');
  });

  it('writes GBK that decodes to the UTF-8 file (no BOM; what GBK lacks becomes ?), and JSON equal to the records, filters and projection applied', async () => {
    const utf8 = (await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'utf-8' }))).toString('utf8');
    const gbk = await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'gbk' }));
    // As iconv-lite encodes the whole text at once; what GBK cannot hold (😀) becomes '?'.
    expect(gbk.equals(iconv.encode(utf8.replace(/^\ufeff/, ''), 'gbk'))).toBe(true);
    expect(iconv.decode(gbk, 'gbk')).toContain('换行€?"');
    const gbkHere = await bytesOf(await here().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'gbk' }));
    expect(gbkHere.equals(gbk)).toBe(true);

    const query = { items: ['seq_no', 'full_name', 'amount', 'active', 'photo', 'updated_at'], filters: [{ item: 'active', op: 'eq' as const, value: true }] };
    const records = await recordsOf(masked, query);
    expect(records.length).toBe(ROWS - Math.floor(ROWS / 3));
    const json = await bytesOf(await inThread().exportFile(entry, masked, query, { kind: 'json' }));
    expect(json.toString('utf8')).toBe(referenceJson(query.items, records));
    expect(JSON.parse(json.toString('utf8'))).toEqual(records);
    const none = await bytesOf(await inThread().exportFile(entry, masked, { filters: [{ item: 'region', op: 'eq', value: '000000' }] }, { kind: 'json' }));
    expect(none.toString('utf8')).toBe('[]\n');
    const headerOnly = await bytesOf(
      await inThread().exportFile(
        entry,
        masked,
        { items: ['seq_no'], filters: [{ item: 'region', op: 'eq', value: '000000' }] },
        { kind: 'csv', header: ['序号'], encoding: 'utf-8' },
      ),
    );
    expect(headerOnly.toString('utf8')).toBe('\ufeff序号\r\n');
  });

  it('checks the request before streaming, and audits the rows handed over, also when the consumer stops early', async () => {
    await expect(inThread().exportFile(entry, masked, { items: ['nope'] }, { kind: 'json' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(inThread().exportFile({ ...entry, classified: true }, masked, {}, { kind: 'json' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    let taken = 0;
    for await (const _ of await inThread().exportFile(entry, clear(), {}, { kind: 'csv', header, encoding: 'utf-8' })) if (++taken === 1) break;
    await bytesOf(await inThread().exportFile(entry, clear(), {}, { kind: 'csv', header, encoding: 'utf-8' }));
    const trail = (await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?action=records.export&limit=2', headers: bearer(t.auditorToken) })).json()
      .items as { detail: { rows: number; masked: boolean; unmasked?: boolean; reason?: string } }[];
    expect(trail[0]!.detail).toMatchObject({ rows: ROWS, masked: false, unmasked: true, reason: '测试' });
    // The first stopped after its first chunk: fewer rows than the table, more than none.
    expect(trail[1]!.detail.rows).toBeGreaterThan(0);
    expect(trail[1]!.detail.rows).toBeLessThan(ROWS);
  });

  it('keeps the event loop free while the thread writes: timers fire on time during an export', async () => {
    // Warm the thread first (its start is not what is measured).
    await bytesOf(await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'utf-8' }));
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    let bytes = 0;
    for (let n = 0; n < 5; n++) {
      for await (const c of await inThread().exportFile(entry, masked, {}, { kind: 'csv', header, encoding: 'gbk' })) {
        bytes += c.length;
        await sleep(0);
      }
    }
    delay.disable();
    expect(bytes).toBeGreaterThan(5 * ROWS * 60);
    // The thread reads, masks and encodes; this thread only takes chunks: no long synchronous stretch.
    expect(delay.max / 1e6).toBeLessThan(100);
  });
});
