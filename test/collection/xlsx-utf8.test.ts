import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { readXlsx } from '../../src/modules/collection/parsing/xlsx-reader.js';

// exceljs decoded each inflated chunk of a sheet on its own, so a Chinese character split
// between two chunks came back as U+FFFD (scripts/patch-exceljs.mjs, run at npm install).
it('reads Chinese text intact when characters fall across the inflate chunks of a large sheet', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('缴存单位');
  ws.addRow(['编号', '名称']);
  const names: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const name = `缴存单位统一社会信用代码${i}号`;
    names.push(name);
    ws.addRow([String(i), name]);
  }
  // Inline strings put the text in the sheet part itself, the part read in chunks.
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer({ useSharedStrings: false } as ExcelJS.XlsxWriteOptions));
  const stream = await readXlsx(bytes);
  const read: string[] = [];
  for await (const batch of stream.batches) for (const row of batch.rows) read.push(String(row.cells[1]));
  expect(read).toHaveLength(names.length);
  expect(read.filter((name, i) => name !== names[i]).slice(0, 3)).toEqual([]);
});
