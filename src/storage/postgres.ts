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
};

// Per-pool type parsers (not pg's global registry): timestamps come back as ISO strings and
// counts (int8) as numbers, the same shapes SQLite returns.
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const INT8 = 20;
const NUMERIC = 1700;
export const customTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return (v: string) => new Date(v).toISOString();
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
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
