import type { Db } from '../../../storage/dialect.js';
import { chainHash } from './call-chain.js';
import { createCallsRepository, type ChainState } from './calls.repository.js';

/**
 * Which check a link failed: `missing` — the row with this seq is absent (deleted in the middle,
 * or at either end); `unexpected` — a row outside the chain's anchor..head range; `prev_hash` —
 * the row does not follow the one before it (or the anchor); `hash` — the row's fields no longer
 * give its hash (edited); `head` — the last row is not the head the writers recorded.
 */
export type BrokenCheck = 'missing' | 'unexpected' | 'prev_hash' | 'hash' | 'head';

export type ChainVerdict = {
  ok: boolean;
  /** Rows whose links were checked. */
  checked: number;
  /** The chain's anchor (first seq kept and the hash it follows) and head, as read at the start. */
  anchor: { seq: number; hash: string };
  head: { seq: number; hash: string };
  broken: { seq: number; check: BrokenCheck; detail: string } | null;
};

const PAGE = 1000;

/**
 * Walks sharing_calls in seq order, one page in memory at a time, from the anchor to the head read
 * at the start (calls appended meanwhile are left for the next run), recomputing every hash; the
 * first broken link is named. A retention sweep moving the anchor during the walk restarts it.
 */
export async function verifyCallChain(db: Db, options: { pageSize?: number } = {}): Promise<ChainVerdict> {
  const repo = createCallsRepository();
  for (let attempt = 0; ; attempt++) {
    const state = await repo.chainState(db);
    const verdict = await walk(db, repo, state, options.pageSize ?? PAGE);
    if (verdict.ok || attempt >= 3) return verdict;
    const now = await repo.chainState(db);
    if (now.anchorSeq === state.anchorSeq) return verdict;
  }
}

async function walk(db: Db, repo: ReturnType<typeof createCallsRepository>, state: ChainState, pageSize: number): Promise<ChainVerdict> {
  const base = { anchor: { seq: state.anchorSeq, hash: state.anchorHash }, head: { seq: state.headSeq, hash: state.headHash } };
  let checked = 0;
  const fail = (seq: number, check: BrokenCheck, detail: string): ChainVerdict => ({ ...base, ok: false, checked, broken: { seq, check, detail } });
  const before = await repo.page(db, Number.MIN_SAFE_INTEGER, state.anchorSeq - 1, 1);
  if (before[0]) return fail(before[0].seq, 'unexpected', `a call older than the anchor (seq ${state.anchorSeq}) is still present`);
  let expected = state.anchorSeq;
  let prevHash = state.anchorHash;
  for (;;) {
    const rows = await repo.page(db, expected - 1, state.headSeq, pageSize);
    for (const row of rows) {
      if (row.seq !== expected) return fail(expected, 'missing', `calls ${expected}..${row.seq - 1} are missing`);
      if (row.prev_hash !== prevHash) return fail(row.seq, 'prev_hash', `prev_hash ${row.prev_hash} does not follow ${prevHash}`);
      const hash = chainHash(prevHash, row);
      if (hash !== row.hash) return fail(row.seq, 'hash', `the stored fields give ${hash}, the row says ${row.hash}`);
      prevHash = row.hash;
      expected += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  if (expected <= state.headSeq) return fail(expected, 'missing', `calls ${expected}..${state.headSeq} (the head) are missing`);
  if (prevHash !== state.headHash) return fail(state.headSeq, 'head', `the last call's hash ${prevHash} is not the recorded head ${state.headHash}`);
  // Rows past the head are calls appended since the walk began, unless no writer moved the head over them.
  const [after] = await repo.page(db, state.headSeq, Number.MAX_SAFE_INTEGER, 1);
  if (after && (await repo.chainState(db)).headSeq < after.seq)
    return fail(after.seq, 'unexpected', `a call past the head (seq ${state.headSeq}) that no writer recorded`);
  return { ...base, ok: true, checked, broken: null };
}
