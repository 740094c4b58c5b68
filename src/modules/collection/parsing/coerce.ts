import type { DataType } from '../../catalog/index.js';
import { parseDecimal, parseDouble, parseInteger } from './coerce-number.js';
import { formatDate, formatDateTime, isCanonical, isMidnight, parseTemporal } from './coerce-temporal.js';
import { characterCount, quote, toHalfWidth } from './coerce-text.js';
import { CoerceFailure, type CellValue, type Converted } from './coerce-value.js';

export { CoerceFailure, type CellValue, type Converted } from './coerce-value.js';

/** What a data item declares about its values (the catalogue's item fields that matter here). */
export interface CoercibleItem {
  code: string;
  name: string;
  dataType: DataType;
  /** STRING/TEXT: most characters; INTEGER: most digits; DECIMAL: total digits; BINARY: most bytes. */
  length?: number | null;
  /** DECIMAL: digits after the point (the scale). */
  precision?: number | null;
  nullable: boolean;
  primaryKey: boolean;
}

export type CoerceResult = { ok: true; value: CellValue } | { ok: false; reason: string };

/** Converts one cell; compiled once per item so the per-cell work is one closure call. */
export type Coercer = (raw: string | null | undefined) => CoerceResult;

/** The allocation-free form used for whole rows: a value, or a CoerceFailure. */
export type CellConverter = (raw: string | null | undefined) => Converted;

export interface CoerceOptions {
  /** Cell texts meaning "no value", e.g. ['NULL', '\\N'] for database dumps. Compared after trimming. */
  nullTokens?: readonly string[];
}

const TRUE_WORDS = ['是', '真', 'true', 't', 'yes', 'y', '1'];
const FALSE_WORDS = ['否', '假', 'false', 'f', 'no', 'n', '0'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:0x|\\x)([0-9a-fA-F]*)$/;

export function compileCoercer(item: CoercibleItem, options: CoerceOptions = {}): Coercer {
  const convert = compileCellConverter(item, options);
  return (raw) => {
    const v = convert(raw);
    return v instanceof CoerceFailure ? { ok: false, reason: v.reason } : { ok: true, value: v };
  };
}

export function compileCellConverter(item: CoercibleItem, options: CoerceOptions = {}): CellConverter {
  const empty: Converted = item.primaryKey || !item.nullable ? new CoerceFailure('required but empty') : null;
  const nullTokens = options.nullTokens?.length ? new Set(options.nullTokens) : null;
  const convert = converter(item);
  return (raw) => {
    if (raw === null || raw === undefined) return empty;
    // trim() also removes the ideographic space U+3000, NBSP and a stray BOM.
    const s = raw.trim();
    if (s === '' || (nullTokens !== null && nullTokens.has(s))) return empty;
    return convert(s);
  };
}

/** The conversion of a non-empty, trimmed cell for one item's type. */
function converter(item: CoercibleItem): (s: string) => Converted {
  const length = item.length && item.length > 0 ? item.length : null;
  switch (item.dataType) {
    case 'STRING':
    case 'TEXT':
      if (length === null) return (s) => s;
      return (s) => (s.length <= length || characterCount(s) <= length ? s : new CoerceFailure(`longer than ${length} characters (${characterCount(s)})`));
    case 'INTEGER':
      return (s) => parseInteger(s, length);
    case 'DOUBLE':
      return parseDouble;
    case 'DECIMAL': {
      const scale = item.precision !== null && item.precision !== undefined && item.precision >= 0 ? item.precision : null;
      return (s) => parseDecimal(s, length, scale);
    }
    case 'DATE':
      return (s) => {
        if (isCanonical(s, false)) return s;
        const p = parseTemporal(s);
        if (p instanceof CoerceFailure) return p;
        return isMidnight(p) ? formatDate(p) : new CoerceFailure(`a date cannot have a time of day: ${quote(s)}`);
      };
    case 'DATETIME':
      return (s) => {
        if (isCanonical(s, true)) return s.charCodeAt(10) === 84 ? s : `${s.slice(0, 10)}T${s.slice(11)}`;
        const p = parseTemporal(s);
        return p instanceof CoerceFailure ? p : formatDateTime(p);
      };
    case 'BOOLEAN':
      return booleanConverter();
    case 'BINARY':
      return (s) => parseBinary(s, length);
  }
}

function booleanConverter(): (s: string) => Converted {
  const words = new Map<string, boolean>();
  for (const w of TRUE_WORDS) words.set(w, true);
  for (const w of FALSE_WORDS) words.set(w, false);
  return (s) => words.get(toHalfWidth(s).toLowerCase()) ?? new CoerceFailure(`not a boolean: ${quote(s)} (use 是/否, true/false, 1/0 or Y/N)`);
}

/** Hex with a 0x or \x prefix (PostgreSQL's bytea output), otherwise base64. */
function parseBinary(s: string, maxBytes: number | null): Converted {
  let bytes: Buffer;
  const hex = HEX.exec(s);
  if (hex) {
    if (hex[1]!.length % 2 !== 0) return new CoerceFailure(`odd number of hex digits: ${quote(s)}`);
    bytes = Buffer.from(hex[1]!, 'hex');
  } else if (s.length % 4 === 0 && BASE64.test(s)) {
    bytes = Buffer.from(s, 'base64');
  } else {
    return new CoerceFailure(`not base64 or 0x-prefixed hex: ${quote(s)}`);
  }
  if (maxBytes !== null && bytes.length > maxBytes) return new CoerceFailure(`longer than ${maxBytes} bytes (${bytes.length})`);
  return bytes;
}
