import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { presenterOf, type ExportColumn, type XlsxFormat } from './export-format.js';

/** Excel's row limit per sheet (1,048,576) less the header row: more rows continue on the next sheet. */
export const ROWS_PER_SHEET = 1_048_575;
const ROWS_PER_STEP = 500;

/**
 * An export as an XLSX file (ADR 0034), from batches of row arrays, in encoded chunks of about
 * `chunkBytes` with the rows each completes. exceljs's streaming WorkbookWriter: no
 * shared-strings table (it would hold every distinct text in memory), each row committed as
 * written, and every 500 rows the writer waits for the chunks to be taken (or yields), so memory
 * stays bounded by the zip deflater's window and one chunk, not by the table. Values are the
 * reader's (presented and masked as in export-format.ts): numbers as numbers, exact integers and
 * decimals beyond a double's precision as text. Runs in an export thread (export-worker.ts) or,
 * for a database no other thread can open, in the request's thread.
 */
export async function* xlsxChunks(
  columns: readonly ExportColumn[],
  format: XlsxFormat,
  batches: AsyncIterable<readonly (readonly unknown[])[]>,
  chunkBytes = 256 * 1024,
): AsyncGenerator<{ bytes: Buffer; rows: number }> {
  const { default: ExcelJS } = await import('exceljs');
  const present = columns.map(presenterOf);
  const out = new PassThrough();
  let written = 0;
  const writing = (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    wb.creator = 'Kuaiji';
    let sheetNo = 0;
    const newSheet = () => {
      sheetNo++;
      const sheet = wb.addWorksheet(sheetNo === 1 ? format.sheetName : `${format.sheetName} (${sheetNo})`);
      sheet.addRow([...format.header]).commit();
      return sheet;
    };
    let ws = newSheet();
    let rows = 0;
    for await (const batch of batches) {
      for (const raw of batch) {
        if (rows === ROWS_PER_SHEET) {
          // The streaming writer's worksheets commit asynchronously, whatever the typings say.
          await (ws.commit() as unknown as Promise<void>);
          ws = newSheet();
          rows = 0;
        }
        ws.addRow(present.map((p, i) => p(raw[i]) ?? null)).commit();
        rows++;
        written++;
        if (rows % ROWS_PER_STEP === 0) {
          if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
          else await yieldToLoop();
          if (out.destroyed) throw new Error('xlsx export stopped');
        }
      }
    }
    await (ws.commit() as unknown as Promise<void>);
    await wb.commit();
  })();
  writing.then(
    () => out.end(),
    (err: unknown) => out.destroy(err as Error),
  );

  let reported = 0;
  let parts: Buffer[] = [];
  let size = 0;
  const take = () => {
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    parts = [];
    size = 0;
    // Rows are counted as written into the workbook; the zip's bytes follow them closely.
    const rows = written - reported;
    reported = written;
    return { bytes, rows };
  };
  try {
    for await (const piece of out) {
      parts.push(piece as Buffer);
      size += (piece as Buffer).length;
      if (size >= chunkBytes) yield take();
    }
    await writing;
    if (size > 0 || written > reported) yield take();
  } finally {
    // Stopped early (or failed): the writer stops at its next step; its rejection is not awaited.
    writing.catch(() => undefined);
    if (!out.destroyed) out.destroy();
  }
}
