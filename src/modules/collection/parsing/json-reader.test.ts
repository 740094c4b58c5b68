import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { UnreadableFileError } from './errors.js';
import { readJsonArray, type JsonReadOptions } from './json-reader.js';
import { readNdjson } from './ndjson-reader.js';
import type { ByteSource, ParsedRow, RecordStream, RejectedRow } from './types.js';

async function collect(stream: RecordStream): Promise<{ header: readonly string[]; rows: ParsedRow[]; rejects: RejectedRow[] }> {
  const rows: ParsedRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const batch of stream.batches) {
    rows.push(...batch.rows);
    rejects.push(...batch.rejects);
  }
  return { header: stream.header, rows, rejects };
}
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
const readArray = async (s: ByteSource, o?: JsonReadOptions) => collect(await readJsonArray(s, o));
const readLines = async (s: ByteSource, o?: JsonReadOptions) => collect(await readNdjson(s, o));

describe('readJsonArray', () => {
  const doc = `[
    {"citizen_id": "330602199001011237", "name": "张三", "age": 35, "tags": ["a", "b"], "note": "含 ] 和 } 和 \\" 的文本"},
    {"citizen_id": "330602199001011245", "name": null, "age": 7.5, "active": true},
    {"name": "王五"}
  ]`;

  it('streams the elements of a top-level array; the header is the first object’s keys', async () => {
    const r = await readArray(utf8(doc));
    expect(r.header).toEqual(['citizen_id', 'name', 'age', 'tags', 'note']);
    expect(r.rows[0]).toEqual({ rowNumber: 1, cells: ['330602199001011237', '张三', '35', '["a","b"]', '含 ] 和 } 和 " 的文本'] });
    expect(r.rejects).toEqual([{ rowNumber: 2, reason: 'keys not in the header: active', raw: expect.stringContaining('"active": true') }]);
    expect(r.rows[1]).toEqual({ rowNumber: 3, cells: [null, '王五', null, null, null] });
  });

  it('uses the given columns and gives the same result at any chunk size', async () => {
    const columns = ['citizen_id', 'name', 'age', 'active', 'tags', 'note'];
    const whole = await readArray(utf8(doc), { columns });
    expect(whole.rejects).toEqual([]);
    expect(whole.rows[1]).toEqual({ rowNumber: 2, cells: ['330602199001011245', null, '7.5', 'true', null, null] });
    for (const size of [1, 2, 3, 7]) expect(await readArray(pieces(utf8(doc), size), { columns })).toEqual(whole);
  });

  it('rejects bad elements by position and keeps going', async () => {
    const r = await readArray(utf8('[{"a":1}, {"a":}, 42, {"a": 123456789012345678}, , {"a":"ok"},]'));
    expect(r.rows).toEqual([
      { rowNumber: 1, cells: ['1'] },
      { rowNumber: 6, cells: ['ok'] },
    ]);
    expect(r.rejects.map((x) => [x.rowNumber, x.reason.replace(/:.*/, '')])).toEqual([
      [2, 'not valid JSON'],
      [3, 'not a JSON object but number'],
      [4, "the number 123456789012345680 is too large to be exact; send it as a string in 'a'"],
      [5, 'empty array element'],
    ]);
  });

  it('reports a truncated file and ignores content after the array', async () => {
    const truncated = await readArray(utf8('[{"a":1},{"a":2'));
    expect(truncated.rows).toHaveLength(1);
    expect(truncated.rejects).toEqual([{ rowNumber: 2, reason: 'the file ends inside this element: it is truncated', raw: '{"a":2' }]);
    const trailing = await readArray(utf8('[{"a":1}] [{"a":2}]'));
    expect(trailing.rows).toHaveLength(1);
    expect(trailing.rejects[0]!.reason).toBe('content after the end of the top-level array was ignored');
  });

  it('reports an unclosed string that runs to the end of the file, saying so', async () => {
    const r = await readArray(pieces(utf8(`[{"a":"x"},{"a":"never closed ${'y'.repeat(200)}`), 16), { maxRecordLength: 100 });
    expect(r.rows).toHaveLength(1);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]!.reason).toMatch(/longer than 100 characters, and the file ends inside it/);
  });

  it('rejects only an element longer than the limit and reads the ones after it, even when it comes first', async () => {
    const big = `{"a":"${'y'.repeat(300)}"}`;
    for (const size of [16, 4096]) {
      const r = await readArray(pieces(utf8(`[${big},{"a":"x"},${big},{"a":"z"}]`), size), { maxRecordLength: 100 });
      expect(r.header).toEqual(['a']);
      expect(r.rows.map((row) => [row.rowNumber, row.cells])).toEqual([
        [2, ['x']],
        [4, ['z']],
      ]);
      expect(r.rejects.map((j) => [j.rowNumber, j.reason])).toEqual([
        [1, 'element longer than 100 characters'],
        [3, 'element longer than 100 characters'],
      ]);
    }
  });

  it('refuses a file that is not an array', async () => {
    await expect(readJsonArray(utf8('{"a":1}\n{"a":2}'))).rejects.toThrow(/starts with '\{' \(for one object per line, upload it as NDJSON\)/);
    await expect(readJsonArray(utf8('  '))).rejects.toThrow(UnreadableFileError);
  });

  it('reads GBK JSON and rejects elements with undecodable bytes', async () => {
    const bytes = Buffer.concat([iconv.encode('[{"姓名":"张三"},{"姓名":"', 'gbk'), Buffer.from([0xff, 0x20]), iconv.encode('"}]', 'gbk')]);
    const r = await readArray(new Uint8Array(bytes));
    expect(r.header).toEqual(['姓名']);
    expect(r.rows).toEqual([{ rowNumber: 1, cells: ['张三'] }]);
    expect(r.rejects[0]).toMatchObject({ rowNumber: 2, reason: 'undecodable bytes: not valid gb18030' });
  });
});

describe('readNdjson', () => {
  it('reads one object per line, numbering lines, skipping blank ones, rejecting bad lines', async () => {
    const text = '{"id":"1","name":"张三"}\r\n\n{"id":"2","name":"李四"}\n{"id":"3",\n[1]\n{"id":"4","name":"赵六"}';
    for (const size of [1, 4, 1000]) {
      const r = await readLines(pieces(utf8(text), size));
      expect(r.header).toEqual(['id', 'name']);
      expect(r.rows).toEqual([
        { rowNumber: 1, cells: ['1', '张三'] },
        { rowNumber: 3, cells: ['2', '李四'] },
        { rowNumber: 6, cells: ['4', '赵六'] },
      ]);
      expect(r.rejects.map((x) => [x.rowNumber, x.reason.replace(/:.*/, '')])).toEqual([
        [4, 'not valid JSON'],
        [5, 'not a JSON object but an array'],
      ]);
    }
  });

  it('rejects an over-long line and reads on', async () => {
    const text = `{"a":"1"}\n{"a":"${'x'.repeat(300)}"}\n{"a":"3"}\n`;
    const r = await readLines(pieces(utf8(text), 32), { maxRecordLength: 100 });
    expect(r.rows.map((x) => x.rowNumber)).toEqual([1, 3]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ rowNumber: 2, reason: 'line longer than 100 characters' });
  });

  it('has an empty header and no rows for an empty file', async () => {
    const r = await readLines(utf8(''));
    expect(r).toEqual({ header: [], rows: [], rejects: [] });
  });
});
