import type SQLite from 'better-sqlite3';
import { isDatabaseBusy } from './driver-errors.js';

/**
 * One compiled read statement run at once on a database object's own connection, for hot paths
 * (ADR 0037): the rows, or null when it cannot run that way now and the caller must take the
 * ordinary (Kysely) path. Only the embedded SQLite connection has one: better-sqlite3 runs a
 * statement synchronously anyway, and a read in WAL mode never waits for a lock; what the
 * ordinary path adds is Kysely's executor and its promise turns, several times the cost of a key
 * lookup.
 */
export type SyncRead = (sql: string, parameters: readonly unknown[]) => Record<string, unknown>[] | null;

const readers = new WeakMap<object, SyncRead>();

/** The synchronous read of this database object (a Kysely instance), if its connection has one. */
export function syncReadOf(db: object): SyncRead | undefined {
  return readers.get(db);
}

export function registerSyncRead(db: object, read: SyncRead): void {
  readers.set(db, read);
}

/** Statements a sync reader keeps compiled, by SQL text (the first seen; a hot path has few shapes). */
const STATEMENTS = 200;

/** better-sqlite3 binds no booleans: they go in as 0/1, so repositories pass plain booleans on both dialects. */
export const sqliteBindable = (p: unknown) => (p === true ? 1 : p === false ? 0 : p);

/**
 * The sync read of one better-sqlite3 connection. It declines (null) — and the caller's ordinary
 * path runs the statement instead — when the connection is inside a transaction (a statement run
 * now would see, or join, another caller's uncommitted work), when the statement does not read,
 * and when SQLite answers busy (the ordinary path waits for that without blocking). Its statements
 * are its own and only run to completion (`all`), so none is ever still being iterated. Booleans
 * bind as 0/1, as withBooleanParams does.
 */
export function sqliteSyncRead(raw: SQLite.Database): SyncRead {
  const statements = new Map<string, SQLite.Statement>();
  return (source, parameters) => {
    if (raw.inTransaction) return null;
    let stmt = statements.get(source);
    if (!stmt) {
      stmt = raw.prepare(source);
      if (statements.size >= STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(source, stmt);
    }
    if (!stmt.reader) return null;
    try {
      return stmt.all(parameters.map(sqliteBindable)) as Record<string, unknown>[];
    } catch (err) {
      if (isDatabaseBusy(err)) return null;
      throw err;
    }
  };
}
