/**
 * Converts an exceljs cell value into the text the rest of the pipeline expects, or flags an
 * Excel error value (#N/A, #DIV/0!, …) that must reject the row.
 */
export type XlsxCellText = string | null | { excelError: string };

export function xlsxCellText(value: unknown): XlsxCellText {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Date) return dateText(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
  if ('error' in v) return { excelError: String(v.error) };
  if ('formula' in v || 'sharedFormula' in v) return 'result' in v ? xlsxCellText(v.result) : null;
  if ('hyperlink' in v || 'text' in v) return xlsxCellText(v.text);
  return JSON.stringify(value);
}

/**
 * Excel stores wall-clock values without a time zone; exceljs turns them into Dates whose UTC
 * fields hold that wall clock. A date-only cell becomes YYYY-MM-DD, anything else
 * YYYY-MM-DDTHH:mm:ss (with .sss when there are milliseconds), never with an offset.
 */
export function dateText(d: Date): string {
  const time = d.getTime();
  if (Number.isNaN(time)) return '';
  const iso = d.toISOString();
  if (time % 86_400_000 === 0) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** 1 → A, 27 → AA: reject reasons name cells the way Excel shows them. */
export function columnLetter(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}
