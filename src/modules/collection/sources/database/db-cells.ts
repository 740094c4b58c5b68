/**
 * Database values → the text cells of the common pipeline. Connectors ask their drivers for the
 * server's own text (no Date objects, no floats for decimals), so nothing is rounded or shifted
 * by the platform's time zone; only the shapes below are normalised.
 */
export type ColumnKind = 'text' | 'date' | 'datetime' | 'boolean' | 'bytes' | 'bit';

export type ResultColumn = { name: string; kind: ColumnKind };

const DATETIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:Z|[+-]\d{2}(?::?\d{2}){0,2})?$/;
// MySQL's "zero" dates mean "no value" (JDBC's zeroDateTimeBehavior=convertToNull does the same).
const ZERO_DATE = /^0000-00-00/;

/**
 * 'YYYY-MM-DD HH:mm:ss[.ffffff][+08]' → 'YYYY-MM-DDTHH:mm:ss' (+ '.sss' when there are
 * milliseconds), like spreadsheet cells. The offset is dropped: the session's time zone was set
 * to the source's, so the text is that zone's wall clock.
 */
export function datetimeText(raw: string): string | null {
  if (ZERO_DATE.test(raw)) return null;
  const m = DATETIME.exec(raw);
  if (!m) return raw;
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  return `${m[1]}T${m[2]}${ms === '000' ? '' : `.${ms}`}`;
}

export function dbCell(value: unknown, kind: ColumnKind): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) {
    if (kind === 'bit' && value.length === 1) return value[0] ? 'true' : 'false';
    return value.toString('base64');
  }
  switch (typeof value) {
    case 'string':
      switch (kind) {
        case 'date':
          return ZERO_DATE.test(value) ? null : value;
        case 'datetime':
          return datetimeText(value);
        case 'boolean':
          return value === 't' || value === 'true' || value === '1' ? 'true' : value === 'f' || value === 'false' || value === '0' ? 'false' : value;
        case 'bytes':
          // PostgreSQL's hex output of bytea: \x0aff…
          return value.startsWith('\\x') ? Buffer.from(value.slice(2), 'hex').toString('base64') : value;
        default:
          return value;
      }
    case 'number':
      // MySQL BOOLEAN is TINYINT(1); a value other than 0/1 in such a column stays a number.
      if (kind === 'boolean' && (value === 0 || value === 1)) return value === 1 ? 'true' : 'false';
      return String(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace(/\.000Z$|Z$/, '');
      return JSON.stringify(value);
  }
}
