import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/dialect.js';
import { openSqlite } from '../../src/storage/sqlite.js';

/**
 * Collection workers write the same SQLite file from other connections. A transaction that reads
 * first and writes later must not fail because one of them committed in between (DEFERRED
 * transactions do, with SQLITE_BUSY and no wait): ours begin IMMEDIATE.
 */
describe('SQLite transactions with another writer [sqlite]', () => {
  let dir: string;
  let storage: Storage;
  let worker: SQLite.Database;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-tx-'));
    storage = openSqlite(path.join(dir, 'db.sqlite'));
    await sql`create table t (n integer)`.execute(storage.db);
    worker = new SQLite(path.join(dir, 'db.sqlite'));
    worker.pragma('busy_timeout = 50');
  });
  afterAll(async () => {
    worker.close();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a read-then-write transaction holds the write lock from its start, so it cannot lose it to a worker', async () => {
    let workerError: unknown = null;
    await storage.db.transaction().execute(async (trx) => {
      await sql`select count(*) from t`.execute(trx);
      // A worker commits now: with DEFERRED it would succeed and our insert below would fail.
      try {
        worker.prepare('insert into t values (1)').run();
      } catch (err) {
        workerError = err;
      }
      await sql`insert into t values (2)`.execute(trx);
    });
    expect((workerError as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    const rows = await sql<{ n: number }>`select n from t`.execute(storage.db);
    expect(rows.rows.map((r) => r.n)).toEqual([2]);
  });
});
