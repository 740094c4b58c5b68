import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { CallRecorder, GatewayCall } from '../contracts.js';
import { toStoredFields } from './call-chain.js';
import { kyselyChainWriter, type ChainWriter, type StoredCall } from './chain-writers.js';

export type CallRecorderOptions = {
  /** The database the batches go to, through Kysely (kyselyChainWriter) unless `writer` is given. */
  db?: Db;
  /** How a batch is appended (chain-writers.ts); the writer thread gives a dialect's own (ADR 0038). */
  writer?: ChainWriter;
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
  /** Gets ready to write before the first call (the writer thread starts): what a `kill -9` can lose then excludes that start. */
  warm?(): void;
};

const RETRY_MAX_MS = 5_000;

/**
 * The gateway's call audit (ADR 0021): `record()` only queues; one writer
 * appends the queue in batches, each in one transaction that takes the chain's head, links every
 * call to the one before it (seq, prev_hash, hash), moves the head and adds the day's counts. A
 * batch that fails stays at the front of the queue and is retried with a growing pause, so a
 * call is never written twice nor skipped. What a `kill -9` loses is what is queued or in flight:
 * at most one interval's calls plus the batch being committed (longer only while the database
 * refuses writes — a SQLite merge holding the write lock — and then the calls of that wait).
 */
export function createCallRecorder(options: CallRecorderOptions): BatchingCallRecorder {
  const { clock } = options;
  if (!options.writer && !options.db) throw new Error('createCallRecorder needs a database or a chain writer');
  const writeBatch: ChainWriter = options.writer ?? kyselyChainWriter(options.db!);
  const flushEveryMs = options.flushEveryMs ?? 50;
  const batchSize = options.batchSize ?? 1000;
  let report = options.onError ?? (() => undefined);
  let queue: StoredCall[] = [];
  let inFlight = 0;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;

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
