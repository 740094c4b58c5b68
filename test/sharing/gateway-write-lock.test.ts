import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDb } from '../dialects.js';
import { call, gatewayFixture, PEOPLE, type GatewayFixture } from './gateway-fixtures.js';

/**
 * A collection merge holds SQLite's write lock for seconds (ADR 0017). The gateway's hot path
 * writes nothing (its call audit is batched off it), so calls are answered while the lock is
 * held; the audit rows land once it is released. (SQLite only: PostgreSQL locks rows.)
 */
describe('a gateway call while a collection merge holds the SQLite write lock [sqlite]', () => {
  let db: TestDb;
  let t: GatewayFixture;
  let merge: SQLite.Database;

  beforeAll(async () => {
    db = await DIALECTS[0].fresh({ shareable: true, busyWaitMs: 20_000 });
    t = await gatewayFixture(db);
    merge = new SQLite(db.url!.slice('sqlite:'.length));
  }, 60_000);

  afterAll(async () => {
    if (merge.inTransaction) merge.exec('ROLLBACK');
    merge.close();
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const recorder = () =>
    (t.services.modules as unknown as { name: string; callRecorder?: { flush(): Promise<void> } }[]).find((m) => m.name === 'sharing')!.callRecorder!;
  const audited = async () => (await db.db.selectFrom('sharing_calls').select('seq').execute()).length;

  it('answers lookups, batches and pages while the lock is held, and audits them once it is released', async () => {
    await recorder().flush();
    const before = await audited();
    merge.exec('BEGIN IMMEDIATE');
    merge.exec('CREATE TABLE held_by_a_merge (x INTEGER)');
    const started = Date.now();
    const answers = await Promise.all([
      call(t, `/gateway/people/v1?person_id=${PEOPLE[0]!.person_id}`),
      call(t, '/gateway/people/v1/batch', { method: 'POST', payload: { keys: [{ person_id: PEOPLE[1]!.person_id }] } }),
      call(t, '/gateway/people/v1/records?limit=5'),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers[2]!.json().items).toHaveLength(5);
    // Answered within the lock, not after it: nothing on the path waited for the merge.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(merge.inTransaction).toBe(true);
    // The batched audit waits for the lock (asynchronously) and lands when the merge commits.
    const flushed = recorder().flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await audited()).toBe(before);
    merge.exec('COMMIT');
    await flushed;
    expect(await audited()).toBe(before + 3);
  }, 30_000);
});
