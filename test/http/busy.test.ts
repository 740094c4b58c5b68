import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDb } from '../dialects.js';
import { departmentInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/**
 * The embedded database has one write lock; a long collection merge holds it. A write that waits
 * past the busy timeout answers 503 DATABASE_BUSY with Retry-After, not a 500, and stores nothing.
 * (SQLite only: PostgreSQL locks rows, not the database.)
 */
describe('a write meeting a held SQLite write lock [sqlite]', () => {
  let db: TestDb;
  let t: TestApp;
  let other: SQLite.Database;
  beforeAll(async () => {
    db = await DIALECTS[0].fresh({ shareable: true });
    t = await buildTestApp(db);
    other = new SQLite(db.url!.slice('sqlite:'.length));
  });
  afterAll(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await t.app.close();
    await db.drop();
  });

  it('answers 503 DATABASE_BUSY with Retry-After, and succeeds once the lock is released', async () => {
    other.exec('BEGIN IMMEDIATE');
    const input = departmentInput({ name: '绍兴市测试局' });
    const busy = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: input });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toMatchObject({ code: 'DATABASE_BUSY', status: 503 });
    other.exec('ROLLBACK');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: input });
    expect(ok.statusCode).toBe(201);
  }, 30_000);
});
