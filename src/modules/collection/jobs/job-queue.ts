import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobWorkerData, JobWorkerMessage } from './job-worker.js';

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
  onExit(jobId: string, error: string | null): void;
};

/**
 * Runs jobs in worker threads, at most `concurrency` at once, first come first served. Staging
 * runs side by side; merges of one database serialise in the database itself.
 */
export function createJobQueue(options: { concurrency: number; workerData: Omit<JobWorkerData, 'jobId'>; events: JobEvents }) {
  const waiting: string[] = [];
  const running = new Map<string, Worker>();
  const idle: (() => void)[] = [];

  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(`./job-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

  function pump() {
    while (running.size < options.concurrency && waiting.length) {
      const jobId = waiting.shift()!;
      const worker = startWorker(workerUrl, fromSource, { ...options.workerData, jobId } satisfies JobWorkerData);
      running.set(jobId, worker);
      let error: string | null = null;
      worker.on('message', (m: JobWorkerMessage) => {
        if (m.type === 'progress') options.events.onProgress(jobId, m.progress);
        if (m.type === 'error') error = m.message;
      });
      worker.on('error', (e) => {
        error = e.stack ?? String(e);
      });
      worker.on('exit', (code) => {
        running.delete(jobId);
        options.events.onExit(jobId, error ?? (code === 0 ? null : `worker exited with code ${code}`));
        pump();
        if (running.size === 0 && waiting.length === 0) idle.splice(0).forEach((f) => f());
      });
    }
  }

  return {
    enqueue(jobId: string) {
      if (running.has(jobId) || waiting.includes(jobId)) return;
      waiting.push(jobId);
      pump();
    },
    isActive: (jobId: string) => running.has(jobId) || waiting.includes(jobId),
    /** Resolves when nothing is queued or running (tests, shutdown). */
    drained: () => (running.size === 0 && waiting.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
    async stop() {
      waiting.length = 0;
      await Promise.all([...running.values()].map((w) => w.terminate()));
    },
  };
}
