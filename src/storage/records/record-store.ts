import type { ColumnType as DataType } from '../column-types.js';
import type { Db, DialectName } from '../dialect.js';

/**
 * Per-resource record tables (the collected data itself) behind one interface, implemented for
 * SQLite (sqlite-records.ts) and PostgreSQL (postgres-records.ts). A store owns one private
 * connection: collection jobs run in worker threads, each with its own store.
 *
 * A load stages rows outside the live table (an attached scratch file on SQLite; on PostgreSQL a
 * TEMP table filled by COPY, or for a first load a table created in the load's own transaction
 * and swapped in), then merges them in ONE short transaction together with the
 * job's final status: a crash at any point leaves either the whole batch or none of it visible.
 */
export interface RecordStore {
  readonly dialect: DialectName;
  /** Kysely over the store's own connection (registry and job bookkeeping). */
  readonly db: Db;
  /**
   * A connection that stays usable while a load is staging (PostgreSQL's COPY occupies `db`'s):
   * rejected rows are written through it. On SQLite it is `db` itself.
   */
  readonly sideDb: Db;
  createTable(table: string, columns: ColumnSpec[], keyColumns: string[]): Promise<void>;
  addColumn(table: string, column: ColumnSpec): Promise<void>;
  renameColumn(table: string, from: string, to: string): Promise<void>;
  dropTable(table: string): Promise<void>;
  /**
   * Runs `work` (table DDL and registry rows through `db`) in one transaction that no other
   * store runs at the same time for the same `key`: two first loads of a resource must not both
   * create its table.
   */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  beginLoad(spec: LoadSpec): Promise<LoadSession>;
  /** Streams live records (not deleted) in key order, for reads, exports and checks. */
  readRecords(table: string, columns: string[], options?: { limit?: number; includeDeleted?: boolean }): AsyncIterable<Record<string, unknown>>;
  /**
   * Hands every live record to `visit`, synchronously, in table order; returns how many. The row
   * object is reused between calls: copy what you keep. For whole-table checks in a worker
   * thread: on SQLite the records never leave one SQL statement (an application-defined
   * aggregate function calls `visit`), which is several times faster than `readRecords`.
   */
  visitRecords(table: string, columns: string[], visit: (row: Record<string, unknown>) => void): Promise<number>;
  close(): Promise<void>;
}

export type ColumnSpec = { column: string; dataType: DataType; precision?: number | null; length?: number | null };

export type LoadSpec = {
  table: string;
  /** The columns staged, in the order of each row's `values`: the columns the input carries. */
  columns: ColumnSpec[];
  /**
   * The table has live columns the input does not carry: they keep their stored values. An
   * updated row then stores PARTIAL_HASH (its full content is not known here), and rows are
   * compared column by column instead of by `_hash`.
   */
  partial: boolean;
  keyColumns: string[];
  jobId: string;
  batchId: string;
  source: string;
  receivedAt: string;
  /** A full snapshot: live rows whose key is absent from the batch are marked deleted. */
  snapshot: boolean;
  /** The table has rows marked deleted: count those the batch brings back (kept live counts exact). */
  countRevived: boolean;
};

/**
 * `hash` is the row's full content hash: over every live column, absent ones as null (what an
 * inserted row holds).
 */
export type StagedRow = { rowNumber: number; values: unknown[]; hash: string };

/**
 * The `_hash` of a row a partial load updated: "unknown, compare the columns". No content hash
 * is empty, so a later load never takes it for a match.
 */
export const PARTIAL_HASH = '';

/**
 * A key the batch carries more than once: its last row wins and counts once (inserted, updated or
 * unchanged); `repeatedKeys` counts such keys, `repeated` the earlier rows the last one replaced.
 */
export type MergeCounts = {
  staged: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  revived: number;
  repeated: number;
  repeatedKeys: number;
};

export interface LoadSession {
  append(rows: StagedRow[]): Promise<void>;
  /**
   * Merges the staged rows into the live table and runs `finalize` (job status, counters) in the
   * same transaction, then commits.
   */
  commit(finalize: (tx: Db, counts: MergeCounts) => Promise<void>): Promise<MergeCounts>;
  /** Discards the staged rows; the live table was never touched. */
  abort(): Promise<void>;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
