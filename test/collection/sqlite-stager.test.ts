import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStager } from '../../src/storage/records/sqlite-stager.js';
import type { StagedRow } from '../../src/storage/records/record-store.js';

const createSql = 'CREATE TABLE s ("_row_no" BIGINT, "t" TEXT, "n" REAL, "i" BIGINT, "b" BIGINT, "bin" BLOB, "_hash" TEXT)';

describe('SQLite stager thread (ADR 0035)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-stager-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stages every value as bound, across batches and statement boundaries, in order', async () => {
    const file = path.join(dir, 's.sqlite');
    const stager = startStager({ file, createSql, width: 7, rowsPerStatement: 3, credits: 2 });
    const rows: StagedRow[] = [];
    for (let r = 0; r < 23; r++) {
      rows.push({
        rowNumber: r + 2,
        values: [
          r % 5 === 0 ? null : r % 5 === 1 ? '' : r === 9 ? '长'.repeat(20_000) : `浙江省${r}😀\u001f,"x"`.repeat(400),
          r % 4 === 0 ? null : r + 0.5,
          r % 3 === 0 ? 9007199254740993n : r,
          r % 2 === 0,
          r % 6 === 0 ? Buffer.from([0, 1, 2, r]) : null,
        ],
        hash: `h${r}`,
      });
    }
    // Batches of 7, 0, 9 and 7 rows: full statements and single-row leftovers; texts of several
    // pieces, and a cell longer than a piece.
    await stager.append(rows.slice(0, 7));
    await stager.append([]);
    await stager.append(rows.slice(7, 16));
    await stager.append(rows.slice(16));
    expect(await stager.finish()).toBe(23);

    const db = new SQLite(file, { readonly: true });
    db.defaultSafeIntegers(true);
    const stored = db.prepare('SELECT * FROM s ORDER BY rowid').all() as Record<string, unknown>[];
    db.close();
    expect(stored).toHaveLength(23);
    stored.forEach((s, r) => {
      const v = rows[r]!.values;
      expect(s._row_no).toBe(BigInt(r + 2));
      expect(s.t).toBe(v[0]);
      expect(s.n).toBe(v[1]);
      expect(s.i).toBe(BigInt(v[2] as number | bigint));
      expect(s.b).toBe(v[3] ? 1n : 0n);
      expect(s.bin === null ? null : Buffer.from(s.bin as Uint8Array)).toEqual(v[4]);
      expect(s._hash).toBe(`h${r}`);
    });
  });

  it('fails the next append or the finish when staging fails, and abort stops the thread', async () => {
    // A table the stager cannot create: every batch after it fails.
    const stager = startStager({ file: path.join(dir, 'bad.sqlite'), createSql: 'CREATE TABLE s (', width: 3, rowsPerStatement: 2 });
    const row: StagedRow = { rowNumber: 2, values: ['a'], hash: 'h' };
    await expect(
      (async () => {
        for (let i = 0; i < 20; i++) await stager.append([row, row, row]);
        await stager.finish();
      })(),
    ).rejects.toThrow(/staging failed/);
    await stager.abort();

    const other = startStager({ file: path.join(dir, 'ok.sqlite'), createSql: 'CREATE TABLE s (a, b, c)', width: 3, rowsPerStatement: 2 });
    await other.append([row]);
    await other.abort();
    await expect(other.finish()).rejects.toThrow(/stopped/);
  });
});
