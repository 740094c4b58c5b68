import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobWorkerData, JobWorkerMessage, JobWorkerRequest } from './job-worker.js';

/**
 * From the built JavaScript the worker file runs as it is. From TypeScript sources (tests, `tsx`)
 * the worker first loads tsx's API and imports the .ts file through it (Node 20 workers do not
 * inherit the parent's `--import` loader).
 */
function startWorker(url: URL, fromSource: boolean, data: JobWorkerData): Worker {
  if (!fromSource) return new Worker(url, { workerData: data });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`;
  return new Worker(code, { eval: true, workerData: data });
}

export type JobEvents = {
  onProgress(jobId: string, progress: unknown): void;
  /** The job ended: `error` is null when the worker reported it done (its outcome is in the database). */
  onExit(jobId: string, error: string | null): void;
};

type Slot = { worker: Worker; jobId: string | null; idleTimer: NodeJS.Timeout | null };

/**
 * A pool of at most `concurrency` worker threads running jobs first come, first served. A worker
 * runs one job at a time and is kept for the next; one idle for `idleMs` ends, so an idle server
 * holds no threads. Staging runs side by side; merges of one database serialise in the database.
 */
export function createJobQueue(options: { concurrency: number; workerData: JobWorkerData; events: JobEvents; idleMs?: number }) {
  const waiting: string[] = [];
  const pool = new Set<Slot>();
  const idle: (() => void)[] = [];
  const idleMs = options.idleMs ?? 10_000;

  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(`./job-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

  const busy = () => [...pool].filter((s) => s.jobId !== null).length;
  const finished = (slot: Slot, error: string | null) => {
    const jobId = slot.jobId;
    slot.jobId = null;
    if (jobId) options.events.onExit(jobId, error);
  };

  function spawn(): Slot {
    const slot: Slot = { worker: startWorker(workerUrl, fromSource, options.workerData), jobId: null, idleTimer: null };
    let crash: string | null = null;
    slot.worker.on('message', (m: JobWorkerMessage) => {
      if (m.jobId !== slot.jobId) return;
      if (m.type === 'progress') options.events.onProgress(m.jobId, m.progress);
      else {
        finished(slot, m.type === 'error' ? m.message : null);
        pump();
      }
    });
    slot.worker.on('error', (e) => {
      crash = e.stack ?? String(e);
    });
    slot.worker.on('exit', (code) => {
      pool.delete(slot);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      finished(slot, crash ?? `the worker stopped (exit code ${code}) before the job ended`);
      pump();
    });
    pool.add(slot);
    return slot;
  }

  function pump() {
    while (waiting.length) {
      const slot = [...pool].find((s) => s.jobId === null) ?? (pool.size < options.concurrency ? spawn() : null);
      if (!slot) break;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.jobId = waiting.shift()!;
      slot.worker.ref();
      slot.worker.postMessage({ type: 'run', jobId: slot.jobId } satisfies JobWorkerRequest);
    }
    for (const slot of pool) {
      if (slot.jobId === null && slot.idleTimer === null) {
        // An idle worker must not keep the process alive (the CLI exits when its work is done).
        slot.worker.unref();
        slot.idleTimer = setTimeout(() => void slot.worker.terminate(), idleMs);
        slot.idleTimer.unref();
      }
    }
    if (busy() === 0 && waiting.length === 0) idle.splice(0).forEach((f) => f());
  }

  return {
    enqueue(jobId: string) {
      if (waiting.includes(jobId) || [...pool].some((s) => s.jobId === jobId)) return;
      waiting.push(jobId);
      pump();
    },
    isActive: (jobId: string) => waiting.includes(jobId) || [...pool].some((s) => s.jobId === jobId),
    /** Resolves when nothing is queued or running (tests, shutdown). */
    drained: () => (busy() === 0 && waiting.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
    /** Ends every worker; a job still running is left to recovery at the next start. */
    async stop() {
      waiting.length = 0;
      await Promise.all([...pool].map((s) => s.worker.terminate()));
    },
  };
}
