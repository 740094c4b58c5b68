import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Schema } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Everything that differs between the embedded SQLite default and PostgreSQL lives behind this
 * interface (src/storage/sqlite.ts, src/storage/postgres.ts). Modules never test the dialect name.
 */
export interface Dialect {
  readonly name: DialectName;
  /** Column types used by migrations. */
  readonly types: {
    timestamp: 'text' | 'timestamptz';
    json: 'text' | 'jsonb';
    boolean: 'integer' | 'boolean';
    bigint: 'integer' | 'bigint';
    autoId: 'integer' | 'bigserial';
  };
  /** Case-insensitive substring match, with LIKE wildcards in `term` escaped. */
  containsText(column: Expression<string | null>, term: string): Expression<SqlBool>;
  /** Is this driver error a unique-constraint, foreign-key or length violation? */
  classifyError(err: unknown): DriverErrorKind | null;
  /**
   * A value that changes whenever anything is committed to the database, by this connection or any
   * other (a worker thread, the CLI), cheap enough to read per request; null where there is none.
   * Lets a read cache stay exact.
   */
  changeStamp(db: Db): Promise<string | null>;
  /**
   * The same stamp as one SQL expression, so a statement reads it in the snapshot of its own rows
   * (ADR 0037); null where there is none.
   */
  readonly changeStampExpression: string | null;
}

export type DriverErrorKind = { kind: 'unique'; constraint?: string } | { kind: 'foreign_key'; constraint?: string } | { kind: 'too_long' };

export type Db = Kysely<Schema>;

export interface Storage {
  readonly db: Db;
  /** How another thread or process opens the same database (`sqlite:<file>` or a postgres URL); null for a private in-memory one. */
  readonly url: string | null;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}

export function fromJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') return JSON.parse(v) as T;
  return v as T;
}

export function toJson(v: unknown): string {
  return JSON.stringify(v ?? null);
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
