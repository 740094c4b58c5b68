import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GatewayCall } from '../contracts.js';
import type { BatchingCallRecorder } from './call-recorder.js';
import type { CallWriterData, CallWriterMessage, CallWriterRequest } from './call-writer-worker.js';

export type ThreadedCallRecorderOptions = {
  /** The database the writer thread opens (`sqlite:<file>` or a postgres URL): the serving process's own. */
  databaseUrl: string;
  /** How long a call waits on the gateway's thread at most before it is handed to the writer (ms). */
  flushEveryMs?: number;
  /** This many calls are handed over at once, without waiting for the interval; also the writer's batch. */
  batchSize?: number;
  onError?: (err: unknown, pending: number) => void;
  /**
   * How the writer thread appends a batch (ADR 0038): `direct` (the default) with statements
   * compiled once (chain-writers.ts); `kysely` with ADR 0030's statements built by Kysely per
   * batch, kept as bench/audit-writer.ts's anchor.
   */
  writer?: 'direct' | 'kysely';
};

const STOP_WAIT_MS = 10_000;
const RESTART_MAX_MS = 5_000;

/**
 * The call recorder of a serving process with a database file or server (ADR 0030): `record()`
 * queues on the gateway's thread, and every `flushEveryMs` (50 ms) or `batchSize` calls the queue
 * is posted to a writer thread (call-writer-worker.ts) that runs ADR 0021's batching recorder on a
 * connection of its own. The gateway's thread keeps each call until the writer reports it
 * committed: `pending()` counts them, and if the writer thread dies they are handed to a new one
 * (a crash between a commit and its report would write that batch twice; nothing else does).
 * `flush()` resolves once everything recorded before it is committed, or rejects with the
 * writer's error (the calls stay queued and are retried); `stop()` flushes and ends the thread.
 * The thread starts with the first call, or at `warm()` (a serving process starts it with the module),
 * and never keeps the process alive while nothing is owed.
 */
export function createThreadedCallRecorder(o: ThreadedCallRecorderOptions): BatchingCallRecorder {
  const flushEveryMs = o.flushEveryMs ?? 50;
  const batchSize = o.batchSize ?? 1000;
  const writer = o.writer ?? 'direct';
  let report = o.onError ?? (() => undefined);
  let queue: GatewayCall[] = [];
  // Posted to the writer, not yet reported committed, oldest first (from `ackedTo` on).
  let posted: GatewayCall[] = [];
  let ackedTo = 0;
  let timer: NodeJS.Timeout | null = null;
  let worker: Worker | null = null;
  let stopping = false;
  let nextFlush = 1;
  // Writer threads that ended in a row without committing anything: the next starts after a growing pause.
  let crashes = 0;
  const flushes = new Map<number, { resolve(): void; reject(err: Error): void }>();

  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./call-writer-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

  const owed = () => posted.length - ackedTo;

  /** Referenced while something is owed (a script awaiting flush() must not exit under it), unreferenced when idle. */
  function reref() {
    if (!worker) return;
    if (owed() > 0 || flushes.size > 0) worker.ref();
    else worker.unref();
  }

  function start(): Worker {
    const workerData: CallWriterData = { databaseUrl: o.databaseUrl, batchSize, writer };
    let w: Worker;
    if (!fromSource) w = new Worker(entry, { workerData });
    else {
      // Node 20 workers do not inherit the parent's `--import tsx`: load the entry through tsx's API.
      const tsxApi = pathToFileURL(
        createRequire(import.meta.url)
          .resolve('tsx/esm/api')
          .replace(/\.cjs$/, '.mjs'),
      ).href;
      const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
      w = new Worker(code, { eval: true, workerData });
    }
    w.on('message', (m: CallWriterMessage) => {
      if (m.type === 'written') {
        crashes = 0;
        ackedTo += m.calls;
        // Drop what is acknowledged once it is a good part of the array (no shift per batch).
        if (ackedTo >= 1024 && ackedTo * 2 >= posted.length) {
          posted = posted.slice(ackedTo);
          ackedTo = 0;
        }
        reref();
      } else if (m.type === 'error') report(new Error(m.message), pending());
      else if (m.type === 'flushed') {
        const waiter = flushes.get(m.id);
        flushes.delete(m.id);
        if (m.error === null) waiter?.resolve();
        else waiter?.reject(new Error(m.error));
        reref();
      }
    });
    w.on('error', (err) => report(err, pending()));
    w.on('exit', () => {
      if (worker !== w) return;
      worker = null;
      // Flushes the dead thread owed fail; its unacknowledged calls go back to the front of the queue for the next one.
      for (const waiter of flushes.values()) waiter.reject(new Error('the call audit writer thread ended'));
      flushes.clear();
      queue = posted.slice(ackedTo).concat(queue);
      posted = [];
      ackedTo = 0;
      crashes += 1;
      if (!stopping && queue.length > 0) schedule(Math.min(flushEveryMs * 2 ** crashes, RESTART_MAX_MS));
    });
    return w;
  }

  function send(m: CallWriterRequest) {
    worker ??= start();
    worker.postMessage(m);
  }

  /** Hands the queue to the writer thread. */
  function handOver() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    const calls = queue;
    queue = [];
    // One structured clone of the array of objects: measured cheaper on this thread than
    // JSON.stringify plus posting the text (bench/audit-writer.ts, ADR 0038).
    shareEqualItems(calls);
    try {
      send({ type: 'calls', calls });
    } catch (err) {
      // Something in a call's keys cannot cross threads (a function, a symbol): audited without them.
      report(err, pending());
      send({ type: 'calls', calls: calls.map(cloneable) });
    }
    for (const c of calls) posted.push(c);
    reref();
  }

  function schedule(delayMs = flushEveryMs) {
    if (timer) return;
    timer = setTimeout(handOver, delayMs);
  }

  function pending() {
    return queue.length + owed();
  }

  async function flush(): Promise<void> {
    handOver();
    if (!worker) return;
    const id = nextFlush++;
    const done = new Promise<void>((resolve, reject) => flushes.set(id, { resolve, reject }));
    send({ type: 'flush', id });
    reref();
    await done;
  }

  return {
    record(call) {
      queue.push(call);
      if (queue.length >= batchSize) handOver();
      else schedule();
    },
    flush,
    async stop() {
      try {
        await flush();
      } finally {
        const w = worker;
        if (w) {
          stopping = true;
          const ended = new Promise<void>((resolve) => {
            w.on('message', (m: CallWriterMessage) => {
              if (m.type === 'stopped') resolve();
            });
            w.once('exit', () => resolve());
          });
          w.ref();
          w.postMessage({ type: 'stop' } satisfies CallWriterRequest);
          await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
          worker = null;
          await w.terminate();
          stopping = false;
        }
      }
    },
    pending,
    onError(handler) {
      report = handler;
    },
    warm() {
      // Unreferenced while nothing is owed: a ready writer never keeps the process alive.
      if (stopping) return;
      worker ??= start();
      reref();
    },
  };
}

/**
 * Calls in a row returning the same items (an interface's granted items) are given one array: the
 * structured clone writes an array it has already written as a reference, so the items cross once
 * per run of equal lists instead of once per call (both threads copy less). The recorder owns a
 * call once recorded; the list's content is unchanged.
 */
function shareEqualItems(calls: GatewayCall[]): void {
  let last: string[] | null = null;
  for (const call of calls) {
    const items = call.items;
    if (last !== null && Array.isArray(items) && items !== last && items.length === last.length) {
      let same = true;
      for (let i = 0; i < items.length; i++)
        if (items[i] !== last[i]) {
          same = false;
          break;
        }
      if (same) {
        call.items = last;
        continue;
      }
    }
    last = Array.isArray(items) ? items : null;
  }
}

/** A call whose keys survive the structured clone (JSON's values), or none. */
function cloneable(call: GatewayCall): GatewayCall {
  let keys: unknown[] = [];
  try {
    keys = JSON.parse(JSON.stringify(call.keys)) as unknown[];
  } catch {
    keys = [];
  }
  return { ...call, keys: Array.isArray(keys) ? keys : [] };
}
