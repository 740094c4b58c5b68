import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { writeCsvFile } from '../../src/demo/synthetic/csv-file.js';
import { POPULATION_HEADER, POPULATION_ITEMS } from '../../src/demo/synthetic/population-items.js';

/** Rows per write: big enough to amortise the call, small enough to keep memory flat. */
const ROWS_PER_WRITE = 2000;

export type TextEncoding = 'utf-8' | 'gbk';

/** Writes rows as RFC 4180 CSV (CRLF, like Excel); GBK through iconv-lite, as TextEncoder only speaks UTF-8. */
export function writeCsv(rows: Iterable<string[]>, out: string, encoding: TextEncoding): Promise<number> {
  return writeCsvFile(out, POPULATION_HEADER, rows, encoding === 'gbk' ? (s) => iconv.encode(s, 'gbk') : undefined);
}

/**
 * Writes an XLSX the way a Chinese Excel user would send it: Chinese header row, ID numbers as
 * text, dates as real date cells (so the reader's date handling is exercised). Strings are inline
 * unless `sharedStrings`: then they go to xl/sharedStrings.xml, which exceljs writes after the sheet.
 */
export async function writeXlsx(rows: Iterable<string[]>, out: string, options: { sharedStrings?: boolean } = {}): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: options.sharedStrings ?? false });
  const sheet = workbook.addWorksheet('人口信息');
  const formats = POPULATION_ITEMS.map((i) => (i.dataType === 'DATE' ? 'yyyy-mm-dd' : i.dataType === 'DATETIME' ? 'yyyy-mm-dd hh:mm:ss' : null));
  sheet.addRow([...POPULATION_HEADER]).commit();
  let count = 0;
  for (const row of rows) {
    const excelRow = sheet.addRow(row.map((v, i) => (v === '' ? null : formats[i] ? toUtcDate(v) : v)));
    formats.forEach((numFmt, i) => {
      if (numFmt) excelRow.getCell(i + 1).numFmt = numFmt;
    });
    excelRow.commit();
    // The streaming writer has no back-pressure: let the zip stream drain now and then.
    if (++count % ROWS_PER_WRITE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

/** Excel cells have no time zone: a UTC Date becomes exactly the wall-clock value written. */
function toUtcDate(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}${value.length === 10 ? 'T00:00:00' : ''}Z`);
}
