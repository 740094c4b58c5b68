import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/dialect.js';
import { createLeaseRepository, type LeasedTable } from './lease.repository.js';

export type { LeasedTable } from './lease.repository.js';

/** How long a lease lasts and how often its holder extends it (KUAIJI_JOB_LEASE_S, KUAIJI_JOB_HEARTBEAT_S). */
export type LeaseTiming = Readonly<{ leaseMs: number; heartbeatMs: number }>;
export const DEFAULT_LEASE_TIMING: LeaseTiming = Object.freeze({ leaseMs: 30_000, heartbeatMs: 5_000 });

let self: string | undefined;
/**
 * This process as a lease owner: `pid@host/start`. The start time tells this process from an
 * earlier one that had the same pid; it is fixed for the process (performance.timeOrigin).
 */
export function processOwner(): string {
  self ??= `${process.pid}@${os.hostname()}/${new Date(Math.round(performance.timeOrigin)).toISOString()}`;
  return self;
}

const OWNER = /^(\d+)@([^/]+)\/(.+)$/;

/**
 * Whether `owner` was a process on this host that no longer runs (its pid is gone, or the pid is
 * this process's but the start time is not). Its lease need not be waited out. A pid that exists
 * may belong to another program now: that is treated as alive and its lease expires on its own.
 */
export function ownerIsGone(owner: string | null | undefined, host = os.hostname()): boolean {
  const m = owner ? OWNER.exec(owner) : null;
  if (!m || m[2] !== host) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return owner !== processOwner();
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export type LeasesDeps = {
  db: Db;
  clock: Clock;
  table: LeasedTable;
  /** Who this process is (tests pass two to play two processes); processOwner() when absent. */
  owner?: string;
  timing?: LeaseTiming;
  /** A heartbeat or a claim that failed (the database busy past its wait, or closing). */
  onError?: (err: unknown) => void;
};

/** A row's lease as listed: who holds it and until when. */
export type LeaseState = { id: string; owner?: string | null; lease_until?: string | null };

/**
 * The leases of one table's jobs held by this process (ADR 0016): the lease columns of a job it
 * creates, an atomic claim of a job someone else left, a heartbeat that extends every held lease
 * with one small UPDATE, and the release of a job that ended or that a stopping process leaves
 * behind. A write meeting SQLite's write lock (a merge) waits without stopping the event loop
 * (the main connection's asynchronous busy wait, ADR 0017).
 */
export function createLeases(deps: LeasesDeps) {
  const repo = createLeaseRepository();
  const owner = deps.owner ?? processOwner();
  const timing = deps.timing ?? DEFAULT_LEASE_TIMING;
  const { table } = deps;
  const held = new Set<string>();
  /** Releases under way (a job that ended): `stop` waits for them. */
  const releasing = new Set<Promise<unknown>>();
  let heartbeat: NodeJS.Timeout | null = null;
  let watcher: NodeJS.Timeout | null = null;
  let beating = false;

  const stamp = () => {
    const now = deps.clock.now();
    return { now: now.toISOString(), until: new Date(now.getTime() + timing.leaseMs).toISOString() };
  };

  function hold(id: string) {
    held.add(id);
    if (!heartbeat) {
      heartbeat = setInterval(() => void beat(), timing.heartbeatMs);
      // A CLI process exits when its work is done, whatever its leases.
      heartbeat.unref();
    }
  }

  function drop(id: string) {
    held.delete(id);
    if (held.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  /** Extends every held lease; the rows extended, or null when skipped (a beat still running, or it failed). */
  async function beat(): Promise<number | null> {
    if (beating || held.size === 0) return null;
    beating = true;
    const { now, until } = stamp();
    try {
      return await repo.extend(deps.db, table, owner, [...held], now, until);
    } catch (err) {
      deps.onError?.(err);
      return null;
    } finally {
      beating = false;
    }
  }

  return {
    owner,
    timing,

    /** The lease columns of a row this process writes and runs: it holds the job from its first moment (then `hold` it). */
    columns() {
      const { now, until } = stamp();
      return { owner, lease_until: until, heartbeat_at: now };
    },

    /** Heartbeats `id` from now on (a row written with `columns()`, once committed). */
    hold,

    /** Whether this process holds `id`. */
    holds: (id: string) => held.has(id),

    /**
     * How a listed job could be taken: `{ takeOverFrom }` (null: its lease has expired or it has
     * none; an owner: that process is gone), or null when another process holds a live lease.
     * Only a hint for recovery: `claim` decides.
     */
    takeable(row: LeaseState): { takeOverFrom: string | null } | null {
      if (held.has(row.id)) return null;
      if (!row.lease_until || Date.parse(row.lease_until) < deps.clock.now().getTime()) return { takeOverFrom: null };
      if (row.owner && row.owner !== owner && ownerIsGone(row.owner)) return { takeOverFrom: row.owner };
      return null;
    },

    /**
     * Takes `id` atomically (see the repository's claim): true when this process now holds it.
     * Inside a transaction pass its `db`, and `hold` the job once committed (an error there is the
     * transaction's). Otherwise a taken job is held and heartbeated at once, and a claim that
     * fails (the database busy past its wait) is reported to onError and answers false: recovery
     * looks again later.
     */
    async claim(id: string, opts: { db?: Db; takeOverFrom?: string | null; finished?: readonly string[] } = {}): Promise<boolean> {
      const { now, until } = stamp();
      const where = { owner, now, until, takeOverFrom: opts.takeOverFrom, finished: opts.finished };
      if (opts.db) return repo.claim(opts.db, table, id, where);
      try {
        if (!(await repo.claim(deps.db, table, id, where))) return false;
      } catch (err) {
        deps.onError?.(err);
        return false;
      }
      hold(id);
      return true;
    },

    beat,

    /** This table's unfinished jobs with their leases, for recovery. */
    unfinished: () => repo.unfinished(deps.db, table),

    /** Lets go of `id` (it ended, or this process stops): another process may take it at once if it is unfinished. */
    async release(id: string) {
      drop(id);
      const done = repo.release(deps.db, table, owner, [id]);
      releasing.add(done);
      try {
        await done;
      } finally {
        releasing.delete(done);
      }
    },

    /** Runs `check` every lease period (a serving process looking for jobs whose holder went away) until `stop`. */
    watch(check: () => Promise<unknown>) {
      if (watcher) clearInterval(watcher);
      watcher = setInterval(() => void check().catch((err: unknown) => deps.onError?.(err)), timing.leaseMs);
      watcher.unref();
    },

    /**
     * Stops heartbeats and the watch, and releases every lease still held (a clean stop). Releases
     * already under way (a job that ended as the pool stopped) are waited for too, so once this
     * resolves another process sees none of this process's leases.
     */
    async stop() {
      if (watcher) clearInterval(watcher);
      watcher = null;
      const ids = [...held];
      for (const id of ids) drop(id);
      if (ids.length) await repo.release(deps.db, table, owner, ids);
      await Promise.allSettled([...releasing]);
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;

/** Lease timing from seconds (the configuration's), checked: the heartbeat must come well inside the lease. */
export function leaseTiming(leaseS: number, heartbeatS: number): LeaseTiming {
  if (!(heartbeatS * 2 <= leaseS)) throw new Error(`KUAIJI_JOB_HEARTBEAT_S (${heartbeatS}) must be at most half of KUAIJI_JOB_LEASE_S (${leaseS})`);
  return Object.freeze({ leaseMs: Math.round(leaseS * 1000), heartbeatMs: Math.round(heartbeatS * 1000) });
}
