import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalText, canonicalTextWith, GENESIS_HASH, toStoredFields } from '../../src/modules/sharing/audit/call-chain.js';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import { kyselyChainWriter, postgresChainWriter, sqliteChainWriter, type ChainWriter } from '../../src/modules/sharing/audit/chain-writers.js';
import { verifyCallChain } from '../../src/modules/sharing/audit/verify-chain.js';
import { systemClock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { gatewayCall, seqs } from './audit-calls.js';

/** ADR 0021's definition of the hashed text, as it was written before ADR 0038. */
const referenceText = (row: Parameters<typeof canonicalText>[0]) =>
  JSON.stringify([
    row.seq,
    row.id,
    row.at,
    row.consumer_id,
    row.department_id,
    row.interface_id,
    row.interface_code,
    row.purpose,
    row.keys,
    row.items,
    row.row_count,
    row.status,
    row.error_code,
    row.latency_ms.toFixed(1),
  ]);

describe('the canonical text of a call (ADR 0038)', () => {
  it('is the JSON array ADR 0021 defined, whatever the fields hold', () => {
    const now = new Date('2026-12-02T00:00:00.000Z');
    const calls = [
      gatewayCall(1),
      gatewayCall(17),
      gatewayCall(2, { consumerId: null, departmentId: null, interfaceId: null, interfaceCode: null, purpose: null, keys: [], items: [] }),
      gatewayCall(3, { purpose: '含"引号"与\\反斜杠\n换行\u0000与\ud800', keys: [{ z: 1, a: [null, 'x', { c: -0, b: 1e21 }] }, 'k', 7.25] }),
      gatewayCall(4, { latencyMs: Number.NaN, rowCount: Number.NaN, at: 'not a time' }),
    ];
    calls.forEach((call, i) => {
      const row = { ...toStoredFields(call, now), seq: i + 1 };
      expect(canonicalText(row)).toBe(referenceText(row));
      expect(canonicalTextWith(row.seq, row, JSON.stringify(row.keys), JSON.stringify(row.items))).toBe(referenceText(row));
    });
  });
});

describe('the stored instant of a call', () => {
  it('is toISOString of the instant, also for text in the ISO form that is not one (the fast path for hours seen before)', () => {
    const now = new Date('2026-12-02T00:00:00.000Z');
    for (const at of [
      '2026-12-02T03:00:00.000Z',
      '2026-12-02T03:59:59.999Z',
      '2026-02-28T00:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '2026-12-02T24:00:00.000Z',
      '2026-12-02T03:60:00.000Z',
      '2026-12-02T03:00:00.000+08:00',
      '2026-12-02T03:00:00Z',
      '2026-13-02T00:00:00.000Z',
      'yesterday',
      '',
    ]) {
      // Twice: the second meets an hour the first may have marked valid.
      for (let i = 0; i < 2; i++) {
        const expected = Number.isNaN(Date.parse(at)) ? now.toISOString() : new Date(at).toISOString();
        expect(toStoredFields(gatewayCall(1, { at }), now).at, at).toBe(expected);
      }
    }
  });
});

describeEachDialect("the call audit's direct chain writer", (fresh, dialect) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(options: { busyWaitMs?: number } = {}): Promise<{ db: TestDb; write: ChainWriter }> {
    const db = await fresh({ shareable: true });
    cleanup.push(() => db.drop());
    if (dialect !== 'sqlite') return { db, write: postgresChainWriter(db.db) };
    // The writer thread's own connection to the file (call-writer-worker.ts opens it the same way).
    const raw = new SQLite(db.url!.slice('sqlite:'.length), { fileMustExist: true });
    raw.pragma('busy_timeout = 0');
    cleanup.push(() => void raw.close());
    return { db, write: sqliteChainWriter(raw, options) };
  }

  const allRows = (db: TestDb) =>
    db.db
      .selectFrom('sharing_calls')
      .selectAll()
      .orderBy('seq')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() })));
  const allCounts = (db: TestDb) =>
    db.db
      .selectFrom('sharing_call_counts')
      .selectAll()
      .orderBy('day')
      .orderBy('interface_id')
      .orderBy('consumer_id')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, calls: Number(r.calls), errors: Number(r.errors) })));

  it('stores the same rows, hashes and counts as the Kysely writer, and the chain verifies', async () => {
    const direct = await setup();
    const anchor = await fresh({ shareable: true });
    cleanup.push(() => anchor.drop());
    const now = new Date('2026-12-02T00:00:00.000Z');
    // Across a China midnight (16:00 UTC), with failures, unidentified calls and awkward text.
    const calls = Array.from({ length: 1234 }, (_, i) =>
      toStoredFields(
        gatewayCall(i, {
          at: new Date(Date.UTC(2026, 11, 1, 15, 59, 59) + i * 3).toISOString(),
          ...(i % 101 === 0 ? { consumerId: null } : {}),
          ...(i % 7 === 0 ? { purpose: '含"引号"与\\反斜杠\u0000', keys: [{ b: [1, { d: null, c: '\ud800' }], a: '键' }] } : {}),
        }),
        now,
      ),
    );
    const kysely = kyselyChainWriter(anchor.db);
    for (let i = 0; i < calls.length; i += 500) {
      await direct.write(calls.slice(i, i + 500));
      await kysely(calls.slice(i, i + 500));
    }
    const rows = await allRows(direct.db);
    expect(rows).toHaveLength(1234);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows).toEqual(await allRows(anchor));
    expect(await allCounts(direct.db)).toEqual(await allCounts(anchor));
    expect((await allCounts(direct.db)).map((c) => c.day)).toContain('2026-12-02');
    expect(await verifyCallChain(direct.db.db)).toMatchObject({ ok: true, checked: 1234, head: { seq: 1234, hash: rows.at(-1)!.hash } });
  }, 60_000);

  it('a batch that fails half-way leaves nothing behind; the recorder writes it again, once', async () => {
    const { db, write } = await setup();
    const errors: unknown[] = [];
    const recorder = createCallRecorder({ writer: write, clock: systemClock, flushEveryMs: 5, batchSize: 100, onError: (err) => errors.push(err) });
    for (let i = 0; i < 50; i++) recorder.record(gatewayCall(i));
    await recorder.flush();
    // A stray row where the next batch's 30th call goes: its insert fails after 29 went in.
    await sql`insert into sharing_calls (seq, id, at, keys, items, row_count, status, latency_ms, prev_hash, hash)
      values (80, 'stray', ${new Date().toISOString()}, '[]', '[]', 0, 0, 0, 'x', 'y')`.execute(db.db);
    for (let i = 50; i < 150; i++) recorder.record(gatewayCall(i));
    await expect(recorder.flush()).rejects.toThrow();
    expect(recorder.pending()).toBe(100);
    expect(await seqs(db.db)).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 80]);
    await sql`delete from sharing_calls where seq = 80`.execute(db.db);
    await recorder.flush();
    expect(recorder.pending()).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(await seqs(db.db)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 150 });
    const counted = await allCounts(db);
    expect(counted.reduce((n, c) => n + c.calls, 0)).toBe(150);
  }, 30_000);

  if (dialect === 'sqlite')
    it('waits for a write lock held by another connection without blocking, then gives up; the batch is written once the lock is free', async () => {
      const { db, write } = await setup({ busyWaitMs: 150 });
      const other = new SQLite(db.url!.slice('sqlite:'.length));
      other.exec('BEGIN IMMEDIATE');
      const calls = Array.from({ length: 20 }, (_, i) => toStoredFields(gatewayCall(i), new Date()));
      let ticks = 0;
      const ticking = setInterval(() => (ticks += 1), 10);
      await expect(write(calls)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      clearInterval(ticking);
      expect(ticks).toBeGreaterThanOrEqual(5);
      other.exec('COMMIT');
      other.close();
      await write(calls);
      expect(await seqs(db.db)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 20 });
    });
});
