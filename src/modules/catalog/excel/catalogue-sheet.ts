import { AppError } from '../../../errors.js';
import { cellText, Invalid, normalizeCell, type CellValue } from './cells.js';
import type { ImportProblem } from './import-problems.js';
import { sheetRows, type RawRow } from './sheet-reader.js';
import { CATALOGUE_SHEET, GUIDE_SHEET, matchHeaders, type Column, type ColumnKey, type HeaderMatch, type RowValues } from './template.js';
import { NotXlsx, openXlsxPackage, type SheetRef } from './xlsx-package.js';

/** The header is looked for in the first rows: templates put a title (and group headings) above it. */
const HEADER_SCAN_ROWS = 10;
export const MAX_DATA_ROWS = 300_000;

export type ItemRow = { row: number; values: RowValues };
/** The rows of one resource code, in sheet order. */
export type ResourceGroup = {
  code: string;
  firstRow: number;
  /** Resource columns, each from the first row that fills it. */
  values: RowValues;
  rowOf: Partial<Record<ColumnKey, number>>;
  items: ItemRow[];
};
/** What was typed in each resource column, to tell a repeated value from a conflicting one. */
type Typed = Partial<Record<ColumnKey, CellValue>>;

export type CatalogueSheet = {
  sheet: string;
  match: HeaderMatch;
  groups: ResourceGroup[];
  dataRows: number;
  problems: ImportProblem[];
  warnings: ImportProblem[];
  /** `${row}:${key}` of cells already reported, so later checks do not report them twice. */
  reported: Set<string>;
};

export class SheetRejected extends Error {
  constructor(
    readonly problems: ImportProblem[],
    readonly warnings: ImportProblem[] = [],
  ) {
    super(problems[0]?.message ?? 'rejected');
  }
}

const headerCells = (r: RawRow) => {
  const out: (string | null)[] = new Array<string | null>(r.values.length).fill(null);
  for (let c = 1; c < r.values.length; c++) out[c] = cellText(normalizeCell(r.values[c]));
  return out;
};

/** Cells compare by what was typed; a different spelling of the same value is then parsed and compared. */
function sameCell(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !(a instanceof Date) && !(b instanceof Date)) return a.error === b.error;
  return false;
}

function chooseSheet(sheets: SheetRef[]): { sheet: SheetRef; warning?: string } {
  const exact = sheets.find((s) => s.name.trim() === CATALOGUE_SHEET);
  if (exact) return { sheet: exact };
  const others = sheets.filter((s) => s.name.trim() !== GUIDE_SHEET);
  if (others.length === 1) return { sheet: others[0]!, warning: `no sheet is named ${CATALOGUE_SHEET}; read sheet '${others[0]!.name}'` };
  throw new SheetRejected([
    {
      sheet: null,
      row: null,
      column: null,
      code: 'SHEET_NOT_FOUND',
      message: `no sheet named ${CATALOGUE_SHEET} (the workbook has: ${sheets.map((s) => s.name).join(', ') || 'no sheets'})`,
    },
  ]);
}

/**
 * Reads the catalogue sheet into resource groups: finds the header row, maps the headers onto
 * the template, fills merged cells, skips blank rows, and parses every cell, collecting a
 * problem per bad cell. Throws SheetRejected when the file or its header cannot be read at all.
 */
export async function readCatalogueSheet(buf: Buffer, onRows?: (rows: number) => void): Promise<CatalogueSheet> {
  let pkg;
  try {
    pkg = openXlsxPackage(buf);
  } catch (err) {
    if (err instanceof NotXlsx) throw new SheetRejected([{ sheet: null, row: null, column: null, code: 'NOT_XLSX', message: err.message }]);
    throw err;
  }
  const { sheet, warning } = chooseSheet(pkg.sheets);
  const name = sheet.name;
  const warnings: ImportProblem[] = warning ? [{ sheet: name, row: null, column: null, code: 'SHEET_CHOSEN', message: warning }] : [];
  const problems: ImportProblem[] = [];
  const reported = new Set<string>();
  const groups = new Map<string, ResourceGroup>();
  const typed = new Map<ResourceGroup, Typed>();

  let match: HeaderMatch | undefined;
  let columns: [number, Column][] = [];
  let codeIndex = -1;
  let headerOf = (c: Column) => c.header;
  const head: RawRow[] = [];
  let current: ResourceGroup | undefined;
  let dataRows = 0;

  const problem = (row: number, c: Column, code: string, message: string) => {
    reported.add(`${row}:${c.key}`);
    problems.push({ sheet: name, row, column: headerOf(c), code, message });
  };
  const parse = (row: number, c: Column, cell: CellValue) => {
    const v = c.parse(cell);
    if (v instanceof Invalid) {
      problem(row, c, v.code, `${headerOf(c)}: ${v.message}`);
      return undefined;
    }
    return v;
  };

  const fixHeader = () => {
    let best = -1;
    let bestScore = 0;
    head.forEach((r, i) => {
      const m = matchHeaders(headerCells(r));
      if (m.columns.size > bestScore) [best, bestScore] = [i, m.columns.size];
    });
    if (best < 0 || bestScore < 3) {
      throw new SheetRejected(
        [
          {
            sheet: name,
            row: null,
            column: null,
            code: 'NO_HEADER_ROW',
            message: `none of the first ${HEADER_SCAN_ROWS} rows holds the template headers (信息资源代码, 信息资源名称, 信息项编码 …)`,
          },
        ],
        warnings,
      );
    }
    const headerRow = head[best]!;
    const cells = headerCells(headerRow);
    const m = matchHeaders(cells);
    const at = (column: string, code: string, message: string) => ({ sheet: name, row: headerRow.number, column, code, message });
    const fatal = [
      ...m.missing.map((c) => at(c.header, 'MISSING_COLUMN', `the required column ${c.header} is missing`)),
      ...(m.missingProvider ? [at('提供方', 'MISSING_COLUMN', 'give the provider: a 提供方 or 提供方代码 column')] : []),
      ...m.duplicates.map((d) => at(d.header, 'DUPLICATE_COLUMN', `${d.header} repeats the column ${m.headerOf.get(d.column.key)} (${d.column.header})`)),
    ];
    warnings.push(...m.unknown.map((u) => at(u.header, 'UNKNOWN_COLUMN', `${u.header} is not a template column; it was ignored`)));
    if (fatal.length) throw new SheetRejected(fatal, warnings);
    match = m;
    columns = [...m.columns];
    codeIndex = columns.find(([, c]) => c.key === 'code')![0];
    headerOf = (c) => m.headerOf.get(c.key) ?? c.header;
    return head.slice(best + 1);
  };

  // Reused for every row: this loop runs once per data item, and small arrays per cell add up to GC time.
  const rowColumns: Column[] = [];
  const rowCells: CellValue[] = [];
  const take = (r: RawRow) => {
    let n = 0;
    let hasItem = false;
    for (const [index, c] of columns) {
      const cell = normalizeCell(r.values[index]);
      if (cell === null) continue;
      rowColumns[n] = c;
      rowCells[n++] = cell;
      if (c.level === 'item') hasItem = true;
    }
    if (n === 0) return; // a blank row, or one that only carries formatting
    dataRows += 1;
    if (dataRows > MAX_DATA_ROWS) {
      throw new SheetRejected(
        [{ sheet: name, row: r.number, column: null, code: 'TOO_MANY_ROWS', message: `more than ${MAX_DATA_ROWS} data rows; split the file` }],
        warnings,
      );
    }
    const code = cellText(normalizeCell(r.values[codeIndex]));
    if (code) {
      current = groups.get(code);
      if (!current) {
        groups.set(code, (current = { code, firstRow: r.number, values: {}, rowOf: {}, items: [] }));
        typed.set(current, {});
      }
    } else if (!current) {
      const codeColumn = columns.find(([, c]) => c.key === 'code')![1];
      return problem(r.number, codeColumn, 'REQUIRED', `${headerOf(codeColumn)} is blank on the first data row`);
    }
    const group = current;
    const groupTyped = typed.get(group)!;
    const item: RowValues = {};
    for (let i = 0; i < n; i++) {
      const c = rowColumns[i]!;
      const cell = rowCells[i]!;
      if (c.level === 'item') {
        const v = parse(r.number, c, cell);
        if (v !== undefined) (item as Record<string, unknown>)[c.key] = v;
        continue;
      }
      const key = c.key;
      const seen = group.rowOf[key];
      if (seen === undefined) {
        const v = parse(r.number, c, cell);
        (group.values as Record<string, unknown>)[key] = v;
        (group.rowOf as Record<string, number>)[key] = r.number;
        groupTyped[key] = cell;
        continue;
      }
      if (sameCell(groupTyped[key]!, cell)) continue;
      const v = c.parse(cell);
      if (v instanceof Invalid) problem(r.number, c, v.code, `${headerOf(c)}: ${v.message}`);
      else if (JSON.stringify(v) !== JSON.stringify(group.values[key])) {
        problem(
          r.number,
          c,
          'RESOURCE_FIELD_CONFLICT',
          `${headerOf(c)} '${cellText(cell)}' differs from row ${seen} of resource ${group.code}; repeat the same value, merge the cells or leave it blank`,
        );
      }
    }
    if (hasItem) group.items.push({ row: r.number, values: item });
  };

  const rows = sheetRows(buf, sheet, pkg.merges(sheet));
  let reportedRows = 0;
  for (;;) {
    let next: IteratorResult<RawRow>;
    try {
      next = await rows.next();
    } catch (err) {
      // A workbook past a reading limit or damaged (the workbook guard) answers with its own code.
      if (err instanceof AppError) throw err;
      // Only the reader's failures mean a damaged file; our own errors propagate as they are.
      throw new SheetRejected([
        { sheet: name, row: null, column: null, code: 'NOT_XLSX', message: `the workbook could not be read: ${(err as Error).message}` },
      ]);
    }
    if (next.done) break;
    if (match) take(next.value);
    else if (head.push(next.value) === HEADER_SCAN_ROWS) fixHeader().forEach(take);
    if (onRows && dataRows - reportedRows >= 5000) onRows((reportedRows = dataRows));
  }
  if (!match) fixHeader().forEach(take);
  onRows?.(dataRows);
  if (groups.size === 0 && problems.length === 0) {
    problems.push({ sheet: name, row: null, column: null, code: 'NO_DATA', message: 'the sheet has no data rows below the header' });
  }
  return { sheet: name, match: match!, groups: [...groups.values()], dataRows, problems, warnings, reported };
}
