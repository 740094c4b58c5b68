import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Dialect, DriverErrorKind, Storage } from './dialect.js';
import { escapeLike } from './dialect.js';
import type { Schema } from './schema.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  types: { timestamp: 'timestamptz', json: 'jsonb', boolean: 'boolean', bigint: 'bigint', autoId: 'bigserial' },
  containsText(column, term) {
    return sql<boolean>`${column} ilike ${'%' + escapeLike(term) + '%'}`;
  },
  classifyError(err): DriverErrorKind | null {
    const e = err as { code?: unknown; constraint?: string };
    if (e?.code === '23505') return { kind: 'unique', constraint: e.constraint };
    if (e?.code === '23503') return { kind: 'foreign_key', constraint: e.constraint };
    if (e?.code === '22001') return { kind: 'too_long' };
    return null;
  },
  // Nothing as cheap and exact across a pool of connections and other processes.
  changeStamp: async () => null,
  changeStampExpression: null,
};

// Per-pool type parsers (not pg's global registry): the same shapes SQLite returns, whatever
// the process's time zone. timestamptz is an instant: an ISO string in UTC. DATE and timestamp
// (no zone: a record's DATETIME, a wall-clock time) stay the server's text — pg's own parsers
// build a Date in the process's zone, so under TZ=Asia/Shanghai 2024-02-29 came back as
// 2024-02-28T16:00:00.000Z. Counts (int8) and sums (numeric) are numbers; record values that
// must stay exact (INTEGER beyond 2^53, DECIMAL) are read as text by the record reader.
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;
const NUMERIC = 1700;
/** '2024-02-29 08:30:00.5' → '2024-02-29T08:30:00.5' (ISO 8601, no offset, as SQLite stores it). */
export const wallClockText = (v: string) => v.replace(' ', 'T');
export const customTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
    if (oid === TIMESTAMP) return wallClockText;
    if (oid === DATE) return (v: string) => v;
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Record values exactly as stored: int8 and numeric as their text too (record stores' streamed reads). */
export const exactRecordTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => v;
    return customTypes.getTypeParser(oid, format);
  },
};

export type PostgresOptions = { schema?: string; max?: number };

export function openPostgres(url: string, options: PostgresOptions = {}): Storage {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: customTypes,
    // A private schema (tests, benchmarks) is selected per connection through search_path.
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const shareableUrl = options.schema ? withSearchPath(url, options.schema) : url;
  return { db, url: shareableUrl, dialect: postgresDialect, close: () => db.destroy() };
}

/** A URL whose connections select `schema` first (pg reads `options` from the query string). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
