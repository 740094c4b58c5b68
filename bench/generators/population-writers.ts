import fs from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { POPULATION_HEADER, POPULATION_ITEMS } from './population-items.js';

/** Rows per write: big enough to amortise the call, small enough to keep memory flat. */
const ROWS_PER_WRITE = 2000;

export type TextEncoding = 'utf-8' | 'gbk';

/** Writes rows as RFC 4180 CSV (CRLF, like Excel), waiting for the disk whenever it lags. */
export async function writeCsv(rows: Iterable<string[]>, out: string, encoding: TextEncoding): Promise<number> {
  const stream = fs.createWriteStream(out);
  // TextEncoder only speaks UTF-8; GBK needs iconv-lite.
  const encode = encoding === 'gbk' ? (s: string) => iconv.encode(s, 'gbk') : (s: string) => Buffer.from(s, 'utf8');
  let count = 0;
  let lines: string[] = [POPULATION_HEADER.map(csvField).join(',')];
  const flush = async (): Promise<void> => {
    if (!stream.write(encode(lines.join('\r\n') + '\r\n'))) await once(stream, 'drain');
    lines = [];
  };
  for (const row of rows) {
    lines.push(row.map(csvField).join(','));
    count++;
    if (lines.length >= ROWS_PER_WRITE) await flush();
  }
  if (lines.length > 0) await flush();
  stream.end();
  await once(stream, 'finish');
  return count;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes an XLSX the way a Chinese Excel user would send it: Chinese header row, ID numbers as
 * text, dates as real date cells (so the reader's date handling is exercised).
 */
export async function writeXlsx(rows: Iterable<string[]>, out: string): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
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
