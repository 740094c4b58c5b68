import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withBooleanParams } from '../../src/storage/sqlite.js';

describe('withBooleanParams: prepared statements are reused per SQL text', () => {
  const open = () => {
    const db = withBooleanParams(new Database(':memory:'));
    db.prepare('create table t (a integer, b text)').run();
    for (const [a, b] of [
      [true, 'x'],
      [false, 'y'],
      [true, 'z'],
    ] as const)
      db.prepare('insert into t values (?, ?)').run(a, b);
    return db;
  };

  it('gives the same statement for the same SQL (Kysely prepares on every query), with booleans still bound as 0/1', () => {
    const db = open();
    const first = db.prepare('select b from t where a = ? order by b');
    expect(db.prepare('select b from t where a = ? order by b')).toBe(first);
    expect(first.all(true)).toEqual([{ b: 'x' }, { b: 'z' }]);
    expect(db.prepare('select b from t where a = ? order by b').all([false])).toEqual([{ b: 'y' }]);
    db.close();
  });

  it('never shares a statement that is still being iterated', () => {
    const db = open();
    const sql = 'select b from t order by b';
    const outer = db.prepare(sql).iterate() as IterableIterator<{ b: string }>;
    expect(outer.next().value).toEqual({ b: 'x' });
    const inner = db.prepare(sql);
    // better-sqlite3 refuses to run a statement that is iterating; a fresh one answers.
    expect(inner.all()).toEqual([{ b: 'x' }, { b: 'y' }, { b: 'z' }]);
    expect([...outer].map((r) => r.b)).toEqual(['y', 'z']);
    db.close();
  });

  it('keeps a bounded number of statements', () => {
    const db = open();
    const first = db.prepare('select 0 as n');
    for (let i = 1; i <= 300; i++) expect(db.prepare(`select ${i} as n`).get()).toEqual({ n: i });
    // The oldest was evicted: a new statement for its SQL, which still works.
    const again = db.prepare('select 0 as n');
    expect(again).not.toBe(first);
    expect(again.get()).toEqual({ n: 0 });
    db.close();
  });
});
