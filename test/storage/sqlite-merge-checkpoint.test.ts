import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRecordStore } from '../../src/storage/records/sqlite-records.js';
import type { RecordStore, StagedRow } from '../../src/storage/records/record-store.js';

/**
 * A merge's COMMIT does not copy its log into the file (the job reports first); the store
 * checkpoints right after, and its connection keeps its automatic checkpoints for other writes.
 */
describe('the SQLite merge checkpoints after its commit, not in it [sqlite]', () => {
  let dir: string;
  let file: string;
  let store: RecordStore;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-merge-checkpoint-'));
    file = path.join(dir, 'db.sqlite');
    store = openSqliteRecordStore(file, path.join(dir, 'scratch'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rows = (n: number, tag: string): StagedRow[] =>
    Array.from({ length: n }, (_, i) => ({
      rowNumber: i + 2,
      values: [`k${String(i).padStart(7, '0')}`, `${tag} ${'x'.repeat(200)} ${i}`],
      hash: `${tag}${i}`,
    }));

  async function load(tag: string, n: number) {
    const session = await store.beginLoad({
      table: 'r',
      columns: [
        { column: 'k', dataType: 'STRING' },
        { column: 'v', dataType: 'TEXT' },
      ],
      partial: false,
      keyColumns: ['k'],
      jobId: `job-${tag}`,
      batchId: `batch-${tag}`,
      source: 'test',
      receivedAt: '2026-12-02T00:00:00.000Z',
      snapshot: false,
      countRevived: false,
    });
    for (let i = 0; i < n; i += 1000) await session.append(rows(n, tag).slice(i, i + 1000));
    return session.commit(async () => undefined);
  }

  const fileDigest = () => createHash('md5').update(fs.readFileSync(file)).digest('hex');
  const afterTimers = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('leaves the rows in the log at the commit, visible to readers, and in the file just after', async () => {
    await store.createTable(
      'r',
      [
        { column: 'k', dataType: 'STRING' },
        { column: 'v', dataType: 'TEXT' },
      ],
      ['k'],
    );
    const before = fileDigest();
    // ~5 MB of log: past the 1,000 pages at which SQLite's automatic checkpoint would run in the COMMIT.
    const counts = await load('a', 20_000);
    expect(counts.inserted).toBe(20_000);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(4_000_000);
    expect(fileDigest()).toBe(before);
    const reader = new SQLite(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT count(*) FROM r').pluck().get()).toBe(20_000);
    } finally {
      reader.close();
    }
    await afterTimers();
    expect(fs.statSync(file).size).toBeGreaterThan(4_000_000);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(1000);
  });

  it('does the same for a merge over stored rows', async () => {
    const before = fileDigest();
    const counts = await load('b', 20_000);
    expect(counts).toMatchObject({ inserted: 0, updated: 20_000, unchanged: 0 });
    expect(fileDigest()).toBe(before);
    await afterTimers();
    expect(fileDigest()).not.toBe(before);
    const reader = new SQLite(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT count(*) FROM r WHERE v LIKE ?').pluck().get('b %')).toBe(20_000);
    } finally {
      reader.close();
    }
  });
});
