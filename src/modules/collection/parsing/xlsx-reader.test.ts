import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UnreadableFileError } from './errors.js';
import type { ParsedRow, RecordStream, RejectedRow } from './types.js';
import { readXlsx, type XlsxReadOptions } from './xlsx-reader.js';

async function collect(stream: RecordStream): Promise<{ header: readonly string[]; rows: ParsedRow[]; rejects: RejectedRow[] }> {
  const rows: ParsedRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const batch of stream.batches) {
    rows.push(...batch.rows);
    rejects.push(...batch.rejects);
  }
  return { header: stream.header, rows, rejects };
}
const read = async (bytes: Uint8Array, options?: XlsxReadOptions) => collect(await readXlsx(bytes, options));

/** A workbook like a department sends: Chinese headers, date cells, a blank row, odd cells. */
async function workbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const people = wb.addWorksheet('人口');
  people.addRow(['公民身份号码', '姓名', '出生日期', '更新时间', '人数', '备注']);
  people.addRow(['330602199001011237', '张三', new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2024, 4, 6, 8, 30, 15)), 3, null]);
  people.addRow([]); // blank row 3
  people.addRow([
    '330602199001011245',
    { richText: [{ text: '李' }, { text: '四' }] },
    new Date(Date.UTC(1990, 0, 2)),
    null,
    { formula: '1+1', result: 2 },
    '',
  ]);
  people.addRow(['330602199001011253', '王五', null, null, { error: '#N/A' }, null]);
  people.addRow(['330602199001011261', '赵六', null, null, 1, 'x', '多出来的']);
  people.addRow(['330602199001011270', '合并', null, null, null, null]);
  people.mergeCells('B7:C7');
  people.getColumn(3).numFmt = 'yyyy-mm-dd';
  people.getColumn(4).numFmt = 'yyyy-mm-dd hh:mm:ss';
  people.getCell('C2').numFmt = 'yyyy-mm-dd';
  people.getCell('D2').numFmt = 'yyyy-mm-dd hh:mm:ss';
  people.getCell('C4').numFmt = 'yyyy-mm-dd';

  const titled = wb.addWorksheet('带标题');
  titled.addRow(['绍兴市人口信息表']);
  titled.mergeCells('A1:B1');
  titled.addRow([]);
  titled.addRow(['编号', '名称']);
  titled.addRow([1, '越城区']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('readXlsx', () => {
  it('reads the first sheet: Chinese header, dates as ISO text, blank rows skipped, odd cells flattened', async () => {
    const r = await read(await workbook());
    expect(r.header).toEqual(['公民身份号码', '姓名', '出生日期', '更新时间', '人数', '备注']);
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['330602199001011237', '张三', '1990-01-01', '2024-05-06T08:30:15', '3', null] },
      { rowNumber: 4, cells: ['330602199001011245', '李四', '1990-01-02', null, '2', null] },
      { rowNumber: 7, cells: ['330602199001011270', '合并', null, null, null, null] },
    ]);
    expect(r.rejects.map((x) => [x.rowNumber, x.reason])).toEqual([
      [5, 'cell E5 holds the Excel error #N/A'],
      [6, 'cell G6 has a value but no header'],
    ]);
  });

  it('reads a named sheet, finding the header below a title row', async () => {
    const r = await read(await workbook(), { sheet: '带标题', headerRow: 2 });
    expect(r.header).toEqual(['编号', '名称']);
    expect(r.rows).toEqual([{ rowNumber: 4, cells: ['1', '越城区'] }]);
  });

  it('says which sheets exist when the named one does not', async () => {
    await expect(read(await workbook(), { sheet: '法人' })).rejects.toThrow("no sheet named '法人' (it has: 人口, 带标题)");
  });

  it('throws a clear error for a file that is not an XLSX workbook', async () => {
    await expect(readXlsx(new Uint8Array(Buffer.from('姓名,性别\n张三,1\n')))).rejects.toThrow(/not an XLSX file/);
    await expect(readXlsx(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).rejects.toThrow(/legacy \.xls/);
    await expect(readXlsx(new Uint8Array())).rejects.toThrow(UnreadableFileError);
    const broken = (await workbook()).slice(0, 400);
    await expect(read(broken)).rejects.toThrow(UnreadableFileError);
  });
});
