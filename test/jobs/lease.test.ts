import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLeases, ownerIsGone, processOwner, type Leases } from '../../src/jobs/lease.js';
import { createLeaseRepository } from '../../src/jobs/lease.repository.js';
import type { Clock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { describeEachDialect, type TestDb } from '../dialects.js';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-03-02T08:00:00.000Z')) {
  let t = start;
  const clock: Clock = { now: () => new Date(t) };
  return { clock, advance: (ms: number) => (t += ms) };
}

const TIMING = { leaseMs: 30_000, heartbeatMs: 5_000 };

/** Claims, heartbeats, expiry and release between two owners ("two processes") on one table, with an injected clock. */
describeEachDialect('job leases', (fresh) => {
  let db: TestDb;
  const repo = createLeaseRepository();
  const made: Leases[] = [];

  beforeAll(async () => {
    db = await fresh();
  });
  afterAll(async () => {
    for (const l of made) await l.stop();
    await db.drop();
  });

  function twoProcesses() {
    const { clock, advance } = manualClock();
    const a = createLeases({ db: db.db, clock, table: 'quality_scans', owner: 'A', timing: TIMING });
    const b = createLeases({ db: db.db, clock, table: 'quality_scans', owner: 'B', timing: TIMING });
    made.push(a, b);
    return { a, b, advance };
  }

  /** A scan row (no resource needed): the smallest leased job. */
  async function job(status: string, lease: { owner?: string; lease_until?: string } = {}) {
    const id = newId();
    await db.db
      .insertInto('quality_scans')
      .values({
        id,
        resource_id: null,
        status,
        resources_total: 0,
        resources_done: 0,
        rows_checked: 0,
        error: null,
        requested_by: 'test',
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        owner: lease.owner ?? null,
        lease_until: lease.lease_until ?? null,
        heartbeat_at: null,
      })
      .execute();
    return id;
  }
  const ownerOf = async (id: string) => (await repo.find(db.db, 'quality_scans', id))?.owner;

  it('a job nobody holds is taken by one process; the other is refused while the lease lives, and takes it once it expired', async () => {
    const { a, b, advance } = twoProcesses();
    const id = await job('running');
    expect(await a.claim(id)).toBe(true);
    expect(await b.claim(id)).toBe(false);
    expect(b.takeable({ id, ...(await repo.find(db.db, 'quality_scans', id)) })).toBeNull();
    advance(TIMING.leaseMs - 1);
    expect(await b.claim(id)).toBe(false);
    advance(2);
    expect(await b.claim(id)).toBe(true);
    expect(await ownerOf(id)).toBe('B');
    // The first holder's heartbeat no longer extends a job it lost.
    expect(await a.beat()).toBe(0);
    expect(await b.beat()).toBe(1);
  });

  it('a heartbeat keeps the lease alive past its first expiry', async () => {
    const { a, b, advance } = twoProcesses();
    const id = await job('queued');
    expect(await a.claim(id)).toBe(true);
    for (let i = 0; i < 10; i++) {
      advance(TIMING.heartbeatMs);
      expect(await a.beat()).toBe(1);
    }
    // 50 s after the claim: without the beats the lease would have ended 20 s ago.
    expect(await b.claim(id)).toBe(false);
    expect(await ownerOf(id)).toBe('A');
  });

  it('claims at once: exactly one of two processes gets the job', async () => {
    const { a, b } = twoProcesses();
    const ids = await Promise.all(Array.from({ length: 20 }, () => job('running')));
    const results = await Promise.all(ids.flatMap((id) => [a.claim(id), b.claim(id)]));
    for (let i = 0; i < ids.length; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    const owners = await Promise.all(ids.map(ownerOf));
    expect(owners.every((o) => o === 'A' || o === 'B')).toBe(true);
  });

  it('a released lease is free at once; a stopping process releases every lease it holds', async () => {
    const { a, b } = twoProcesses();
    const one = await job('running');
    const two = await job('queued');
    expect(await a.claim(one)).toBe(true);
    expect(await a.claim(two)).toBe(true);
    await a.release(one);
    expect(await b.claim(one)).toBe(true);
    expect(await b.claim(two)).toBe(false);
    await a.stop();
    expect(await b.claim(two)).toBe(true);
  });

  it('a finished job is never claimed, unless the caller names its state (a failed batch sent again)', async () => {
    const { a } = twoProcesses();
    const done = await job('succeeded');
    const failed = await job('failed', { owner: 'B', lease_until: '2999-01-01T00:00:00.000Z' });
    expect(await a.claim(done)).toBe(false);
    expect(await a.claim(failed)).toBe(false);
    expect(await a.claim(failed, { finished: ['failed'] })).toBe(true);
    expect(await a.claim(done, { finished: ['failed'] })).toBe(false);
  });

  it('a live lease whose process is gone from this host is taken over at once; a live process keeps it', async () => {
    const { a } = twoProcesses();
    const started = '2026-03-02T07:00:00.000Z';
    // A pid that existed and has ended: a finished child process's.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = `${deadPid}@${os.hostname()}/${started}`;
    const alive = `${process.ppid}@${os.hostname()}/${started}`;
    const elsewhere = `${deadPid}@another-host.example/${started}`;
    expect(ownerIsGone(dead)).toBe(true);
    expect(ownerIsGone(alive)).toBe(false);
    expect(ownerIsGone(elsewhere)).toBe(false);
    // This process's pid with another start time: an earlier process that had the same pid.
    expect(ownerIsGone(`${process.pid}@${os.hostname()}/${started}`)).toBe(true);
    expect(ownerIsGone(processOwner())).toBe(false);

    const until = '2999-01-01T00:00:00.000Z';
    for (const [owner, takeable] of [
      [dead, true],
      [alive, false],
      [elsewhere, false],
    ] as const) {
      const id = await job('running', { owner, lease_until: until });
      const how = a.takeable({ id, owner, lease_until: until });
      expect(how).toEqual(takeable ? { takeOverFrom: owner } : null);
      // The claim needs the owner named: a live lease is never taken without it.
      expect(await a.claim(id)).toBe(false);
      if (how) expect(await a.claim(id, how)).toBe(true);
      expect(await ownerOf(id)).toBe(takeable ? 'A' : owner);
    }
  });
});
