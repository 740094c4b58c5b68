import iconv from 'iconv-lite';
import type { DataType, MaskingRule } from '../../catalog/index.js';
import { maskValue } from './masking.js';
import { presentValue, type RecordValue } from './record-reader-values.js';

/**
 * The text forms of a whole export (a download file), written straight from the database's row
 * arrays: each value presented as the reader presents it (record-reader-values.ts), masked per
 * item when the read is masked (masking.ts), then written as a CSV cell or a JSON value. The
 * same bytes as formatting the reader's records one by one, with no object per row: a writer per
 * column is chosen once. Runs in an export thread (export-worker.ts) or, for a database no other
 * thread can open, in the request's thread (record-reader.ts).
 *
 * - csv: RFC 4180, CRLF; the header line first; a cell is quoted only when it holds a comma, a
 *   quote, a line break or edge spaces; null is empty.
 * - json: one array of objects (item code → value), one object per line.
 * Encodings: UTF-8 (CSV with a BOM, which Excel needs) or GBK for older Excel (characters GBK
 * cannot hold become '?', as iconv-lite writes them).
 */
export type ExportColumn = { code: string; dataType: DataType; mask: MaskingRule | null };
export type TextFormat = { kind: 'csv'; header: readonly string[]; encoding: 'utf-8' | 'gbk' } | { kind: 'json'; encoding?: 'utf-8' };
/** A workbook (export-xlsx.ts): the header row, then one row per record, on sheets named after `sheetName`. */
export type XlsxFormat = { kind: 'xlsx'; header: readonly string[]; sheetName: string };
export type ExportFormat = TextFormat | XlsxFormat;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV cell (RFC 4180): null empty, quotes doubled, quoted when it holds a separator, a quote, a line break or edge spaces. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Types whose presented form is the stored text itself (presentValue's default branch). */
const AS_STORED: ReadonlySet<DataType> = new Set<DataType>(['STRING', 'TEXT', 'DATE', 'DECIMAL']);

type Present = (raw: unknown) => RecordValue;

/** The reader's value of a column (presented, masked when the read is): what JSON and XLSX write. */
export function presenterOf(c: ExportColumn): Present {
  const rule = c.mask === 'NONE' ? null : c.mask;
  const dt = c.dataType;
  if (rule) return (raw) => maskValue(rule, presentValue(dt, raw));
  return (raw) => presentValue(dt, raw);
}

function csvWriterOf(c: ExportColumn): (raw: unknown) => string {
  if (AS_STORED.has(c.dataType) && (c.mask === null || c.mask === 'NONE')) {
    return (raw) => {
      if (raw === null || raw === undefined) return '';
      const s = typeof raw === 'string' ? raw : String(raw);
      return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
  }
  const present = presenterOf(c);
  return (raw) => csvCell(present(raw));
}

function jsonWriterOf(c: ExportColumn): (raw: unknown) => string {
  const present = presenterOf(c);
  return (raw) => JSON.stringify(present(raw) ?? null);
}

/** Writes row arrays (one value per column, in column order) as text, and encodes text as the format's bytes. */
export type ExportWriter = {
  /** The file's opening text (CSV: BOM-less header line; JSON: '['). */
  start(): string;
  rows(batch: readonly (readonly unknown[])[]): string;
  /** The file's closing text. */
  end(): string;
  encode(text: string, first: boolean): Buffer;
};

export function exportWriter(columns: readonly ExportColumn[], format: TextFormat): ExportWriter {
  const n = columns.length;
  if (format.kind === 'csv') {
    const cells = columns.map(csvWriterOf);
    const gbk = format.encoding === 'gbk';
    return {
      start: () => `${format.header.map(csvCell).join(',')}\r\n`,
      rows(batch) {
        let out = '';
        for (const row of batch) {
          let line = n > 0 ? cells[0]!(row[0]) : '';
          for (let i = 1; i < n; i++) line += `,${cells[i]!(row[i])}`;
          out += `${line}\r\n`;
        }
        return out;
      },
      end: () => '',
      encode: (text, first) => (gbk ? iconv.encode(text, 'gbk') : Buffer.from(first ? `\ufeff${text}` : text, 'utf8')),
    };
  }
  const values = columns.map(jsonWriterOf);
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.code)}:`);
  let any = false;
  return {
    start: () => '[',
    rows(batch) {
      let out = '';
      for (const row of batch) {
        let o = n === 0 ? '{' : '';
        for (let i = 0; i < n; i++) o += keys[i]! + values[i]!(row[i]);
        out += `${any ? ',\n' : '\n'}${o}}`;
        any = true;
      }
      return out;
    },
    end: () => `${any ? '\n' : ''}]\n`,
    encode: (text) => Buffer.from(text, 'utf8'),
  };
}
