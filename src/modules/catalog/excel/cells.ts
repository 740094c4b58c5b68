/**
 * Cell values as the importer sees them, and the parsers that turn what departments type into
 * catalogue values (labels, legacy codes, 是/否, dates). Pure functions: no exceljs, no database.
 */
export type CellValue = string | number | boolean | Date | { error: string } | null;
/** What the exporter writes into a cell. */
export type CellOut = string | number | Date | null;

/** A cell that could not be read; `code` becomes `errors[].code` of IMPORT_REJECTED. */
export class Invalid {
  constructor(
    readonly message: string,
    readonly code: 'UNKNOWN_VALUE' | 'INVALID_VALUE' | 'CELL_ERROR' = 'INVALID_VALUE',
  ) {}
}
export type Parsed<T> = T | undefined | Invalid;
export type CellParser<T> = (cell: CellValue) => Parsed<T>;

type RichText = { richText: { text: string }[] };

/** exceljs values (rich text, formulas, hyperlinks, errors) → a plain value; blank → null. */
export function normalizeCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? null : s;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray((o as RichText).richText)) return normalizeCell((o as RichText).richText.map((r) => r.text ?? '').join(''));
    if ('result' in o) return normalizeCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (typeof o.text === 'string') return normalizeCell(o.text);
    if (typeof o.error === 'string') return { error: o.error };
  }
  return null;
}

/** A cell as text, for headers, names and free text; dates become YYYY-MM-DD. */
export function cellText(cell: CellValue): string | null {
  if (cell === null) return null;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return null;
}

/** Labels compare after NFKC (full-width Ｌ２ → L2, （） → ()), without whitespace, case-insensitively. */
export const normalizeLabel = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/** Blank cells parse to undefined and Excel error cells (#N/A …) to Invalid, before `parse` sees them. */
export function guard<T>(parse: (cell: Exclude<CellValue, null | { error: string }>) => Parsed<T>): CellParser<T> {
  return (cell) => {
    if (cell === null) return undefined;
    if (typeof cell === 'object' && !(cell instanceof Date)) return new Invalid(`the cell holds the Excel error ${cell.error}`, 'CELL_ERROR');
    return parse(cell);
  };
}

export const text: CellParser<string> = guard((c) => cellText(c) ?? undefined);

/** Lists typed into one cell: 接口、库表 / a,b / one per line. */
const LIST_SEPARATORS = /[,，、;；\n]+/;
export const textList = (separators: RegExp = LIST_SEPARATORS): CellParser<string[]> =>
  guard((c) =>
    (cellText(c) ?? '')
      .split(separators)
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const integer: CellParser<number> = guard((c) => {
  const n = typeof c === 'number' ? c : typeof c === 'string' && /^[+-]?\d+(\.0+)?$/.test(c.normalize('NFKC')) ? Number(c.normalize('NFKC')) : NaN;
  return Number.isInteger(n) ? n : new Invalid(`'${cellText(c)}' is not a whole number`);
});

/** 数据长度 also arrives as "10,2" (length, decimals) in national templates. */
export const lengthAndPrecision: CellParser<{ length: number; precision?: number }> = guard((c) => {
  if (typeof c === 'string') {
    const m = /^(\d+)\s*[,，.]\s*(\d+)$/.exec(c.normalize('NFKC'));
    if (m) return { length: Number(m[1]), precision: Number(m[2]) };
  }
  const n = integer(c);
  return n instanceof Invalid || n === undefined ? n : { length: n };
});

const TRUE = new Set(['是', 'Y', 'YES', 'TRUE', '1', '√', '✓', '有']);
const FALSE = new Set(['否', 'N', 'NO', 'FALSE', '0', '×', '✗', '无']);
export const yesNo: CellParser<boolean> = guard((c) => {
  if (typeof c === 'boolean') return c;
  const s = normalizeLabel(cellText(c) ?? '');
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return new Invalid(`'${cellText(c)}' is neither 是 nor 否`, 'UNKNOWN_VALUE');
});

export const formatYesNo = (b: boolean) => (b ? '是' : '否');

const pad = (n: number) => String(n).padStart(2, '0');
function isoDate(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * Dates as departments leave them: a date cell, an Excel serial number (when the reader skips
 * styles), 20240105, or 2024-01-05 / 2024/1/5 / 2024.1.5 / 2024年1月5日.
 */
export const date: CellParser<string> = guard((c) => {
  const bad = () => new Invalid(`'${cellText(c)}' is not a date (YYYY-MM-DD)`);
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? bad() : c.toISOString().slice(0, 10);
  if (typeof c === 'number') {
    if (Number.isInteger(c) && c >= 19000101 && c <= 21001231) return isoDate(Math.floor(c / 10000), Math.floor(c / 100) % 100, c % 100) ?? bad();
    if (c >= 1 && c < 2958466) return new Date(EXCEL_EPOCH + Math.floor(c) * 86_400_000).toISOString().slice(0, 10);
    return bad();
  }
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(String(c).normalize('NFKC'));
  return (m && isoDate(Number(m[1]), Number(m[2]), Number(m[3]))) || bad();
});

/** Excel shows a date cell; stored dates are UTC calendar days, so the cell is UTC midnight. */
export const dateCell = (iso: string | null): Date | null => (iso ? new Date(`${iso}T00:00:00.000Z`) : null);

type LabelledList<K extends string | number> = Readonly<Record<K, { zh: string; en: string }>>;

/**
 * A code list read from labels: the Chinese label, the English label, the code itself
 * (UNCONDITIONAL, 01, 3) and the given aliases (受限共享 → CONDITIONAL) all name an entry.
 */
export function codeList<K extends string | number>(what: string, list: LabelledList<K>, aliases: Record<string, NoInfer<K>> = {}) {
  // Numeric code lists (1 基础, 2 主题 …) keep number keys; '01'…'10' style lists keep strings.
  const raw = Object.keys(list);
  const numeric = raw.every((k) => /^[1-9]\d*$/.test(k));
  const keys = raw.map((k) => (numeric ? Number(k) : k)) as K[];
  const byLabel = new Map<string, K>();
  const add = (label: string, key: K) => {
    const n = normalizeLabel(label);
    const prior = byLabel.get(n);
    if (prior !== undefined && prior !== key) throw new Error(`code list ${what}: '${label}' names both ${prior} and ${key}`);
    byLabel.set(n, key);
  };
  for (const k of keys) {
    const entry = list[k];
    add(entry.zh, k);
    add(entry.en, k);
    add(String(k), k);
    if (/^0\d$/.test(String(k))) add(String(Number(k)), k);
  }
  for (const [label, k] of Object.entries(aliases)) add(label, k);
  const shown = keys.map((k) => list[k].zh).join('、');

  const lookup = (raw: string): K | Invalid => byLabel.get(normalizeLabel(raw)) ?? new Invalid(`'${raw}' is not a ${what} (${shown})`, 'UNKNOWN_VALUE');
  return {
    parse: guard<K>((c) => lookup(cellText(c) ?? '')),
    parseList: guard<K[]>((c) => {
      const out: K[] = [];
      for (const part of (cellText(c) ?? '')
        .split(LIST_SEPARATORS)
        .map((s) => s.trim())
        .filter(Boolean)) {
        const k = lookup(part);
        if (k instanceof Invalid) return k;
        if (!out.includes(k)) out.push(k);
      }
      return out;
    }),
    label: (k: K) => list[k].zh,
    labels: keys.map((k) => list[k].zh),
  };
}
