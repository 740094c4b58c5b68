import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDb } from '../dialects.js';
import { departmentInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/**
 * The embedded database has one write lock; a long collection merge holds it. An API write waits
 * for it without stopping the event loop (reads and other requests are answered meanwhile), and
 * one that waits past KUAIJI_SQLITE_BUSY_WAIT_MS answers 503 DATABASE_BUSY with Retry-After, not
 * a 500, and stores nothing. (SQLite only: PostgreSQL locks rows, not the database.)
 */
describe('a write meeting a held SQLite write lock [sqlite]', () => {
  const opened: { db: TestDb; t: TestApp; other: SQLite.Database }[] = [];
  async function open(busyWaitMs: number) {
    const db = await DIALECTS[0].fresh({ shareable: true, busyWaitMs });
    const t = await buildTestApp(db);
    const other = new SQLite(db.url!.slice('sqlite:'.length));
    opened.push({ db, t, other });
    return { db, t, other };
  }
  afterAll(async () => {
    for (const { db, t, other } of opened) {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await t.app.close();
      await db.drop();
    }
  });

  it('waits without blocking: reads are answered while the write waits, and the write lands once the lock is released', async () => {
    const { t, other } = await open(20_000);
    other.exec('BEGIN IMMEDIATE');
    other.exec(`CREATE TABLE held_by_a_merge (x INTEGER)`);
    let writeSettled = false;
    const write = t.app
      .inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: departmentInput({ name: '绍兴市等待局' }) })
      .finally(() => (writeSettled = true));
    // The loop keeps turning: timers fire and a read is answered while the write waits for the lock.
    let ticks = 0;
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10)).then(() => (ticks += 1));
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: bearer(t.adminToken) });
    expect(read.statusCode).toBe(200);
    expect(ticks).toBe(5);
    expect(writeSettled).toBe(false);
    other.exec('COMMIT');
    const res = await write;
    expect(res.statusCode).toBe(201);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/departments?q=等待', headers: bearer(t.adminToken) });
    expect(after.json().items.map((d: { name: string }) => d.name)).toContain('绍兴市等待局');
  }, 30_000);

  it('answers 503 DATABASE_BUSY with Retry-After past the wait, stores nothing, and succeeds once the lock is released', async () => {
    const { t, other } = await open(300);
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: bearer(t.adminToken) })).json().items.length;
    other.exec('BEGIN IMMEDIATE');
    const input = departmentInput({ name: '绍兴市测试局' });
    const busy = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: input });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toMatchObject({ code: 'DATABASE_BUSY', status: 503 });
    other.exec('ROLLBACK');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/departments', headers: bearer(t.adminToken) })).json().items.length).toBe(before);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: input });
    expect(ok.statusCode).toBe(201);
  }, 30_000);
});
