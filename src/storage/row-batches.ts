import SQLite from 'better-sqlite3';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { customTypes } from './postgres.js';

/**
 * One read-only statement streamed in batches of row arrays (column order of the select), on a
 * connection of its own opened from a database URL (Storage.url): SQLite iterates the statement
 * (one read transaction, so one snapshot; WAL readers never wait for writers), PostgreSQL reads
 * a cursor. Used where a whole table is read once (exports) off the main connection, which stays
 * free for other requests. `sql` and `params` are a compiled query of the same dialect.
 */
export interface RowBatches {
  batches(sql: string, params: readonly unknown[], size: number): AsyncGenerator<unknown[][]>;
  close(): Promise<void>;
}

export async function openRowBatches(url: string): Promise<RowBatches> {
  if (url.startsWith('sqlite:')) return sqliteRowBatches(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return postgresRowBatches(url);
  throw new Error(`no row reader for database URL '${url}'`);
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: booleans as 0/1, bytes as a Buffer (they arrive as Uint8Array from another thread). */
const sqliteParam = (p: unknown) => (p === true ? 1 : p === false ? 0 : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p);

function sqliteRowBatches(file: string): RowBatches {
  // Opened read-write but refusing writes: a SQLITE_OPEN_READONLY connection may not map the
  // WAL index (-shm) and then rebuilds it from the whole log, which is slow after a large load.
  const raw = new SQLite(file, { fileMustExist: true });
  raw.pragma('query_only = 1');
  // Never checkpoints (the serving process's checkpointer does); a reader never needs the write lock.
  raw.pragma('wal_autocheckpoint = 0');
  raw.pragma('busy_timeout = 5000');
  return {
    async *batches(sql, params, size) {
      const it = raw
        .prepare(sql)
        .raw(true)
        .iterate(...params.map(sqliteParam)) as IterableIterator<unknown[]>;
      try {
        for (;;) {
          const batch: unknown[][] = [];
          for (let r: IteratorResult<unknown[]>; batch.length < size && !(r = it.next()).done;) batch.push(r.value);
          if (batch.length > 0) yield batch;
          if (batch.length < size) return;
        }
      } finally {
        it.return?.();
      }
    },
    async close() {
      raw.close();
    },
  };
}

async function postgresRowBatches(url: string): Promise<RowBatches> {
  const client = new pg.Client({ connectionString: url, types: customTypes });
  await client.connect();
  return {
    async *batches(sql, params, size) {
      const cursor = client.query(new Cursor<unknown[]>(sql, [...params], { rowMode: 'array' }));
      try {
        for (;;) {
          const rows = await cursor.read(size);
          if (rows.length === 0) return;
          yield rows;
          if (rows.length < size) return;
        }
      } finally {
        await cursor.close();
      }
    },
    async close() {
      await client.end();
    },
  };
}
