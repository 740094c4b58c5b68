import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { newId } from '../shared/ids.js';
import { JobEnded, type JobKind } from './job-kind.js';
import type { PoolMessage, PoolRequest, PoolWorkerData } from './pool-worker.js';

export type WorkerPoolOptions = {
  /** Worker threads at most (each runs one job at a time). */
  concurrency: number;
  /** V8 old-generation heap of each worker (`resourceLimits.maxOldGenerationSizeMb`). */
  heapMb?: number;
  /**
   * V8 young generation of each worker (`resourceLimits.maxYoungGenerationSizeMb`: its two
   * semi-spaces and the new large-object space). Left to V8, it is sized from the old generation:
   * 48 MB for a 1 GB heap, two 16 MB semi-spaces that a streaming job fills with garbage between
   * scavenges, all of it resident (see DEFAULT_YOUNG_MB).
   */
  youngMb?: number;
  /** Stack of each worker (`resourceLimits.stackSizeMb`). */
  stackMb?: number;
  /** A worker idle this long ends, so an idle process holds no threads. */
  idleMs?: number;
};

export type RunOptions = {
  /** The job's id (a collection job's id); a fresh one when absent. */
  id?: string;
  /** Jobs of one group share the group's cap (`limitGroup`); default: the kind's name. */
  group?: string;
  /** Ends the worker and fails the job after this long in a worker; null: no limit. */
  timeLimitMs?: number | null;
  /** Called on the calling thread when a worker takes the job. */
  onStart?: () => void;
  onProgress?: (p: unknown) => void;
};

export type PoolJob<O> = { id: string; result: Promise<O> };

type Task = {
  id: string;
  kind: JobKind<unknown, unknown>;
  input: unknown;
  group: string;
  options: RunOptions;
  resolve(v: unknown): void;
  reject(e: JobEnded): void;
  slot: Slot | null;
  timer: NodeJS.Timeout | null;
};
type Slot = { worker: Worker; task: Task | null; idleTimer: NodeJS.Timeout | null; ending: JobEnded | null };

const DEFAULT_HEAP_MB = 1024;
const DEFAULT_STACK_MB = 4;
/**
 * 16 MB: semi-spaces of about 5 MB. A 1,000,000-row load keeps ~20 MB less resident than with
 * V8's default (48 MB for a 1 GB heap) and scavenges more often; what lives across a batch survives
 * either way (ADR 0035 addendum, issue 8: `bench/xlsx-load.ts --sample-memory`).
 */
const DEFAULT_YOUNG_MB = 16;

/** A `.js` module URL from TypeScript sources stands for its `.ts` twin. */
function moduleHref(url: URL): string {
  if (url.protocol === 'file:' && url.pathname.endsWith('.js') && !fs.existsSync(fileURLToPath(url))) {
    const ts = new URL(url.href.replace(/\.js$/, '.ts'));
    if (fs.existsSync(fileURLToPath(ts))) return ts.href;
  }
  return url.href;
}

/**
 * A pool of at most `concurrency` reused worker threads running registered job kinds first come,
 * first served, each worker under `resourceLimits`. A worker that dies — heap limit, crash, exit —
 * fails only its job, with the reason in plain words, and is replaced for the next one; the
 * process stays up. A time limit or a cancel ends the worker running the job. Groups with a cap
 * (`limitGroup`) cannot take every worker: e.g. pulls that hang leave a worker for file loads.
 */
export function createWorkerPool(options: WorkerPoolOptions) {
  const concurrency = Math.max(1, options.concurrency);
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  const youngMb = options.youngMb ?? DEFAULT_YOUNG_MB;
  const idleMs = options.idleMs ?? 10_000;
  const waiting: Task[] = [];
  const running = new Map<string, Task>();
  const slots = new Set<Slot>();
  const caps = new Map<string, number>();
  const kinds = new Map<string, string>();
  const idle: (() => void)[] = [];

  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./pool-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const tsxApi = fromSource
    ? pathToFileURL(
        createRequire(import.meta.url)
          .resolve('tsx/esm/api')
          .replace(/\.cjs$/, '.mjs'),
      ).href
    : null;

  function startWorker(): Worker {
    const workerData: PoolWorkerData = { tsxApi };
    const resourceLimits = { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: youngMb, stackSizeMb: options.stackMb ?? DEFAULT_STACK_MB };
    if (!fromSource) return new Worker(entry, { workerData, resourceLimits });
    // Node 20 workers do not inherit the parent's `--import tsx`: load the entry through tsx's API.
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
    return new Worker(code, { eval: true, workerData, resourceLimits });
  }

  const groupBusy = (group: string) => [...running.values()].filter((t) => t.group === group).length;

  function settle(task: Task, outcome: { output: unknown } | { error: JobEnded }) {
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    running.delete(task.id);
    if (task.slot) task.slot.task = null;
    task.slot = null;
    if ('error' in outcome) task.reject(outcome.error);
    else task.resolve(outcome.output);
  }

  /** Ends the worker running `task`: its job ends with `reason`, a new worker takes the next one. */
  function endWorker(task: Task, reason: JobEnded) {
    const slot = task.slot;
    if (!slot) return;
    slot.ending = reason;
    settle(task, { error: reason });
    slots.delete(slot);
    void slot.worker.terminate();
    pump();
  }

  function deathReason(err: Error | null, code: number): JobEnded {
    if ((err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new JobEnded(
        'out-of-memory',
        `the job ran out of memory: its worker went past the limit of ${heapMb} MB and was stopped; nothing of it was stored`,
      );
    }
    if (err) return new JobEnded('crashed', `the job's worker crashed (${err.message}); nothing of it was stored`);
    return new JobEnded('crashed', `the job's worker stopped (exit code ${code}) before the job ended; nothing of it was stored`);
  }

  function spawn(): Slot {
    const slot: Slot = { worker: startWorker(), task: null, idleTimer: null, ending: null };
    let crash: Error | null = null;
    slot.worker.on('message', (m: PoolMessage) => {
      const task = slot.task;
      if (!task || m.id !== task.id) return;
      if (m.type === 'progress') task.options.onProgress?.(m.progress);
      else if (m.type === 'done') settle(task, { output: m.output });
      else settle(task, { error: new JobEnded('failed', m.message, m.code, m.details) });
      if (m.type !== 'progress') pump();
    });
    slot.worker.on('error', (e) => {
      crash = e;
    });
    slot.worker.on('exit', (code) => {
      slots.delete(slot);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      if (slot.task && !slot.ending) settle(slot.task, { error: deathReason(crash, code) });
      pump();
    });
    slots.add(slot);
    return slot;
  }

  function nextRunnable(): number {
    return waiting.findIndex((t) => groupBusy(t.group) < (caps.get(t.group) ?? concurrency));
  }

  function pump() {
    for (;;) {
      const i = nextRunnable();
      if (i < 0) break;
      const slot = [...slots].find((s) => s.task === null && !s.ending) ?? (slots.size < concurrency ? spawn() : null);
      if (!slot) break;
      const task = waiting.splice(i, 1)[0]!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.task = task;
      task.slot = slot;
      running.set(task.id, task);
      slot.worker.ref();
      const limit = task.options.timeLimitMs;
      if (limit && limit > 0) {
        task.timer = setTimeout(() => {
          const s = limit / 1000;
          endWorker(
            task,
            new JobEnded(
              'time-limit',
              `the job exceeded its time limit of ${Number.isInteger(s) ? s : s.toFixed(1)} s and was stopped; nothing of it was stored`,
            ),
          );
        }, limit);
      }
      try {
        slot.worker.postMessage({
          type: 'run',
          id: task.id,
          kind: task.kind.name,
          module: kinds.get(task.kind.name)!,
          input: task.input,
        } satisfies PoolRequest);
      } catch (err) {
        // An input that cannot cross threads (a function, a class instance): the job fails, the worker stays.
        settle(task, { error: new JobEnded('failed', `job kind '${task.kind.name}' got an input that cannot cross threads: ${(err as Error).message}`) });
        continue;
      }
      task.options.onStart?.();
    }
    for (const slot of slots) {
      if (slot.task === null && slot.idleTimer === null) {
        // An idle worker must not keep the process alive (the CLI exits when its work is done).
        slot.worker.unref();
        slot.idleTimer = setTimeout(() => {
          slots.delete(slot);
          void slot.worker.terminate();
        }, idleMs);
        slot.idleTimer.unref();
      }
    }
    if (running.size === 0 && waiting.length === 0) idle.splice(0).forEach((f) => f());
  }

  return {
    concurrency,
    heapMb,
    youngMb,

    /** Makes a kind runnable here (idempotent). */
    register(kind: JobKind<unknown, unknown>) {
      kinds.set(kind.name, moduleHref(kind.module));
    },

    /** At most `max` jobs of `group` run at once (at least 1). */
    limitGroup(group: string, max: number) {
      caps.set(group, Math.max(1, Math.min(max, concurrency)));
    },

    /** Queues a job of a registered kind; `result` settles with its output or a JobEnded. */
    run<I, O>(kind: JobKind<I, O>, input: I, runOptions: RunOptions = {}): PoolJob<O> {
      if (!kinds.has(kind.name)) throw new Error(`job kind '${kind.name}' is not registered with this pool`);
      const id = runOptions.id ?? newId();
      if (running.has(id) || waiting.some((t) => t.id === id)) throw new Error(`job ${id} is already in the pool`);
      let task!: Task;
      const result = new Promise<O>((resolve, reject) => {
        task = {
          id,
          kind: kind as JobKind<unknown, unknown>,
          input,
          group: runOptions.group ?? kind.name,
          options: runOptions,
          resolve: resolve as (v: unknown) => void,
          reject,
          slot: null,
          timer: null,
        };
      });
      waiting.push(task);
      pump();
      return { id, result };
    },

    isActive: (id: string) => running.has(id) || waiting.some((t) => t.id === id),
    isRunning: (id: string) => running.has(id),

    /** Ends a queued job at once, or a running one by ending its worker. False when the pool does not hold it. */
    cancel(id: string, message = 'the job was cancelled; nothing of it was stored'): boolean {
      const i = waiting.findIndex((t) => t.id === id);
      if (i >= 0) {
        const [task] = waiting.splice(i, 1);
        task!.reject(new JobEnded('cancelled', message));
        pump();
        return true;
      }
      const task = running.get(id);
      if (!task) return false;
      endWorker(task, new JobEnded('cancelled', message));
      return true;
    },

    /** Resolves when nothing is queued or running (tests, shutdown). */
    drained: () => (running.size === 0 && waiting.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),

    /** Ends every worker; queued and running jobs end as `stopped` (a persisted job is left to recovery). */
    async stop() {
      const reason = new JobEnded('stopped', 'the server stopped before the job ended');
      for (const t of waiting.splice(0)) t.reject(reason);
      const all = [...slots];
      for (const s of all) {
        s.ending = reason;
        if (s.task) settle(s.task, { error: reason });
      }
      slots.clear();
      await Promise.all(all.map((s) => s.worker.terminate()));
      idle.splice(0).forEach((f) => f());
    },
  };
}

export type WorkerPool = ReturnType<typeof createWorkerPool>;
