import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readDelimited, type DelimitedReadOptions } from './delimited-reader.js';
import { UnreadableFileError } from './errors.js';
import type { ByteSource, ParsedRow, RecordStream, RejectedRow } from './types.js';

async function collect(stream: RecordStream): Promise<{ header: readonly string[]; rows: ParsedRow[]; rejects: RejectedRow[]; batches: number }> {
  const rows: ParsedRow[] = [];
  const rejects: RejectedRow[] = [];
  let batches = 0;
  for await (const batch of stream.batches) {
    batches++;
    rows.push(...batch.rows);
    rejects.push(...batch.rejects);
  }
  return { header: stream.header, rows, rejects, batches };
}

const read = async (source: ByteSource, options?: DelimitedReadOptions) => collect(await readDelimited(source, options));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** Feeds bytes in pieces of the given sizes, to put chunk boundaries everywhere. */
async function* pieces(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

describe('readDelimited (CSV)', () => {
  it('reads a header and rows, CRLF or LF, with a BOM', async () => {
    const r = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('姓名,性别\r\n张三,1\r\n李四,2\n')]));
    expect(r.header).toEqual(['姓名', '性别']);
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['张三', '1'] },
      { rowNumber: 3, cells: ['李四', '2'] },
    ]);
    expect(r.rejects).toEqual([]);
  });

  it('handles RFC 4180 quoting: commas, doubled quotes, newlines inside quotes', async () => {
    const csv = 'id,address,note\r\n1,"绍兴市越城区, 府山街道","He said ""hi"""\r\n2,"line one\r\nline two",x\r\n3,plain,"" \r\n';
    const r = await read(utf8(csv.replace('"" \r\n', '""\r\n')));
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['1', '绍兴市越城区, 府山街道', 'He said "hi"'] },
      { rowNumber: 3, cells: ['2', 'line one\r\nline two', 'x'] },
      { rowNumber: 4, cells: ['3', 'plain', ''] },
    ]);
  });

  it('keeps a quote inside an unquoted field as text', async () => {
    const r = await read(utf8('a,b\n5\'10",x\n'));
    expect(r.rows).toEqual([{ rowNumber: 2, cells: ['5\'10"', 'x'] }]);
  });

  it('rejects rows with the wrong number of fields, with their row number and text', async () => {
    const r = await read(utf8('a,b,c\n1,2,3\n1,2\n1,2,3,4\n"x,y",2,3\n'));
    expect(r.rows.map((row) => row.rowNumber)).toEqual([2, 5]);
    expect(r.rejects).toEqual([
      { rowNumber: 3, reason: 'expected 3 fields, found 2', raw: '1,2' },
      { rowNumber: 4, reason: 'expected 3 fields, found 4', raw: '1,2,3,4' },
    ]);
  });

  it('counts blank lines and empty ",,," rows in row numbers but does not yield them', async () => {
    const r = await read(utf8('a,b\n1,2\n\n,\n3,4\n'));
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['1', '2'] },
      { rowNumber: 5, cells: ['3', '4'] },
    ]);
  });

  it('rejects text after a closing quote', async () => {
    const r = await read(utf8('a,b\n"x"y,1\n2,3\n'));
    expect(r.rejects).toEqual([{ rowNumber: 2, reason: 'text after the closing quote in field 1', raw: '"x"y,1' }]);
    expect(r.rows).toEqual([{ rowNumber: 3, cells: ['2', '3'] }]);
  });

  it('rejects an unterminated quote at the end of the file and reads the lines after it', async () => {
    const r = await read(utf8('a,b\n1,"oops\n2,3\n'));
    expect(r.rejects).toEqual([{ rowNumber: 2, reason: 'unterminated quoted field', raw: '1,"oops' }]);
    expect(r.rows).toEqual([{ rowNumber: 3, cells: ['2', '3'] }]);
  });

  it('rejects an over-long record (a stray quote) and resynchronises on the next line', async () => {
    const lines = ['a,b', '1,"stray', ...Array.from({ length: 40 }, (_, i) => `${i},row ${i}`)];
    const r = await read(pieces(utf8(lines.join('\n') + '\n'), [16]), { maxRecordLength: 64 });
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]!.rowNumber).toBe(2);
    expect(r.rejects[0]!.reason).toMatch(/longer than 64 characters/);
    expect(r.rows.length).toBeGreaterThan(30);
    expect(r.rows.at(-1)).toEqual({ rowNumber: r.rows.at(-1)!.rowNumber, cells: ['39', 'row 39'] });
  });

  it('reads GBK bytes (a Chinese Excel export) without being told', async () => {
    const text = '公民身份号码,姓名,住址\r\n330602199001011237,张三,"浙江省绍兴市越城区,府山街道"\r\n';
    const stream = await readDelimited(new Uint8Array(iconv.encode(text, 'gbk')));
    expect(stream.encoding).toBe('gb18030');
    const r = await collect(stream);
    expect(r.header).toEqual(['公民身份号码', '姓名', '住址']);
    expect(r.rows[0]!.cells).toEqual(['330602199001011237', '张三', '浙江省绍兴市越城区,府山街道']);
  });

  it('rejects rows with undecodable bytes in a GBK file, with the right row number', async () => {
    const good = iconv.encode('姓名,住址\r\n张三,绍兴\r\n', 'gbk');
    const bad = Buffer.concat([iconv.encode('李四,', 'gbk'), Buffer.from([0xff]), iconv.encode('越城\r\n', 'gbk')]);
    const tail = iconv.encode('王五,柯桥\r\n', 'gbk');
    const r = await read(new Uint8Array(Buffer.concat([good, bad, tail])));
    expect(r.rows.map((row) => [row.rowNumber, row.cells[0]])).toEqual([
      [2, '张三'],
      [4, '王五'],
    ]);
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0]).toMatchObject({ rowNumber: 3, reason: 'undecodable bytes: not valid gb18030' });
  });

  it('rejects rows with invalid UTF-8, also inside quoted fields', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,绍兴\n2,', 'utf8'),
      Buffer.from([0xe7, 0xbb]), // a 3-byte character missing its last byte
      Buffer.from('\n3,"x', 'utf8'),
      Buffer.from([0xc0]),
      Buffer.from('"\n4,ok\n', 'utf8'),
    ]);
    const r = await read(new Uint8Array(bytes), { encoding: 'utf-8' });
    expect(r.rows.map((row) => row.rowNumber)).toEqual([2, 5]);
    expect(r.rejects.map((x) => [x.rowNumber, x.reason])).toEqual([
      [3, 'undecodable bytes: not valid utf-8'],
      [4, 'undecodable bytes: not valid utf-8'],
    ]);
  });

  it('gives the same result wherever the chunk boundaries fall', async () => {
    const text = '\uFEFF编号,名称,备注\r\n1,"绍兴, 越城","多行\r\n备注"\r\n2,柯桥,"引号""内"""\r\n\r\n3,上虞,\r\n4,"x"\r\n5,诸暨,末行';
    const bytes = utf8(text);
    const whole = await read(bytes);
    expect(whole.rows).toHaveLength(4);
    expect(whole.rejects).toHaveLength(1);
    for (const sizes of [[1], [2], [3], [5, 1, 7], [13], [2, 64]]) {
      expect(await read(pieces(bytes, sizes))).toEqual({ ...whole, batches: expect.any(Number) });
    }
    const gbkBytes = new Uint8Array(iconv.encode(text.slice(1), 'gbk'));
    const gbkWhole = await read(gbkBytes);
    expect(gbkWhole.rows).toEqual(whole.rows);
    for (const sizes of [[1], [3], [7, 2]]) expect((await read(pieces(gbkBytes, sizes))).rows).toEqual(whole.rows);
  });

  it('round-trips random quoted data at random chunk sizes (seeded fuzz)', async () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = ['a', 'b', '绍', '兴', ',', '"', '\n', '\r\n', ' ', '1', '\uD842\uDFB7'];
    const field = () => Array.from({ length: rnd(6) }, () => alphabet[rnd(alphabet.length)]).join('');
    const encode = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);
    for (let round = 0; round < 40; round++) {
      const width = 1 + rnd(4);
      const rows = Array.from({ length: 1 + rnd(30) }, () => Array.from({ length: width }, field));
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const text = [header, ...rows].map((r) => r.map(encode).join(',')).join(rnd(2) ? '\r\n' : '\n');
      const sizes = Array.from({ length: 3 }, () => 1 + rnd(9));
      const r = await read(pieces(utf8(text), sizes));
      expect(r.rejects).toEqual([]);
      // Rows whose every field is empty are skipped like blank lines.
      expect(r.rows.map((row) => row.cells)).toEqual(rows.filter((row) => row.some((f) => f !== '')));
    }
  });

  it('yields batches of about batchSize rows', async () => {
    const text = 'n\n' + Array.from({ length: 25 }, (_, i) => `${i}\n`).join('');
    const r = await read(pieces(utf8(text), [8]), { batchSize: 10 });
    expect(r.rows).toHaveLength(25);
    expect(r.batches).toBeGreaterThanOrEqual(3);
  });

  it('reads TSV', async () => {
    const r = await read(utf8('姓名\t住址\n张三\t"绍兴\t越城"\n'), { delimiter: '\t' });
    expect(r.rows).toEqual([{ rowNumber: 2, cells: ['张三', '绍兴\t越城'] }]);
  });

  it('reads a Node Readable and a file path', async () => {
    const r1 = await read(Readable.from([Buffer.from('a,b\n1,'), Buffer.from('2\n')]));
    expect(r1.rows).toEqual([{ rowNumber: 2, cells: ['1', '2'] }]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-csv-')), 'x.csv');
    fs.writeFileSync(file, iconv.encode('姓名\r\n张三\r\n', 'gbk'));
    const r2 = await read(file);
    expect(r2.rows).toEqual([{ rowNumber: 2, cells: ['张三'] }]);
  });

  it('treats a header-only file as zero rows and an empty file as unreadable', async () => {
    expect((await read(utf8('a,b\r\n'))).rows).toEqual([]);
    await expect(readDelimited(new Uint8Array())).rejects.toThrow(UnreadableFileError);
    await expect(readDelimited(utf8('\n\n'))).rejects.toThrow(/empty/);
  });

  it('closes the source when the caller stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8('n\n');
        for (let i = 0; ; i++) yield utf8(`${i}\n`.repeat(100));
      } finally {
        closed = true;
      }
    }
    const stream = await readDelimited(source(), { batchSize: 50 });
    for await (const batch of stream.batches) {
      expect(batch.rows.length).toBeGreaterThan(0);
      break;
    }
    expect(closed).toBe(true);
  });
});
