import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BULK_ROWS, bulkStatement, plainStatement } from '../../src/modules/themes/masters/bulk-sql.js';
import { describeEachDialect, type TestDb } from '../dialects.js';

describeEachDialect('themes sync: prepared bulk statements (ADR 0033)', (fresh) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await fresh();
    await db.db.schema
      .createTable('bulk_probe')
      .addColumn('k', 'varchar(20)', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .addColumn('t', 'text')
      .execute();
  });
  afterAll(async () => {
    await db.drop();
  });

  const insert = bulkStatement('insert into bulk_probe (k, n, t)', 3, 'on conflict (k) do update set n = excluded.n, t = excluded.t');
  const count = plainStatement('select count(*) as c, sum(n) as s from bulk_probe where k >= ?');

  it('writes any number of rows (full batches, then powers of two) and counts the rows it affected', async () => {
    const rows = Array.from({ length: BULK_ROWS * 2 + 337 }, (_, i) => [`k${String(i).padStart(6, '0')}`, i, i % 7 === 0 ? null : `v${i}`]);
    expect(await insert(db.db, rows)).toBe(rows.length);
    const { rows: got } = await count<{ c: unknown; s: unknown }>(db.db, ['k']);
    expect(Number(got[0]!.c)).toBe(rows.length);
    expect(Number(got[0]!.s)).toBe((rows.length * (rows.length - 1)) / 2);
    const back = await db.db
      .selectFrom('bulk_probe' as never)
      .select([sql<string>`k`.as('k'), sql<number>`n`.as('n'), sql<string | null>`t`.as('t')])
      .where(sql`k`, 'in', ['k000000', 'k000001', 'k001336'])
      .orderBy(sql`k`)
      .execute();
    expect(back.map((r) => [r.k, Number(r.n), r.t])).toEqual([
      ['k000000', 0, null],
      ['k000001', 1, 'v1'],
      ['k001336', 1336, 'v1336'],
    ]);
  });

  it('upserts through the same prepared text, inside a transaction too, and an empty list runs nothing', async () => {
    await db.db.transaction().execute(async (trx) => {
      expect(await insert(trx, [['k000001', -1, 'changed']])).toBe(1);
      expect(await insert(trx, [])).toBe(0);
    });
    const row = await db.db
      .selectFrom('bulk_probe' as never)
      .select([sql<number>`n`.as('n'), sql<string>`t`.as('t')])
      .where(sql`k`, '=', 'k000001')
      .executeTakeFirstOrThrow();
    expect([Number(row.n), row.t]).toEqual([-1, 'changed']);
  });

  it('refuses a row whose width is not the statement’s', async () => {
    await expect(insert(db.db, [['only-two', 1]])).rejects.toThrow(/2 values for 3 columns/);
  });
});
