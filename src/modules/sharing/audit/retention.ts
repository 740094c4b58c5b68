import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import { chainHash } from './call-chain.js';
import { createCallsRepository } from './calls.repository.js';

export type SweepResult = {
  deleted: number;
  /** The first call kept: verification starts here, from the hash of the last one removed. */
  anchorSeq: number;
  /** A broken link met among the calls due for removal: it and everything after are kept as evidence. */
  brokenAt: number | null;
};

const CHUNK = 5000;
const DAY_MS = 86_400_000;

/**
 * Removes calls older than `retentionDays` (KUAIJI_AUDIT_RETENTION_DAYS), oldest first, a chunk per
 * transaction. Each chunk is verified before it goes; the anchor then moves to the first call kept
 * with the hash of the last one removed, so the kept chain still verifies and shows that nothing
 * after the anchor was taken. A chunk that does not verify stops the sweep at its broken link: the
 * evidence stays until someone looks. Two processes sweeping at once do not collide: a chunk whose
 * anchor moved under it is read again.
 */
export async function sweepCalls(db: Db, clock: Clock, retentionDays: number, options: { chunk?: number } = {}): Promise<SweepResult> {
  const repo = createCallsRepository();
  const chunk = options.chunk ?? CHUNK;
  const cutoff = clock.now().getTime() - retentionDays * DAY_MS;
  let deleted = 0;
  for (;;) {
    const state = await repo.chainState(db);
    const rows = await repo.oldest(db, state.anchorSeq, chunk);
    let expected = state.anchorSeq;
    let prev = state.anchorHash;
    let brokenAt: number | null = null;
    let reachedKept = rows.length < chunk;
    for (const row of rows) {
      if (Date.parse(row.at) >= cutoff) {
        reachedKept = true;
        break;
      }
      if (row.seq !== expected || row.prev_hash !== prev || chainHash(prev, row) !== row.hash) {
        brokenAt = expected;
        break;
      }
      prev = row.hash;
      expected += 1;
    }
    const moved = await db.transaction().execute(async (trx) => {
      const now = await repo.lockChain(trx);
      if (now.anchorSeq !== state.anchorSeq) return null;
      if (expected === state.anchorSeq) return 0;
      const result = await repo.deleteBefore(trx, expected);
      await repo.setAnchor(trx, expected, prev, clock.now().toISOString());
      return Number(result.numDeletedRows);
    });
    if (moved === null) continue;
    deleted += moved;
    if (brokenAt !== null || reachedKept || moved === 0) return { deleted, anchorSeq: expected, brokenAt };
  }
}

/** Sweeps now and then every day (unref'd: it never keeps a process alive); errors go to `onError`. */
export function scheduleSweeps(sweep: () => Promise<SweepResult>, onResult: (r: SweepResult) => void, onError: (err: unknown) => void) {
  const run = () => void sweep().then(onResult, onError);
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
