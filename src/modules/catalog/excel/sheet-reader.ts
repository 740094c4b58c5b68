import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readGuardedWorkbook } from '../../../shared/xlsx/guarded-workbook.js';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from '../../../shared/xlsx/limits.js';
import type { Merge, SheetRef } from './xlsx-package.js';

/**
 * The exceljs streaming reader as the importer and the benchmark anchor use it: shared strings
 * cached, styles skipped (dates then arrive as serial numbers, which the date parser reads).
 */
export const READER_OPTIONS = { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' } as const;

/** The bare exceljs reader (the benchmark's anchor); the importer reads through the workbook guard. */
export function workbookReader(buf: Buffer) {
  return new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), READER_OPTIONS);
}

/** One row: `values[c]` is the raw exceljs value of column c (1-based); sparse. */
export type RawRow = { number: number; values: unknown[] };

/**
 * Streams the rows of one sheet with merged cells filled from their top-left cell, as the
 * non-streaming reader would give them. Rows Excel did not write (blank, unformatted) are absent.
 */
export async function* sheetRows(
  buf: Buffer,
  sheet: SheetRef,
  merges: Merge[] | Promise<Merge[]>,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): AsyncGenerator<RawRow> {
  // Merges may still be being read (zlib works off the main thread) while exceljs unpacks the
  // sheet; they are needed from the first row on.
  if (merges instanceof Promise) merges.catch(() => undefined);
  let byTop: Map<number, Merge[]> | undefined;
  const index = (list: Merge[]) => {
    const out = new Map<number, Merge[]>();
    for (const m of list) if (m.bottom > m.top || m.right > m.left) (out.get(m.top) ?? out.set(m.top, []).get(m.top)!).push(m);
    return out;
  };
  let active: { m: Merge; value: unknown }[] = [];
  const sheetNo = /sheet(\d+)\.xml$/.exec(sheet.path)?.[1];

  // Every byte passes the workbook guard first: a bomb ends in WORKBOOK_TOO_LARGE / WORKBOOK_MALFORMED.
  for await (const w of readGuardedWorkbook([buf], READER_OPTIONS, limits)) {
    // exceljs names a sheet from the workbook relations; when it cannot, it keeps "Sheet<n>" with n from the part name.
    if (w.name !== sheet.name && !(w.name === `Sheet${sheetNo}` && String(w.id) === sheetNo)) {
      // Read and drop other sheets (填写说明): when sharedStrings.xml comes after the sheets (exceljs
      // writes it last), the reader parks each sheet in a temp file and deletes it once this loop
      // step ends; an unread one would then fail to open in the background.
      for await (const _row of w.rows) void _row;
      continue;
    }
    for await (const row of w.rows) {
      byTop ??= index(await merges);
      const values = row.values as unknown[];
      const r = row.number;
      if (active.length) active = active.filter((a) => a.m.bottom >= r);
      for (const m of byTop.get(r) ?? []) active.push({ m, value: values[m.left] });
      for (const { m, value } of active) {
        for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) values[c] = value;
      }
      yield { number: r, values };
    }
    // No early return: the reader deletes each parked temp file only when it moves past the sheet.
  }
}
