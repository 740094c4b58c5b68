import { isUtf8 } from 'node:buffer';
import SQLite from 'better-sqlite3';
import iconv from 'iconv-lite';
import type { DataType } from '../../catalog/index.js';
import { exportWriter, type ExportColumn, type ExportFormat } from './export-format.js';

/**
 * CSV pages written by SQLite (ADR 0034): for a plain CSV export on SQLite — no filter, one key
 * column, every column unmasked and of a type whose CSV cell is its stored text — the export
 * thread asks SQLite for whole pages of finished lines (`group_concat` of the cells joined with
 * ',' and CRLF, handed over as one blob per page) instead of one row array per row. Rows reach
 * JavaScript a page at a time (thousands per call), not one at a time.
 *
 * SQLite does not quote: a page is used as it came only when a scan of its bytes proves no cell
 * needed quoting (no '"', exactly the separators' commas, CRs and LFs, no whitespace at a cell's
 * edge — the same rules as csvCell). Any other page is read again as row arrays, in the same read
 * transaction (same snapshot, same key range), and written by the ordinary writer
 * (export-format.ts). So the bytes are always those of the ordinary writer.
 *
 * Pages follow the key (keyset: `key > last`, `limit`), all in one read transaction: one
 * snapshot, like the one statement of the ordinary thread export. The page size adapts so a page
 * is about `pageBytes` whatever the rows' width (memory stays bounded for wide rows too).
 */
export type PagedCsv = { table: string; key: string; columns: { column: string; dataType: DataType }[] };

/** Types whose CSV cell is the stored text as SQLite concatenates it (INTEGER: canonical digits, which presentValue keeps). */
const AS_TEXT: ReadonlySet<DataType> = new Set<DataType>(['INTEGER', 'STRING', 'TEXT', 'DATE', 'DECIMAL']);

/** The paged plan for an export, or null when it has to go through the ordinary writer. */
export function pagedCsvOf(spec: {
  table: string;
  keys: readonly { column: string; dataType: DataType }[];
  columns: readonly ExportColumn[];
  filtered: boolean;
  format: ExportFormat;
}): PagedCsv | null {
  if (spec.format.kind !== 'csv' || spec.filtered || spec.keys.length !== 1 || spec.columns.length === 0) return null;
  const [key] = spec.keys;
  // DECIMAL keys are ordered as numbers (a cast), not by the key's index: not pageable by `key > ?`.
  if (key!.dataType === 'DECIMAL') return null;
  if (!spec.columns.every((c) => AS_TEXT.has(c.dataType) && (c.mask === null || c.mask === 'NONE'))) return null;
  return { table: spec.table, key: key!.column, columns: spec.columns.map((c) => ({ column: c.code, dataType: c.dataType })) };
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Multi-byte UTF-8 whitespace of JavaScript's `\s` (U+00A0, U+1680, U+205F, U+3000, U+FEFF; U+2000–200A, 2028, 2029, 202F below). */
const WIDE_SPACES = [
  [0xc2, 0xa0],
  [0xe1, 0x9a, 0x80],
  [0xe2, 0x81, 0x9f],
  [0xe3, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
].map((b) => Buffer.from(b));
const E2_80 = Buffer.from([0xe2, 0x80]);

/**
 * True when `page` (UTF-8 lines of `columns` cells joined by ',' and CRLF, no final CRLF) is
 * exactly what csvCell would write for its `rows` rows: valid UTF-8, no quote, no comma, CR or
 * LF but the separators, no tab, VT or FF, no space at a cell's edge, and no multi-byte
 * whitespace at all (rare enough that such a page simply goes to the ordinary writer).
 */
export function cleanCsvPage(page: Uint8Array, rows: number, columns: number): boolean {
  let commas = 0;
  let crs = 0;
  let lfs = 0;
  let prev = 0x0a; // the page starts as after a line break
  for (let i = 0, n = page.length; i < n; i++) {
    const c = page[i]!;
    if (c > 0x2c) {
      prev = c;
      continue;
    }
    if (c === 0x2c) {
      commas++;
      if (prev === 0x20) return false;
    } else if (c === 0x20) {
      if (prev === 0x2c || prev === 0x0a) return false;
    } else if (c === 0x0d) {
      crs++;
      if (prev === 0x20) return false;
    } else if (c === 0x0a) {
      lfs++;
      if (prev !== 0x0d) return false;
    } else if (c === 0x22 || (c >= 0x09 && c <= 0x0c)) return false;
    prev = c;
  }
  if (prev === 0x20 || commas !== rows * (columns - 1) || crs !== rows - 1 || lfs !== rows - 1) return false;
  // Text that is not valid UTF-8 would be decoded (with U+FFFD) by the ordinary path, not passed on.
  if (!isUtf8(page)) return false;
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  for (const s of WIDE_SPACES) if (buf.indexOf(s) >= 0) return false;
  for (let i = buf.indexOf(E2_80); i >= 0; i = buf.indexOf(E2_80, i + 2)) {
    const t = buf[i + 2]!;
    if ((t >= 0x80 && t <= 0x8a) || t === 0xa8 || t === 0xa9 || t === 0xaf) return false;
  }
  return true;
}

const CRLF = Buffer.from('\r\n');
const BOM = Buffer.from('\ufeff');

export type PagedOptions = {
  pageBytes?: number;
  firstRows?: number;
  maxRows?: number;
  /** Told of each non-empty page: used as SQLite wrote it (clean) or rewritten by the ordinary writer. */
  onPage?: (page: { clean: boolean; rows: number }) => void;
};

/**
 * The export's encoded chunks (header first), one per page, each with the rows it holds. Opens
 * its own connection to `file` (read-write refusing writes, as storage/row-batches.ts does, so
 * it maps the WAL index), closed when the generator ends or is stopped.
 */
export async function* sqliteCsvPages(
  file: string,
  plan: PagedCsv,
  columns: readonly ExportColumn[],
  format: Extract<ExportFormat, { kind: 'csv' }>,
  options: PagedOptions = {},
): AsyncGenerator<{ bytes: Buffer; rows: number }> {
  const pageBytes = options.pageBytes ?? 256 * 1024;
  const maxRows = options.maxRows ?? 16_384;
  let pageRows = options.firstRows ?? 256;
  const gbk = format.encoding === 'gbk';
  const writer = exportWriter(columns, format);
  const n = plan.columns.length;
  const cell = (c: PagedCsv['columns'][number]) =>
    c.dataType === 'INTEGER' || c.dataType === 'DECIMAL' ? `coalesce(cast(r.${q(c.column)} as text), '')` : `coalesce(r.${q(c.column)}, '')`;
  const line = plan.columns.map(cell).join(` || ',' || `);
  const rawColumns = plan.columns
    .map((c) => (c.dataType === 'INTEGER' || c.dataType === 'DECIMAL' ? `cast(r.${q(c.column)} as text)` : `r.${q(c.column)}`))
    .join(', ');
  const key = `r.${q(plan.key)}`;
  const from = `from ${q(plan.table)} as r where r."_deleted" = 0`;
  const pageSql = (after: boolean) =>
    `select cast(group_concat(line, char(13, 10)) as blob), count(*), max(k) from (select ${line} as line, ${key} as k ${from}${after ? ` and ${key} > ?` : ''} order by ${key} limit ?)`;
  const rowsSql = (after: boolean) => `select ${rawColumns} ${from}${after ? ` and ${key} > ?` : ''} order by ${key} limit ?`;

  const db = new SQLite(file, { fileMustExist: true });
  let open = false;
  try {
    db.pragma('query_only = 1');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('busy_timeout = 5000');
    // Keys come back exact (bigint) and are bound again as they came.
    const firstPage = db.prepare(pageSql(false)).raw(true).safeIntegers(true);
    const nextPage = db.prepare(pageSql(true)).raw(true).safeIntegers(true);
    const firstRows = db.prepare(rowsSql(false)).raw(true);
    const nextRows = db.prepare(rowsSql(true)).raw(true);
    db.exec('begin');
    open = true;
    let head: Buffer | null = Buffer.concat([gbk ? Buffer.alloc(0) : BOM, encode(writer.start(), gbk)]);
    let after: unknown = undefined;
    for (;;) {
      const args = after === undefined ? [pageRows] : [after, pageRows];
      const [blob, count, last] = (after === undefined ? firstPage : nextPage).get(...args) as [Buffer | null, bigint, unknown];
      const rows = Number(count);
      const parts: Buffer[] = head ? [head] : [];
      head = null;
      if (rows > 0) {
        const clean = cleanCsvPage(blob!, rows, n);
        options.onPage?.({ clean, rows });
        if (clean && !gbk) parts.push(blob!, CRLF);
        else if (clean) parts.push(iconv.encode(`${blob!.toString('utf8')}\r\n`, 'gbk'));
        else {
          // Some cell needs quoting (or the bytes are not plain): the same rows through the ordinary writer.
          const batch = (after === undefined ? firstRows : nextRows).all(...args) as unknown[][];
          parts.push(encode(writer.rows(batch), gbk));
        }
      }
      if (parts.length > 0) yield { bytes: Buffer.concat(parts), rows };
      if (rows < pageRows) break;
      after = last;
      const perRow = blob!.length / rows + 2;
      pageRows = Math.max(16, Math.min(maxRows, Math.round(pageBytes / perRow)));
    }
  } finally {
    if (open && db.inTransaction) db.exec('rollback');
    db.close();
  }
}

const encode = (text: string, gbk: boolean) => (gbk ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
