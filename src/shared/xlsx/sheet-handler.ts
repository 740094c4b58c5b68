import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';
import { serialToDate } from './number-formats.js';
import { unescapeOoxml, type SharedStrings } from './shared-strings.js';
import { xmlText, type XmlAttributes, type XmlHandler } from './xml-tokenizer.js';

/**
 * A cell's value as exceljs gave it, so readers built on exceljs work unchanged: text, a number,
 * a boolean, a Date for a number in a date format (UTC fields = Excel's wall clock), an Excel
 * error, or null for an empty cell. A formula's cached result stands for the formula.
 */
export type CellValue = string | number | boolean | Date | { error: string } | null;

/** One `<row>`: `cells[0]` is column A; an absent cell is null. */
export type SheetRow = { number: number; cells: CellValue[] };

const enum T {
  Number,
  Shared,
  Inline,
  Str,
  Bool,
  Error,
  Date,
}
const enum Text {
  None,
  V,
  T,
}

/** Context the handler needs from the workbook. */
export type SheetContext = { part: string; limits: XlsxLimits; strings: SharedStrings | null; dateStyles: Uint8Array; date1904: boolean };

/**
 * Turns a worksheet's XML events into rows. Cells without a reference (`r`) follow the previous
 * one, rows without one the previous row; the workbook limits on rows and cells are enforced as
 * the elements open. Shared strings in the table's scratch file are left as their index and listed
 * in `pending`, to be looked up a batch at a time.
 */
export class SheetHandler implements XmlHandler {
  /** Rows finished since the caller last took them. */
  rows: SheetRow[] = [];
  /** Spilled shared strings to look up: the row's cells, the column, the index. */
  pending: { cells: CellValue[]; col: number; index: number }[] = [];
  private inSheetData = false;
  private row: SheetRow | null = null;
  private rowCount = 0;
  private lastRow = 0;
  private cellCount = 0;
  private col = 0;
  private type = T.Number;
  private style = 0;
  private inCell = false;
  private collect = Text.None;
  private phonetic = 0;
  private v: string | null = null;
  /** A shared-string cell's index, read from the bytes of its `<v>` while they are all digits (-1 once not). */
  private sharedIndex = -1;
  private sharedDigits = 0;
  private inline: string | null = null;
  private readonly strings: SharedStrings | null;

  constructor(private readonly ctx: SheetContext) {
    this.strings = ctx.strings;
  }

  open(name: string, a: XmlAttributes): void {
    switch (name) {
      case 'c':
        if (this.row && !this.inCell) this.openCell(a);
        return;
      case 'v':
        if (this.inCell) {
          this.collect = Text.V;
          this.v = '';
          this.sharedIndex = this.type === T.Shared ? 0 : -1;
          this.sharedDigits = 0;
        }
        return;
      case 't':
        if (this.inCell && this.phonetic === 0 && this.inline !== null) this.collect = Text.T;
        return;
      case 'is':
        if (this.inCell) this.inline = '';
        return;
      case 'rPh':
        this.phonetic++;
        return;
      case 'row':
        if (this.inSheetData && !this.row) this.openRow(a);
        return;
      case 'sheetData':
        this.inSheetData = true;
        return;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'c':
        if (this.inCell) this.closeCell();
        return;
      case 'v':
      case 't':
        this.collect = Text.None;
        return;
      case 'rPh':
        this.phonetic--;
        return;
      case 'row':
        if (this.row) {
          this.rows.push(this.row);
          this.row = null;
        }
        return;
      case 'sheetData':
        this.inSheetData = false;
        return;
    }
  }

  text(src: Buffer, start: number, end: number, cdata: boolean): void {
    if (this.collect === Text.None) return;
    // A shared string's index (millions of cells): its digits, without building a string.
    if (this.sharedIndex >= 0 && this.collect === Text.V) {
      let n = this.sharedIndex;
      let p = start;
      if (!cdata) {
        for (; p < end; p++) {
          const b = src[p]!;
          if (b < 0x30 || b > 0x39 || n > 0x7fff_ffff) break;
          n = n * 10 + (b - 0x30);
        }
        if (p === end) {
          this.sharedIndex = n;
          this.sharedDigits += end - start;
          return;
        }
      }
      // Not only digits: the text is kept as any cell's is, with the digits of the pieces before.
      if (this.sharedDigits > 0) this.v = String(this.sharedIndex).padStart(this.sharedDigits, '0');
      this.sharedIndex = -1;
      this.sharedDigits = 0;
    }
    const text = cdata ? src.toString('utf8', start, end) : xmlText(src, start, end);
    if (this.collect === Text.V) this.v += text;
    else this.inline += text;
  }

  private openRow(a: XmlAttributes): void {
    const L = this.ctx.limits;
    if (++this.rowCount > L.maxRows) throw workbookTooLarge(`has more than ${L.maxRows.toLocaleString('en-US')} rows in ${this.ctx.part}`, L.maxRows, 'rows');
    const r = a.index('r');
    const number = r < 0 ? this.lastRow + 1 : digits(a.src, a.valueStart(r), a.valueEnd(r), L.maxRows);
    if (number > L.maxRows) throw workbookTooLarge(`has a row numbered past ${L.maxRows.toLocaleString('en-US')}`, L.maxRows, 'rows');
    this.lastRow = number;
    this.row = { number, cells: [] };
    this.cellCount = 0;
    this.col = 0;
  }

  private openCell(a: XmlAttributes): void {
    const L = this.ctx.limits;
    if (++this.cellCount > L.maxColumns) {
      throw workbookTooLarge(`has a row of more than ${L.maxColumns.toLocaleString('en-US')} cells in ${this.ctx.part}`, L.maxColumns, 'columns');
    }
    const src = a.src;
    // One pass over the attributes for r, s and t (a sheet has millions of cells).
    let r = -1;
    let s = -1;
    let t = -1;
    for (let i = 0; i < a.count; i++) {
      const at = a.at[4 * i]!;
      if (a.at[4 * i + 1]! - at !== 1) continue;
      const b = src[at];
      if (b === 0x72) r = i;
      else if (b === 0x73) s = i;
      else if (b === 0x74) t = i;
    }
    if (r >= 0) {
      // A1-style: letters give the column; the digits repeat the row, checked like a row's number.
      let letters = 0;
      let p = a.valueStart(r);
      const end = a.valueEnd(r);
      for (; p < end; p++) {
        const b = src[p]!;
        if (b >= 0x41 && b <= 0x5a) letters = letters * 26 + (b - 0x40);
        else if (b >= 0x61 && b <= 0x7a) letters = letters * 26 + (b - 0x60);
        else break;
        if (letters > L.maxColumns) throw workbookTooLarge(`has a cell past column ${L.maxColumns.toLocaleString('en-US')} (XFD)`, L.maxColumns, 'columns');
      }
      if (digits(src, p, end, L.maxRows) > L.maxRows)
        throw workbookTooLarge(`has a cell in a row numbered past ${L.maxRows.toLocaleString('en-US')}`, L.maxRows, 'rows');
      // A reference without letters (malformed) keeps the position: the next column.
      if (letters > 0) this.col = letters - 1;
    }
    if (this.col >= L.maxColumns) throw workbookTooLarge(`has a cell past column ${L.maxColumns.toLocaleString('en-US')} (XFD)`, L.maxColumns, 'columns');
    this.type = t < 0 ? T.Number : cellType(src, a.valueStart(t), a.valueEnd(t));
    this.style = s < 0 ? 0 : digits(src, a.valueStart(s), a.valueEnd(s), 1 << 30);
    this.inCell = true;
    this.v = null;
    this.inline = null;
    this.phonetic = 0;
  }

  private closeCell(): void {
    this.inCell = false;
    this.collect = Text.None;
    const cells = this.row!.cells;
    const col = this.col++;
    const value = this.value(cells, col);
    if (value === null) return;
    while (cells.length < col) cells.push(null);
    cells[col] = value;
  }

  private value(cells: CellValue[], col: number): CellValue {
    const v = this.v;
    switch (this.type) {
      case T.Inline:
        return this.inline !== null ? unescapeOoxml(this.inline) : v;
      case T.Shared: {
        if (v === null) return null;
        const index = this.sharedDigits > 0 ? this.sharedIndex : Number(v);
        const strings = this.strings;
        if (!Number.isInteger(index) || index < 0 || !strings || index >= strings.count)
          throw this.missingString(col, this.sharedDigits > 0 ? String(index) : v);
        const text = strings.peek(index);
        if (text !== undefined) return text;
        this.pending.push({ cells, col, index });
        return index;
      }
      case T.Str:
        return v === null ? null : unescapeOoxml(v);
      case T.Bool:
        return v === null ? null : Number(v) !== 0;
      case T.Error:
        return v === null ? null : { error: v };
      case T.Date: {
        if (v === null) return null;
        const d = new Date(/(Z|[+-]\d\d:\d\d)$/.test(v) ? v : `${v}Z`);
        return Number.isNaN(d.getTime()) ? v : d;
      }
      default: {
        if (v === null) return null;
        const n = parseFloat(v);
        if (Number.isNaN(n)) return null;
        return this.ctx.dateStyles[this.style] === 1 ? serialToDate(n, this.ctx.date1904) : n;
      }
    }
  }

  private missingString(col: number, v: string) {
    return workbookMalformed(
      `cell ${columnName(col + 1)}${this.row!.number} of ${this.ctx.part} refers to shared string ${v.slice(0, 20)}, which the workbook does not have`,
    );
  }
}

/** The number in bytes [start, end), stopping at the first non-digit; capped just past `cap`. */
function digits(src: Buffer, start: number, end: number, cap: number): number {
  let n = 0;
  for (let p = start; p < end; p++) {
    const b = src[p]!;
    if (b < 0x30 || b > 0x39) break;
    n = n * 10 + (b - 0x30);
    if (n > cap) return cap + 1;
  }
  return n;
}

function cellType(src: Buffer, start: number, end: number): T {
  const len = end - start;
  const b = src[start];
  if (len === 1) return b === 0x73 ? T.Shared : b === 0x62 ? T.Bool : b === 0x65 ? T.Error : b === 0x64 ? T.Date : T.Number;
  if (len === 3 && b === 0x73) return T.Str;
  if (len === 9 && b === 0x69) return T.Inline;
  return T.Number;
}

/** 1 → A, 27 → AA. */
export function columnName(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}
