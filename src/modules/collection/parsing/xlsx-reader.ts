import type ExcelJS from 'exceljs';
import { readGuardedWorkbook } from '../../../shared/xlsx/guarded-workbook.js';
import { DEFAULT_XLSX_LIMITS, workbookReadError, type XlsxLimits } from '../../../shared/xlsx/limits.js';
import { checkZipDirectoryOfFile } from '../../../shared/xlsx/zip-directory.js';
import { peekBytes, toByteIterable } from './byte-source.js';
import { UnreadableFileError } from './errors.js';
import { toRecordStream, type ReaderEvent } from './record-stream.js';
import { DEFAULT_BATCH_SIZE, type ByteSource, type ParsedRow, type ReadOptions, type RecordStream, type RejectedRow } from './types.js';
import { columnLetter, xlsxCellText } from './xlsx-cell.js';

export interface XlsxReadOptions extends Omit<ReadOptions, 'encoding' | 'maxRecordLength'> {
  /** Sheet name; the first sheet when absent. */
  sheet?: string;
  /**
   * Row where the search for the header starts (default 1): Chinese exports often put a
   * title such as "绍兴市人口信息表" in row 1. The header is the first non-blank row from there.
   */
  headerRow?: number;
  /** Bounds on the workbook (sizes, shared strings, rows, cells, nesting); defaults when absent. */
  limits?: XlsxLimits;
  /** The file on disk behind `source`, when there is one: its ZIP directory is checked before anything is inflated. */
  filePath?: string;
}

/**
 * Streams one sheet of an XLSX workbook with exceljs's streaming reader. Date cells become
 * YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss; numbers their shortest decimal text; formulas their cached
 * result. Blank rows are skipped (their row numbers are kept). A merged range holds its value in
 * its top-left cell only: the streaming reader learns the merges after the rows, so it cannot
 * fill them in.
 */
export async function readXlsx(source: ByteSource, options: XlsxReadOptions = {}): Promise<RecordStream> {
  const peeked = await peekBytes(toByteIterable(source), 8);
  checkSignature(peeked.head);
  const file = options.filePath ?? (typeof source === 'string' ? source : undefined);
  if (file) {
    try {
      await checkZipDirectoryOfFile(file, options.limits ?? DEFAULT_XLSX_LIMITS);
    } catch (error) {
      // Started and stopped, so that the file under the peeked bytes is closed.
      const bytes = peeked.bytes[Symbol.asyncIterator]();
      await bytes.next();
      await bytes.return?.();
      const reason = workbookReadError(error);
      if (reason.code === 'WORKBOOK_MALFORMED') throw new UnreadableFileError(reason.message);
      throw reason;
    }
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const headerFrom = options.headerRow ?? 1;

  async function* events(): AsyncGenerator<ReaderEvent, void, undefined> {
    // Every byte passes the workbook guard before exceljs sees it: a bomb ends in WORKBOOK_TOO_LARGE
    // or WORKBOOK_MALFORMED, and any exceljs failure in a message without internals.
    const workbook = readGuardedWorkbook(
      peeked.bytes,
      {
        sharedStrings: 'cache',
        styles: 'cache', // needed to tell date cells from numbers
        hyperlinks: 'ignore',
        worksheets: 'emit',
        entries: 'ignore',
      },
      options.limits,
    );
    const sheetNames: string[] = [];
    let found = false;
    try {
      for await (const worksheet of workbook) {
        const name = worksheet.name ?? `Sheet${sheetNames.length + 1}`;
        sheetNames.push(name);
        if (options.sheet !== undefined && name !== options.sheet) continue;
        found = true;
        yield* readSheet(worksheet.rows, headerFrom, batchSize);
        break;
      }
    } catch (error) {
      if (error instanceof UnreadableFileError) throw error;
      // A workbook past a limit keeps its code (WORKBOOK_TOO_LARGE); a damaged one is unreadable like any file.
      const reason = workbookReadError(error);
      if (reason.code === 'WORKBOOK_MALFORMED') throw new UnreadableFileError(reason.message);
      throw reason;
    }
    if (!found) {
      throw new UnreadableFileError(
        options.sheet === undefined
          ? 'the XLSX workbook has no worksheet'
          : `the XLSX workbook has no sheet named '${options.sheet}' (it has: ${sheetNames.join(', ') || 'none'})`,
      );
    }
  }
  return toRecordStream(events(), 'xlsx', null);
}

async function* readSheet(worksheet: AsyncIterable<ExcelJS.Row>, headerFrom: number, batchSize: number): AsyncGenerator<ReaderEvent, void, undefined> {
  let header: string[] | null = null;
  let rows: ParsedRow[] = [];
  let rejects: RejectedRow[] = [];
  for await (const row of worksheet) {
    const values = row.values as unknown[];
    if (header === null) {
      if (row.number < headerFrom || isBlank(values)) continue;
      header = headerCells(values);
      yield { header };
      continue;
    }
    const width = header.length;
    const cells: (string | null)[] = new Array<string | null>(width).fill(null);
    let problem: string | null = null;
    let empty = true;
    for (let c = 1; c < values.length; c++) {
      const text = xlsxCellText(values[c]);
      if (text === null || text === '') continue;
      empty = false;
      if (typeof text === 'object') problem ??= `cell ${columnLetter(c)}${row.number} holds the Excel error ${text.excelError}`;
      else if (c > width) problem ??= `cell ${columnLetter(c)}${row.number} has a value but no header`;
      else cells[c - 1] = text;
    }
    if (empty) continue;
    if (problem) rejects.push({ rowNumber: row.number, reason: problem, raw: rawText(values) });
    else rows.push({ rowNumber: row.number, cells });
    if (rows.length + rejects.length >= batchSize) {
      yield { batch: { rows, rejects } };
      rows = [];
      rejects = [];
    }
  }
  if (rows.length + rejects.length > 0) yield { batch: { rows, rejects } };
}

function headerCells(values: unknown[]): string[] {
  const cells: string[] = [];
  for (let c = 1; c < values.length; c++) {
    const text = xlsxCellText(values[c]);
    cells.push(text === null ? '' : typeof text === 'object' ? text.excelError : text);
  }
  // Formatting often extends the used range to the right of the real columns.
  while (cells.length > 0 && cells[cells.length - 1]!.trim() === '') cells.pop();
  return cells;
}

function isBlank(values: unknown[]): boolean {
  for (let c = 1; c < values.length; c++) {
    const text = xlsxCellText(values[c]);
    if (text !== null && text !== '') return false;
  }
  return true;
}

function rawText(values: unknown[]): string {
  const parts: string[] = [];
  for (let c = 1; c < values.length; c++) {
    const text = xlsxCellText(values[c]);
    parts.push(text === null ? '' : typeof text === 'object' ? text.excelError : text);
  }
  return parts.join('\t').slice(0, 2000);
}

function checkSignature(head: Uint8Array): void {
  if (head.length === 0) throw new UnreadableFileError('the XLSX file is empty');
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new UnreadableFileError('this is a legacy .xls (Excel 97–2003) workbook; save it as .xlsx or CSV and upload again');
  }
  if (!(head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    throw new UnreadableFileError('not an XLSX file: an XLSX workbook is a ZIP archive, and this file is not one');
  }
}
