import type { DataType } from '../../catalog/index.js';
import { parseDecimal } from '../parsing/coerce-number.js';
import { isCanonical } from '../parsing/coerce-temporal.js';
import type { CursorKey } from '../../../shared/page.js';

/**
 * The record reader's value forms, one per data type, equal on SQLite and PostgreSQL (ADR 0007):
 *   STRING, TEXT   string
 *   INTEGER        number when a safe integer (|n| ≤ 2^53 − 1), else its exact decimal string
 *   DECIMAL        exact decimal string as loaded ('123456789012345678.123456', '12.50' with scale 2)
 *   DOUBLE         number
 *   DATE           'YYYY-MM-DD'
 *   DATETIME       'YYYY-MM-DDTHH:mm:ss[.ffffff]' — wall-clock time, no offset, trailing zeros trimmed
 *   BOOLEAN        boolean
 *   BINARY         base64 string
 * The repository reads INTEGER and DECIMAL as text (drivers would round them through a double).
 */
export type RecordValue = string | number | boolean | null;

export const READ_AS_TEXT: ReadonlySet<DataType> = new Set<DataType>(['INTEGER', 'DECIMAL']);

const SAFE_INTEGER_TEXT = /^-?\d{1,15}$/;

export function presentValue(dataType: DataType, raw: unknown): RecordValue {
  if (raw === null || raw === undefined) return null;
  switch (dataType) {
    case 'INTEGER': {
      const text = String(raw);
      if (SAFE_INTEGER_TEXT.test(text)) return Number(text);
      return Number.isSafeInteger(Number(text)) ? Number(text) : text;
    }
    case 'DOUBLE':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'BOOLEAN':
      return raw === true || raw === 1 || raw === '1' || raw === 't' || raw === 'true' || raw === 1n;
    case 'BINARY':
      return Buffer.isBuffer(raw) ? raw.toString('base64') : raw instanceof Uint8Array ? Buffer.from(raw).toString('base64') : String(raw);
    case 'DATETIME':
      return wallClock(String(raw));
    default:
      return String(raw);
  }
}

/**
 * One form for a wall-clock date-time: PostgreSQL's 'YYYY-MM-DD HH:mm:ss.ffffff' and SQLite's
 * stored text alike. An offset is dropped, as PostgreSQL's timestamp column drops it on input.
 */
export function wallClock(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(s);
  if (!m) return s;
  const fraction = (m[3] ?? '').slice(0, 6).replace(/0+$/, '');
  return `${m[1]}T${m[2]}${fraction ? `.${fraction}` : ''}`;
}

/** A value a caller compares with (filters, keys, cursors) as the database binds it, or a reason it is not one. */
export type Bound = { ok: true; value: unknown } | { ok: false; reason: string };

const INTEGER = /^[+-]?\d{1,19}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type ValueSpec = { dataType: DataType; length: number | null; precision: number | null };

/**
 * Checks a compared value against the item's data type and gives what the query binds: never
 * text pasted into SQL. Dates and date-times must be canonical (the forms the reader returns).
 */
export function bindValue(spec: ValueSpec, input: string | number | boolean): Bound {
  const text = typeof input === 'string' ? input : String(input);
  if (text.includes('\u0000')) return { ok: false, reason: 'contains a NUL character' };
  switch (spec.dataType) {
    case 'STRING':
    case 'TEXT':
      return text.length <= 4000 ? { ok: true, value: text } : { ok: false, reason: 'longer than 4000 characters' };
    case 'INTEGER': {
      if (!INTEGER.test(text)) return { ok: false, reason: `not an integer: '${short(text)}'` };
      const big = BigInt(text);
      if (big < INT64_MIN || big > INT64_MAX) return { ok: false, reason: `integer out of range (64 bits): '${short(text)}'` };
      return { ok: true, value: big };
    }
    case 'DECIMAL': {
      if (text.length > 100) return { ok: false, reason: 'not a decimal number' };
      const scale = spec.precision !== null && spec.precision >= 0 ? spec.precision : null;
      const d = parseDecimal(text, null, scale);
      return typeof d === 'string' ? { ok: true, value: d } : { ok: false, reason: d.reason };
    }
    case 'DOUBLE': {
      const n = typeof input === 'number' ? input : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `not a number: '${short(text)}'` };
    }
    case 'DATE':
      return isCanonical(text, false) ? { ok: true, value: text } : { ok: false, reason: `not a date (YYYY-MM-DD): '${short(text)}'` };
    case 'DATETIME': {
      const m = /^(.{19})(\.\d{1,6})?$/.exec(text);
      return m && isCanonical(m[1]!, true)
        ? { ok: true, value: wallClock(text) }
        : { ok: false, reason: `not a date-time (YYYY-MM-DDTHH:mm:ss[.ffffff]): '${short(text)}'` };
    }
    case 'BOOLEAN':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, reason: `not a boolean (true or false): '${short(text)}'` };
    case 'BINARY':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return { ok: false, reason: 'not base64' };
      return { ok: true, value: Buffer.from(text, 'base64') };
  }
}

/** A key value as the cursor carries it: exact (INTEGER and DECIMAL as text), JSON-safe. */
export function cursorValue(presented: RecordValue): CursorKey {
  if (presented === null) return null;
  if (typeof presented === 'boolean') return presented ? 'true' : 'false';
  if (typeof presented === 'number') return Number.isInteger(presented) ? String(presented) : presented;
  return presented;
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
