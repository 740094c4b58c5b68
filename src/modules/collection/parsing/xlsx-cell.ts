import type { CellValue } from '../../../shared/xlsx/sheet-reader.js';

/**
 * Converts a cell value of the sheet reader into the text the rest of the pipeline expects, or
 * flags an Excel error value (#N/A, #DIV/0!, …) that must reject the row.
 */
export type XlsxCellText = string | null | { excelError: string };

export function xlsxCellText(value: CellValue): XlsxCellText {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value instanceof Date ? dateText(value) : { excelError: value.error };
  }
}

/**
 * Excel stores wall-clock values without a time zone; the reader turns them into Dates whose UTC
 * fields hold that wall clock. A date-only cell becomes YYYY-MM-DD, anything else
 * YYYY-MM-DDTHH:mm:ss (with .sss when there are milliseconds), never with an offset.
 */
export function dateText(d: Date): string {
  const time = d.getTime();
  if (Number.isNaN(time)) return '';
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) {
    const iso = d.toISOString();
    if (time % 86_400_000 === 0) return iso.slice(0, iso.indexOf('T'));
    return iso.endsWith('.000Z') ? iso.slice(0, -5) : iso.slice(0, -1);
  }
  // Built from the fields: toISOString and two slices cost a third of reading a sheet of dates.
  const date = `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (time % 86_400_000 === 0) return date;
  const text = `${date}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? text : `${text}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** 1 → A, 27 → AA: reject reasons name cells the way Excel shows them. */
export function columnLetter(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}
