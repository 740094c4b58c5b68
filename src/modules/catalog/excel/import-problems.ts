import { AppError, INVARIANT_CODES } from '../../../errors.js';

/** One problem of an import file, located as the department sees it: sheet, Excel row number, Chinese header. */
export type ImportProblem = { sheet: string | null; row: number | null; column: string | null; code: string; message: string };

/**
 * The closed set of `errors[].code` / `warnings[].code` values of a catalogue import, besides the
 * catalogue rule codes of INVARIANT_CODES (DUPLICATE_ITEM_CODE, L4_MUST_BE_PROHIBITED …).
 */
export const IMPORT_PROBLEM_CODES = {
  NOT_XLSX: 'the file is not an .xlsx workbook',
  SHEET_NOT_FOUND: 'no sheet named 信息资源目录, and no single other sheet to read instead',
  SHEET_CHOSEN: '(warning) the catalogue was read from a sheet with another name',
  NO_HEADER_ROW: 'none of the first rows looks like the template header',
  MISSING_COLUMN: 'a required column is absent',
  DUPLICATE_COLUMN: 'two columns mean the same template column',
  UNKNOWN_COLUMN: '(warning) a column the template does not know; it was ignored',
  NO_DATA: 'the sheet has a header but no data rows',
  TOO_MANY_ROWS: 'the sheet has more data rows than one import accepts',
  REQUIRED: 'a required cell is blank',
  UNKNOWN_VALUE: 'a label that is not in the code list (e.g. 共享类型 有时共享)',
  INVALID_VALUE: 'a value of the wrong form (number, date, code pattern, length)',
  CELL_ERROR: 'the cell holds an Excel error such as #N/A',
  RESOURCE_FIELD_CONFLICT: 'rows of one resource disagree about a resource column',
  INVALID_USCC: 'the 提供方代码 fails the GB 32100 check',
  UNKNOWN_DEPARTMENT: 'no department has that 提供方代码 or name',
  DEPARTMENT_MISMATCH: '提供方 and 提供方代码 name different departments',
  UNKNOWN_SYSTEM: "no information system has that name (the provider's own are tried first)",
  AMBIGUOUS_SYSTEM: 'several information systems have that name',
  UNKNOWN_REGION: 'the region is not one the platform serves',
  FORBIDDEN: "the caller may not write that department's catalogue (reported with FORBIDDEN)",
} as const;
export type ImportProblemCode = keyof typeof IMPORT_PROBLEM_CODES | keyof typeof INVARIANT_CODES;

/** A problem+json body stays readable: the first problems are listed, all are counted. */
export const MAX_LISTED_PROBLEMS = 1000;

function describe(problems: ImportProblem[]): string {
  const first = problems[0];
  if (!first) return '';
  const where = [first.sheet, first.row !== null ? `row ${first.row}` : null, first.column].filter(Boolean).join(' / ');
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${where ? `${where}: ` : ''}${first.message}${more}`;
}

export function importRejected(problems: ImportProblem[], warnings: ImportProblem[] = []): AppError {
  const sorted = [...problems].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return new AppError('IMPORT_REJECTED', describe(sorted), {
    errors: sorted.slice(0, MAX_LISTED_PROBLEMS),
    errorCount: sorted.length,
    warnings: warnings.slice(0, MAX_LISTED_PROBLEMS),
  });
}

export function importForbidden(problems: ImportProblem[]): AppError {
  return new AppError('FORBIDDEN', `${describe(problems)}; nothing was stored`, {
    errors: problems.slice(0, MAX_LISTED_PROBLEMS),
    errorCount: problems.length,
  });
}
