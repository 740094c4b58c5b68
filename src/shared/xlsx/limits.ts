import { AppError } from '../../errors.js';

/**
 * Bounds on one XLSX workbook, checked while it is unzipped and tokenised, before exceljs builds
 * anything from the bytes. exceljs keeps every shared string in one array and trusts the ZIP and
 * the XML: a 6.9 MB file of 150 million tiny strings grew its cache past V8's heap limit (an
 * abort, not an exception). The defaults admit anything Excel itself can save.
 */
export type XlsxLimits = {
  /** All entries together, inflated. */
  maxUnzippedBytes: number;
  /** One entry, inflated (a worksheet of a million rows is a few hundred MB). */
  maxEntryBytes: number;
  /** One part exceljs parses that is neither a worksheet nor the shared strings (styles, workbook, relations). */
  maxOtherPartBytes: number;
  maxEntries: number;
  /** `<si>` elements of xl/sharedStrings.xml. */
  maxSharedStrings: number;
  /** Characters of text in xl/sharedStrings.xml. */
  maxSharedStringCharacters: number;
  /** Characters of one text node in any part (Excel keeps at most 32,767 in a cell). */
  maxTextLength: number;
  /** Rows of one worksheet, empty `<row/>` included; also the highest row number. */
  maxRows: number;
  /** Cells of one row; also the highest column number (XFD = 16,384). */
  maxColumns: number;
  /** Element nesting depth of any part. */
  maxDepth: number;
};

export const DEFAULT_XLSX_LIMITS: Readonly<XlsxLimits> = Object.freeze({
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxOtherPartBytes: 64 * 1024 * 1024,
  maxEntries: 10_000,
  maxSharedStrings: 5_000_000,
  maxSharedStringCharacters: 200_000_000,
  maxTextLength: 1024 * 1024,
  maxRows: 1_048_576,
  maxColumns: 16_384,
  maxDepth: 64,
});

export function xlsxLimits(overrides: Partial<XlsxLimits> = {}): XlsxLimits {
  return { ...DEFAULT_XLSX_LIMITS, ...overrides };
}

const n = (v: number) => v.toLocaleString('en-US');

/** A workbook past one of the limits (413). */
export function workbookTooLarge(what: string, limit: number, unit: string): AppError {
  return new AppError('WORKBOOK_TOO_LARGE', `the workbook ${what}; at most ${n(limit)} ${unit} are read`, { limit });
}

/** A workbook whose ZIP or XML is not what a spreadsheet program writes (400). */
export function workbookMalformed(detail: string): AppError {
  return new AppError('WORKBOOK_MALFORMED', `the workbook could not be read: ${detail}`);
}

/**
 * Any failure of exceljs (or zlib) while reading becomes WORKBOOK_MALFORMED with a message fit
 * for a user: no stack, no server path, and no text of a programming error inside exceljs.
 */
export function workbookReadError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || !(error instanceof Error)) {
    return workbookMalformed('its content is not what a spreadsheet program writes');
  }
  const line = (error.message.split('\n')[0] ?? '').replace(/(?:[A-Za-z]:)?[\\/][^\s'"]*[\\/][^\s'"]*/g, '…').slice(0, 300);
  return workbookMalformed(line || 'it is damaged');
}
