import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ReadRecord } from '../../collection/index.js';

/** Excel's row limit per sheet (1,048,576) less the header row: more rows continue on the next sheet. */
export const ROWS_PER_SHEET = 1_048_575;
const ROWS_PER_STEP = 500;

/**
 * Writes records as XLSX with exceljs's streaming WorkbookWriter, on the request's thread in
 * small steps: no shared-strings table (it would hold every distinct text in memory), each row
 * committed as written, and every 500 rows the writer waits for the response to drain (or yields
 * to the event loop), so memory stays bounded by the zip deflater's window, not by the dataset.
 * Values keep their JSON types (numbers as numbers; exact integers and decimals beyond a
 * double's precision stay text).
 */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  header: readonly string[],
  codes: readonly string[],
  records: AsyncIterable<ReadRecord>,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  wb.creator = 'Kuaiji';
  let sheetNo = 0;
  let ws = newSheet();
  let rows = 0;

  function newSheet() {
    sheetNo++;
    const sheet = wb.addWorksheet(sheetNo === 1 ? sheetName : `${sheetName} (${sheetNo})`);
    sheet.addRow([...header]).commit();
    return sheet;
  }

  for await (const r of records) {
    if (rows === ROWS_PER_SHEET) {
      await (ws.commit() as unknown as Promise<void>);
      ws = newSheet();
      rows = 0;
    }
    ws.addRow(codes.map((c) => r[c] ?? null)).commit();
    rows++;
    if (rows % ROWS_PER_STEP === 0) {
      // Other requests run between steps (on SQLite the reader's pages resolve as microtasks only).
      if (out.writableNeedDrain) await once(out, 'drain');
      else await yieldToLoop();
    }
  }
  // The streaming writer's worksheets commit asynchronously, whatever the typings say.
  await (ws.commit() as unknown as Promise<void>);
  await wb.commit();
}
