import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/sqlite.js';
import type { Storage } from '../../src/storage/dialect.js';

/**
 * The main connection never checkpoints SQLite's log (a checkpoint after a big merge stopped the
 * event loop for 0.3 s); a serving process's checkpointer thread does (ADR 0017). SQLite only.
 */
describe('WAL checkpoints off the main thread [sqlite]', () => {
  const dirs: string[] = [];
  const opened: Storage[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  async function open(checkpointEveryMs?: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-wal-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const storage = openSqlite(file, { checkpointEveryMs });
    opened.push(storage);
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`.execute(storage.db);
    // About 2 MB: far past the 1,000 pages at which SQLite would checkpoint on its own.
    await storage.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2000; i++) await sql`INSERT INTO t (v) VALUES (${'x'.repeat(1000)})`.execute(trx);
    });
    return { file, storage };
  }

  it('the main connection leaves the log alone: the database file does not grow', async () => {
    const { file, storage } = await open();
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(storage.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.statSync(file).size).toBeLessThan(100_000);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
  });

  it('the checkpointer thread copies the log into the database file', async () => {
    const { file } = await open(50);
    await expect.poll(() => fs.statSync(file).size, { timeout: 10_000, interval: 50 }).toBeGreaterThan(1_000_000);
  });
});
