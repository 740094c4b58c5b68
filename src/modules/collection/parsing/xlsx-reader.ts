import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { DEFAULT_XLSX_LIMITS, workbookReadError, type XlsxLimits } from '../../../shared/xlsx/limits.js';
import { legacyWorkbookMessage, isOle2 } from '../../../shared/xlsx/legacy-xls.js';
import { openWorkbook, type CellValue, type SheetRow } from '../../../shared/xlsx/sheet-reader.js';
import { openZipFile, zipOfBytes, type ZipSource } from '../../../shared/xlsx/zip-directory.js';
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
  /** The file on disk behind `source`, when there is one: it is read from there, by its ZIP directory. */
  filePath?: string;
  /** Where a large shared-strings table is spilled (default: the OS temp dir), and the start of its file name. */
  scratchDir?: string;
  scratchPrefix?: string;
  /** Told the bytes of the file read so far, after each batch (job progress). */
  onBytesRead?: (bytes: number) => void;
}

/**
 * Streams one sheet of an XLSX workbook with our own reader (src/shared/xlsx/sheet-reader.ts):
 * the ZIP is read by its central directory, so the shared strings are read first wherever they
 * are, and a large table of them is spilled to a scratch file instead of the heap. Date cells
 * become YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss; numbers their shortest decimal text; formulas their
 * cached result. Blank rows are skipped (their row numbers are kept). A merged range holds its
 * value in its top-left cell only, as with exceljs before: the other cells are empty, and no
 * column shifts.
 */
export async function readXlsx(source: ByteSource, options: XlsxReadOptions = {}): Promise<RecordStream> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const headerFrom = options.headerRow ?? 1;

  async function* events(): AsyncGenerator<ReaderEvent, void, undefined> {
    let spooled: string | null = null;
    let zip: ZipSource | null = null;
    let workbook: Awaited<ReturnType<typeof openWorkbook>> | null = null;
    try {
      const file = options.filePath ?? (typeof source === 'string' ? source : undefined);
      if (file) zip = await openZipFile(file);
      else if (source instanceof Uint8Array) zip = zipOfBytes(source);
      else {
        spooled = await spool(source as AsyncIterable<Uint8Array>, options.scratchDir ?? os.tmpdir());
        zip = await openZipFile(spooled);
      }
      checkSignature(await zip.read(0, 8));
      workbook = await openWorkbook(zip, {
        limits: options.limits ?? DEFAULT_XLSX_LIMITS,
        scratchDir: options.scratchDir,
        scratchPrefix: options.scratchPrefix,
      });
      const names = workbook.sheets.map((s) => s.name);
      const sheet = options.sheet === undefined ? workbook.sheets[0] : workbook.sheets.find((s) => s.name === options.sheet);
      if (!sheet) {
        throw new UnreadableFileError(
          options.sheet === undefined
            ? 'the XLSX workbook has no worksheet'
            : `the XLSX workbook has no sheet named '${options.sheet}' (it has: ${names.join(', ') || 'none'})`,
        );
      }
      const zipSource = zip;
      // Parts read more than once (a shared-strings table stored after the sheet) must not pass 100%.
      yield* readSheet(workbook.rows(sheet), headerFrom, batchSize, () => options.onBytesRead?.(Math.min(zipSource.bytesRead, zipSource.size)));
    } catch (error) {
      if (error instanceof UnreadableFileError) throw error;
      // A workbook past a limit keeps its code (WORKBOOK_TOO_LARGE); a damaged one is unreadable like any file.
      const reason = workbookReadError(error);
      if (reason.code === 'WORKBOOK_MALFORMED') throw new UnreadableFileError(reason.message);
      throw reason;
    } finally {
      workbook?.close();
      await zip?.close();
      if (spooled) fs.rmSync(spooled, { force: true });
    }
  }
  return toRecordStream(events(), 'xlsx', null);
}

/** A byte stream with no file behind it is written to one: a ZIP is read from its end. */
async function spool(bytes: AsyncIterable<Uint8Array>, dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `xlsx-upload-${randomUUID()}.xlsx`);
  try {
    await pipeline(Readable.from(bytes), fs.createWriteStream(file));
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
  return file;
}

async function* readSheet(
  batches: AsyncIterable<SheetRow[]>,
  headerFrom: number,
  batchSize: number,
  progress: () => void,
): AsyncGenerator<ReaderEvent, void, undefined> {
  let header: string[] | null = null;
  let rows: ParsedRow[] = [];
  let rejects: RejectedRow[] = [];
  for await (const batch of batches) {
    for (const row of batch) {
      const values = row.cells;
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
      for (let c = 0; c < values.length; c++) {
        const text = xlsxCellText(values[c]!);
        if (text === null || text === '') continue;
        empty = false;
        if (typeof text === 'object') problem ??= `cell ${columnLetter(c + 1)}${row.number} holds the Excel error ${text.excelError}`;
        else if (c >= width) problem ??= `cell ${columnLetter(c + 1)}${row.number} has a value but no header`;
        else cells[c] = text;
      }
      if (empty) continue;
      if (problem) rejects.push({ rowNumber: row.number, reason: problem, raw: rawText(values) });
      else rows.push({ rowNumber: row.number, cells });
      if (rows.length + rejects.length >= batchSize) {
        progress();
        yield { batch: { rows, rejects } };
        rows = [];
        rejects = [];
      }
    }
  }
  progress();
  if (rows.length + rejects.length > 0) yield { batch: { rows, rejects } };
}

const plain = (value: CellValue): string => {
  const text = xlsxCellText(value);
  return text === null ? '' : typeof text === 'object' ? text.excelError : text;
};

function headerCells(values: CellValue[]): string[] {
  const cells = values.map(plain);
  // Formatting often extends the used range to the right of the real columns.
  while (cells.length > 0 && cells[cells.length - 1]!.trim() === '') cells.pop();
  return cells;
}

function isBlank(values: CellValue[]): boolean {
  return values.every((v) => plain(v) === '');
}

function rawText(values: CellValue[]): string {
  return values.map(plain).join('\t').slice(0, 2000);
}

function checkSignature(head: Uint8Array): void {
  if (head.length === 0) throw new UnreadableFileError('the XLSX file is empty');
  if (isOle2(head)) throw new UnreadableFileError(legacyWorkbookMessage);
  if (!(head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    throw new UnreadableFileError('not an XLSX file: an XLSX workbook is a ZIP archive, and this file is not one');
  }
}
