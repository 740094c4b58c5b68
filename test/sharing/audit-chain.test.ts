import { afterEach, beforeEach, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from '../../src/modules/sharing/audit/call-chain.js';
import { toChainRow } from '../../src/modules/sharing/audit/calls.repository.js';
import { createCallRecorder } from '../../src/modules/sharing/audit/call-recorder.js';
import { sweepCalls } from '../../src/modules/sharing/audit/retention.js';
import { verifyCallChain } from '../../src/modules/sharing/audit/verify-chain.js';
import { fixedClock, systemClock } from '../../src/shared/clock.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { callCount, gatewayCall, seqs } from './audit-calls.js';

describeEachDialect("the gateway's call audit: batching, the hash chain and its check", (fresh) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await fresh();
  });
  afterEach(async () => {
    await db.drop();
  });

  async function recordMany(n: number, over: (i: number) => Partial<Parameters<typeof gatewayCall>[1]> = () => ({})) {
    const recorder = createCallRecorder({ db: db.db, clock: systemClock, batchSize: 300, flushEveryMs: 20 });
    for (let i = 1; i <= n; i++) recorder.record(gatewayCall(i, over(i)));
    await recorder.flush();
    return recorder;
  }

  it('links every call after many batches: seq 1..n, the first after the genesis hash, the head at the last; counts per day', async () => {
    const empty = await verifyCallChain(db.db);
    expect(empty).toMatchObject({ ok: true, checked: 0, head: { seq: 0, hash: GENESIS_HASH }, anchor: { seq: 1, hash: GENESIS_HASH } });

    await recordMany(2000, (i) => (i === 7 ? { consumerId: null, departmentId: null, interfaceId: null, status: 401, errorCode: 'UNAUTHENTICATED' } : {}));
    expect(await seqs(db.db)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    const first = await db.db.selectFrom('sharing_calls').select(['prev_hash', 'hash']).where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(first.prev_hash).toBe(GENESIS_HASH);
    const verdict = await verifyCallChain(db.db, { pageSize: 128 });
    expect(verdict).toMatchObject({ ok: true, checked: 2000, broken: null, head: { seq: 2000 } });

    // One row per (Asia/Shanghai day, interface, consumer); the unauthenticated call is audited, not counted.
    const counts = await db.db.selectFrom('sharing_call_counts').selectAll().orderBy('interface_id').orderBy('consumer_id').execute();
    expect(counts).toHaveLength(6);
    expect(counts.every((c) => c.day === '2026-12-01')).toBe(true);
    expect(counts.reduce((s, c) => s + Number(c.calls), 0)).toBe(1999);
    const failing = Array.from({ length: 2000 }, (_, i) => i + 1).filter((i) => i % 17 === 0 && i !== 7).length;
    expect(counts.reduce((s, c) => s + Number(c.errors), 0)).toBe(failing);
    expect(counts.find((c) => c.consumer_id === 'consumer-1')?.department_id).toBe('dept-1');
  });

  it('a call at 23:59 UTC counts on the next day in Asia/Shanghai; counts add up across flushes', async () => {
    const recorder = createCallRecorder({ db: db.db, clock: systemClock });
    recorder.record(gatewayCall(1, { at: '2026-12-01T15:59:59.999Z', interfaceId: 'i', consumerId: 'c' }));
    recorder.record(gatewayCall(2, { at: '2026-12-01T16:00:00.000Z', interfaceId: 'i', consumerId: 'c' }));
    await recorder.flush();
    recorder.record(gatewayCall(3, { at: '2026-12-01T23:00:00.000Z', interfaceId: 'i', consumerId: 'c', status: 500 }));
    await recorder.stop();
    const counts = await db.db.selectFrom('sharing_call_counts').select(['day', 'calls', 'errors']).orderBy('day').execute();
    expect(counts.map((c) => [c.day, Number(c.calls), Number(c.errors)])).toEqual([
      ['2026-12-01', 1, 0],
      ['2026-12-02', 2, 1],
    ]);
  });

  it('keeps text either database would alter (NUL, lone surrogates, unordered JSON keys) verifiable', async () => {
    await recordMany(3, () => ({ purpose: 'a\u0000b\ud800', keys: [{ z: 'x\u0000', a: { d: 1, c: [2] } }], latencyMs: 12345.678901 }));
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 3 });
    const row = await db.db.selectFrom('sharing_calls').select(['purpose', 'latency_ms']).where('seq', '=', 2).executeTakeFirstOrThrow();
    expect(row.purpose).toBe('a\uFFFDb\uFFFD');
    expect(Number(row.latency_ms)).toBeCloseTo(12345.7, 1);
  });

  it('names the edited row: one field changed by an UPDATE breaks its own hash', async () => {
    await recordMany(1500);
    await db.db.updateTable('sharing_calls').set({ row_count: 99 }).where('seq', '=', 1234).execute();
    expect(await verifyCallChain(db.db, { pageSize: 500 })).toMatchObject({ ok: false, checked: 1233, broken: { seq: 1234, check: 'hash' } });
  });

  it('names an edited row whose hash was recomputed to match: the next one no longer follows it', async () => {
    await recordMany(50);
    const row = toChainRow(await db.db.selectFrom('sharing_calls').selectAll().where('seq', '=', 20).executeTakeFirstOrThrow());
    const forged = { ...row, purpose: 'forged' };
    await db.db
      .updateTable('sharing_calls')
      .set({ purpose: 'forged', hash: chainHash(row.prev_hash, forged) })
      .where('seq', '=', 20)
      .execute();
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 21, check: 'prev_hash' });
  });

  it('names a row deleted in the middle, at the start and at the end', async () => {
    await recordMany(600);
    await db.db.deleteFrom('sharing_calls').where('seq', '=', 321).execute();
    expect(await verifyCallChain(db.db, { pageSize: 100 })).toMatchObject({ ok: false, checked: 320, broken: { seq: 321, check: 'missing' } });
    await db.db.deleteFrom('sharing_calls').where('seq', '=', 1).execute();
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 1, check: 'missing' });
  });

  it('names a truncated tail (the last calls removed) by the recorded head', async () => {
    await recordMany(40);
    await db.db.deleteFrom('sharing_calls').where('seq', '>', 35).execute();
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 36, check: 'missing' });
  });

  it('names a row re-linked after a deletion (renumbered, prev_hash kept) by its prev_hash', async () => {
    await recordMany(30);
    await db.db.deleteFrom('sharing_calls').where('seq', '=', 10).execute();
    await db.db
      .updateTable('sharing_calls')
      .set((eb) => ({ seq: eb('seq', '-', 1) }))
      .where('seq', '=', 11)
      .execute();
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 10, check: 'prev_hash' });
  });

  it('stop() writes what is queued; nothing is written twice', async () => {
    const recorder = createCallRecorder({ db: db.db, clock: systemClock, flushEveryMs: 60_000, batchSize: 10_000 });
    for (let i = 1; i <= 777; i++) recorder.record(gatewayCall(i));
    expect(recorder.pending()).toBe(777);
    expect(await callCount(db.db)).toBe(0);
    await recorder.stop();
    expect(recorder.pending()).toBe(0);
    expect(await callCount(db.db)).toBe(777);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 777 });
  });

  it('writes a full batch without waiting for the interval', async () => {
    const recorder = createCallRecorder({ db: db.db, clock: systemClock, flushEveryMs: 60_000, batchSize: 100 });
    for (let i = 1; i <= 250; i++) recorder.record(gatewayCall(i));
    const until = Date.now() + 5000;
    while ((await callCount(db.db)) < 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(await callCount(db.db)).toBeGreaterThanOrEqual(200);
    await recorder.stop();
    expect(await callCount(db.db)).toBe(250);
  });

  it('retention removes calls past the limit and moves the anchor: the kept chain still verifies, and a gap after the anchor is still caught', async () => {
    const day = 86_400_000;
    const now = Date.UTC(2026, 11, 1);
    // 300 calls 200 days ago, 200 calls 100 days ago.
    await recordMany(500, (i) => ({ at: new Date(now - (i <= 300 ? 200 : 100) * day + i).toISOString() }));
    const result = await sweepCalls(db.db, fixedClock(new Date(now).toISOString()), 180, { chunk: 64 });
    expect(result).toEqual({ deleted: 300, anchorSeq: 301, brokenAt: null });
    expect(await callCount(db.db)).toBe(200);
    const v = await verifyCallChain(db.db);
    expect(v).toMatchObject({ ok: true, checked: 200, anchor: { seq: 301 }, head: { seq: 500 } });
    const removed300 = v.anchor.hash;
    expect(removed300).not.toBe(GENESIS_HASH);
    // A second sweep finds nothing more to remove.
    expect(await sweepCalls(db.db, fixedClock(new Date(now).toISOString()), 180)).toEqual({ deleted: 0, anchorSeq: 301, brokenAt: null });
    // New calls continue the chain after the sweep.
    await recordMany(5);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 205, head: { seq: 505 } });
    // Removing the oldest kept call by hand is not retention: the anchor names it missing.
    await db.db.deleteFrom('sharing_calls').where('seq', '=', 301).execute();
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 301, check: 'missing' });
  });

  it('retention keeps a broken link and what follows it as evidence', async () => {
    const day = 86_400_000;
    const now = Date.UTC(2026, 11, 1);
    await recordMany(100, (i) => ({ at: new Date(now - 400 * day + i).toISOString() }));
    await db.db.updateTable('sharing_calls').set({ status: 200, error_code: null }).where('seq', '=', 68).execute();
    const result = await sweepCalls(db.db, fixedClock(new Date(now).toISOString()), 180, { chunk: 30 });
    expect(result).toEqual({ deleted: 67, anchorSeq: 68, brokenAt: 68 });
    expect((await verifyCallChain(db.db)).broken).toMatchObject({ seq: 68, check: 'hash' });
  });

  it('retention of every call leaves an empty chain that the next call continues', async () => {
    const now = Date.UTC(2026, 11, 1);
    await recordMany(10, (i) => ({ at: new Date(now - 365 * 86_400_000 + i).toISOString() }));
    expect(await sweepCalls(db.db, fixedClock(new Date(now).toISOString()), 180)).toEqual({ deleted: 10, anchorSeq: 11, brokenAt: null });
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 0, anchor: { seq: 11 }, head: { seq: 10 } });
    await recordMany(3);
    expect(await verifyCallChain(db.db)).toMatchObject({ ok: true, checked: 3, anchor: { seq: 11 }, head: { seq: 13 } });
  });
});
