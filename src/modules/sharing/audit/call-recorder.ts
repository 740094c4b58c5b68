import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { CallRecorder, GatewayCall } from '../contracts.js';
import { chainHash, shanghaiDay, toStoredFields, type ChainRow } from './call-chain.js';
import { createCallsRepository, type CallCount } from './calls.repository.js';

export type CallRecorderOptions = {
  db: Db;
  clock: Clock;
  /** How long a call waits in memory at most before its batch is written (ms). */
  flushEveryMs?: number;
  /** A batch this large is written at once, without waiting for the interval. */
  batchSize?: number;
  /** A batch that could not be written (it stays queued and is retried). */
  onError?: (err: unknown, pending: number) => void;
  /** A batch of this many calls was committed (the writer thread reports it to the gateway's thread). */
  onWritten?: (calls: number) => void;
};

export type BatchingCallRecorder = CallRecorder & {
  /** Calls queued or being written, not yet committed. */
  pending(): number;
  /** Where write failures are reported (the module hands its logger over at start). */
  onError(handler: (err: unknown, pending: number) => void): void;
};

const RETRY_MAX_MS = 5_000;

type StoredCall = ReturnType<typeof toStoredFields>;

/**
 * The gateway's call audit (ADR draft in issue 10's report): `record()` only queues; one writer
 * appends the queue in batches, each in one transaction that takes the chain's head, links every
 * call to the one before it (seq, prev_hash, hash), moves the head and adds the day's counts. A
 * batch that fails stays at the front of the queue and is retried with a growing pause, so a
 * call is never written twice nor skipped. What a `kill -9` loses is what is queued or in flight:
 * at most one interval's calls plus the batch being committed (longer only while the database
 * refuses writes — a SQLite merge holding the write lock — and then the calls of that wait).
 */
export function createCallRecorder(options: CallRecorderOptions): BatchingCallRecorder {
  const { db, clock } = options;
  const flushEveryMs = options.flushEveryMs ?? 50;
  const batchSize = options.batchSize ?? 1000;
  let report = options.onError ?? (() => undefined);
  const repo = createCallsRepository();
  let queue: StoredCall[] = [];
  let inFlight = 0;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

  async function writeBatch(batch: StoredCall[]): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const head = await repo.lockChain(trx);
      let seq = head.headSeq;
      let prev = head.headHash;
      const rows: ChainRow[] = batch.map((f) => {
        seq += 1;
        const row = { ...f, seq };
        const hash = chainHash(prev, row);
        const linked = { ...row, prev_hash: prev, hash };
        prev = hash;
        return linked;
      });
      await repo.append(trx, rows);
      await repo.setHead(trx, seq, prev);
      await repo.addCounts(trx, countsOf(rows));
    });
  }

  /** Writes batches until the queue is empty; one runs at a time. */
  function drain(): Promise<void> {
    if (writing) return writing;
    writing = (async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        queue = queue.slice(batch.length);
        inFlight = batch.length;
        try {
          await writeBatch(batch);
          failures = 0;
          options.onWritten?.(batch.length);
        } catch (err) {
          queue = batch.concat(queue);
          failures += 1;
          report(err, queue.length);
          throw err;
        } finally {
          inFlight = 0;
        }
      }
    })().finally(() => {
      writing = null;
    });
    return writing;
  }

  function schedule(delayMs: number): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      drain().then(
        () => undefined,
        // Kept queued: retried later, the pause doubling up to RETRY_MAX_MS.
        () => schedule(Math.min(flushEveryMs * 2 ** failures, RETRY_MAX_MS)),
      );
    }, delayMs);
  }

  function stored(call: GatewayCall): StoredCall {
    try {
      return toStoredFields(call, clock.now());
    } catch (err) {
      // Keys JSON cannot hold (a cycle): the call is still audited, without them.
      report(err, queue.length);
      return toStoredFields({ ...call, keys: [] }, clock.now());
    }
  }

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      // A batch in flight when flush was called may have taken only part of the queue.
      while (writing || queue.length > 0) await drain();
    } catch (err) {
      schedule(Math.min(flushEveryMs * 2 ** failures, RETRY_MAX_MS));
      throw err;
    }
  }

  return {
    record(call) {
      queue.push(stored(call));
      if (queue.length >= batchSize && !writing && failures === 0) {
        if (timer) clearTimeout(timer);
        timer = null;
        schedule(0);
      } else schedule(flushEveryMs);
    },
    flush,
    stop: flush,
    pending: () => queue.length + inFlight,
    onError(handler) {
      report = handler;
    },
  };
}

/** Calls per (Asia/Shanghai day, interface, consumer); errors are answers of status 400 and above. Calls nobody was identified for are audited, not counted. */
function countsOf(rows: ChainRow[]): CallCount[] {
  const counts = new Map<string, CallCount>();
  for (const r of rows) {
    if (!r.interface_id || !r.consumer_id || !r.department_id) continue;
    const day = shanghaiDay(r.at);
    const key = `${day}\u0000${r.interface_id}\u0000${r.consumer_id}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { day, interfaceId: r.interface_id, consumerId: r.consumer_id, departmentId: r.department_id, calls: 0, errors: 0 }));
    c.calls += 1;
    if (r.status >= 400) c.errors += 1;
  }
  return [...counts.values()];
}
