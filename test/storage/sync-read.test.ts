import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPreparedStatements } from '../../src/storage/prepared-statements.js';
import { syncReadOf } from '../../src/storage/sync-read.js';
import { describeEachDialect, type TestDb } from '../dialects.js';

describeEachDialect('prepared statements and the synchronous read (ADR 0037)', (fresh, dialect) => {
  let storage: TestDb | null = null;
  afterEach(async () => {
    await storage?.drop();
    storage = null;
  });

  async function withTable() {
    storage = await fresh({ shareable: true });
    const { db } = storage;
    await sql`create table probe (k text primary key, n integer, flag ${sql.raw(dialect === 'sqlite' ? 'integer' : 'boolean')})`.execute(db);
    await sql`insert into probe values ('a', 1, ${true}), ('b', 2, ${false}), ('c', 3, ${true})`.execute(db);
    return db;
  }

  it('answers a prepared shape the same whichever way it runs, booleans bound on both dialects', async () => {
    const db = await withTable();
    const prepared = createPreparedStatements();
    const byFlag = (flag: boolean) =>
      prepared.run(
        db,
        'by-flag',
        (slot) =>
          db
            .selectFrom('probe' as never)
            .select(['k' as never, 'n' as never])
            .where('flag' as never, '=', slot(0) as never)
            .orderBy('k' as never)
            .compile(),
        [flag],
      );
    expect((await byFlag(true)).map((r) => [r.k, Number(r.n)])).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect((await byFlag(false)).map((r) => r.k)).toEqual(['b']);
    const sync = syncReadOf(db);
    if (dialect === 'sqlite') {
      expect(sync).toBeDefined();
      // The same rows as Kysely's own path gives for the same compiled statement.
      const compiled = db
        .selectFrom('probe' as never)
        .selectAll()
        .orderBy('k' as never)
        .compile();
      expect(sync!(compiled.sql, compiled.parameters)).toEqual((await db.executeQuery(compiled)).rows);
    } else {
      // PostgreSQL's pool answers asynchronously: no synchronous read, the ordinary path runs.
      expect(sync).toBeUndefined();
    }
  });

  it('declines inside a transaction, so a read never sees another caller’s uncommitted rows', async () => {
    const db = await withTable();
    const sync = syncReadOf(db);
    if (!sync) return expect(dialect).toBe('postgres');
    const count = 'select count(*) as n from probe';
    expect(sync(count, [])).toEqual([{ n: 3 }]);
    let inside: unknown = 'not run';
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into probe values ('d', 4, ${false})`.execute(trx);
        inside = sync(count, []);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inside).toBeNull();
    expect(sync(count, [])).toEqual([{ n: 3 }]);
    // A statement that writes is never run by it.
    expect(sync("insert into probe values ('e', 5, 0)", [])).toBeNull();
    expect((await db.executeQuery<{ n: number }>(CompiledQuery.raw(count, []))).rows[0]!.n).toBe(3);
  });

  it('answers while the ordinary path streams the same SQL (its own statement, the same snapshot)', async () => {
    const db = await withTable();
    const sync = syncReadOf(db);
    if (!sync) return expect(dialect).toBe('postgres');
    const query = db
      .selectFrom('probe' as never)
      .select('k' as never)
      .orderBy('k' as never)
      .compile();
    const text = query.sql;
    const first = sync(text, []);
    expect(first?.map((r) => r.k)).toEqual(['a', 'b', 'c']);
    const stream = db.getExecutor().provideConnection(async (c) => {
      const seen: unknown[] = [];
      for await (const chunk of c.streamQuery(query, 1)) {
        seen.push(chunk.rows[0]);
        // Kysely's statement for this text is iterating: the sync read runs its own, not that one.
        if (seen.length === 1) expect(sync(text, [])?.map((r) => r.k)).toEqual(['a', 'b', 'c']);
      }
      return seen;
    });
    expect(((await stream) as { k: string }[]).map((r) => r.k)).toEqual(['a', 'b', 'c']);
  });
});

describe('the change stamp (SQLite) read at once', () => {
  it('moves with this connection’s writes', async () => {
    const { openSqlite } = await import('../../src/storage/sqlite.js');
    const storage = openSqlite(':memory:');
    const stamp = () => storage.dialect.changeStamp(storage.db);
    const before = await stamp();
    expect(before).toMatch(/^\d+:\d+$/);
    expect(await stamp()).toBe(before);
    await sql`create table t (a integer)`.execute(storage.db);
    await sql`insert into t values (1)`.execute(storage.db);
    expect(await stamp()).not.toBe(before);
    await storage.close();
  });
});
