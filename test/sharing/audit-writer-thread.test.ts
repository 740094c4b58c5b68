import SQLite from 'better-sqlite3';
import fs from 'node:fs';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import { createThreadedCallRecorder } from '../../src/modules/sharing/audit/call-writer-thread.js';
import { verifyCallChain } from '../../src/modules/sharing/audit/verify-chain.js';
import { systemClock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { callCount, gatewayCall, seqs } from './audit-calls.js';

/** Holds what another writer would: SQLite's write lock, or the chain's row lock on PostgreSQL. */
async function holdChainLock(db: TestDb, dialect: string): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    const other = new SQLite(db.url!.slice('sqlite:'.length));
    other.exec('BEGIN IMMEDIATE');
    return async () => {
      other.exec('COMMIT');
      other.close();
    };
  }
  const client = new pg.Client({ connectionString: db.url! });
  await client.connect();
  await client.query('begin');
  await client.query('select * from sharing_call_chain where id = 1 for update');
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ADR 0030: a serving process writes the call audit from a thread of its own, on its own connection. */
describeEachDialect("the gateway's call audit written from its writer thread", (fresh, dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup() {
    const db = await fresh({ shareable: true });
    const errors: unknown[] = [];
    const recorder = createThreadedCallRecorder({ databaseUrl: db.url!, flushEveryMs: 10, batchSize: 400, onError: (err) => errors.push(err) });
    cleanup.push(
      () => db.drop(),
      () => recorder.stop(),
    );
    return { db, recorder, errors };
  }

  it('warm() starts the writer thread before any call (a serving process at start); stop() ends it', async () => {
    const { recorder } = await setup();
    const threads = () => fs.readdirSync('/proc/self/task').length;
    const before = threads();
    recorder.warm!();
    await expect.poll(threads, { timeout: 10_000 }).toBeGreaterThan(before);
    await sleep(200);
    const started = threads();
    recorder.warm!(); // already started: no second thread
    await sleep(200);
    expect(threads()).toBe(started);
    expect(recorder.pending()).toBe(0);
    await recorder.stop();
    await expect.poll(threads, { timeout: 10_000 }).toBeLessThan(started);
  });

  it('appends one chain with an inline writer (another gateway process), counts what it owes, and flush() waits for the commit', async () => {
    const { db, recorder, errors } = await setup();
    const inline = createCallRecorder({ db: db.db, clock: systemClock, batchSize: 50, flushEveryMs: 5 });
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 100; i++) {
        recorder.record(gatewayCall(round * 1000 + i, { purpose: 'thread' }));
        if (i % 2 === 0) inline.record(gatewayCall(round * 1000 + i, { purpose: 'inline' }));
      }
      await sleep(3);
    }
    expect(recorder.pending()).toBeGreaterThan(0);
    await Promise.all([recorder.flush(), inline.flush()]);
    expect(recorder.pending()).toBe(0);
    expect(errors).toEqual([]);
    expect(await seqs(db.db)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 1500, head: { seq: 1500 } });
    const byWriter = await db.db
      .selectFrom('sharing_calls')
      .select('purpose')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('purpose')
      .orderBy('purpose')
      .execute();
    expect(byWriter.map((r) => [r.purpose, Number(r.n)])).toEqual([
      ['inline', 500],
      ['thread', 1000],
    ]);
    // Calls per day, interface and consumer are counted by the thread as by the inline writer.
    const counted = await db.db
      .selectFrom('sharing_call_counts')
      .select((eb) => eb.fn.sum<number>('calls').as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(1500);
  }, 60_000);

  it('record() and the event loop never wait while another writer holds the lock; the calls land once it is released', async () => {
    const { db, recorder } = await setup();
    recorder.record(gatewayCall(0));
    await recorder.flush(); // the thread is up
    const release = await holdChainLock(db, dialect);
    const started = performance.now();
    for (let i = 1; i <= 700; i++) recorder.record(gatewayCall(i));
    expect(performance.now() - started).toBeLessThan(100);
    let flushed = false;
    const flush = recorder.flush().then(() => (flushed = true));
    let ticks = 0;
    for (let i = 0; i < 10; i++) await sleep(10).then(() => (ticks += 1));
    expect(ticks).toBe(10);
    expect(flushed).toBe(false);
    expect(recorder.pending()).toBe(700);
    expect(await callCount(db.db)).toBe(1);
    await release();
    await flush;
    expect(recorder.pending()).toBe(0);
    expect(await callCount(db.db)).toBe(701);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 701 });
  }, 30_000);

  it('stop() writes what is still queued and ends the thread; a call that cannot cross threads is audited without its keys', async () => {
    const { db, recorder, errors } = await setup();
    for (let i = 1; i <= 25; i++) recorder.record(gatewayCall(i));
    recorder.record(gatewayCall(26, { keys: [{ f: () => 1 }] }));
    await recorder.stop();
    expect(recorder.pending()).toBe(0);
    expect(await seqs(db.db)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    const last = await db.db.selectFrom('sharing_calls').select('keys').where('seq', '=', 26).executeTakeFirstOrThrow();
    expect(JSON.parse(typeof last.keys === 'string' ? last.keys : JSON.stringify(last.keys))).toEqual([{}]);
    expect(errors).toHaveLength(1);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 26 });
  }, 30_000);
});
