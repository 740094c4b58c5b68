import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportJob, ExportMessage, ExportRequest } from './export-worker.js';

export type ExportChunk = { bytes: Buffer; rows: number };

/**
 * Export threads (ADR 0031): each running export has a worker thread of its own that reads,
 * presents, masks, writes and encodes (export-worker.ts); the request's thread only receives
 * ready chunks and pipes them, so a million-row download does not hold up other requests. A
 * thread that finishes an export stays for the next one for `idleMs` (starting one costs tens
 * of milliseconds built, more from TypeScript sources), unreferenced so it never keeps the
 * process alive. At most `credits` chunks are in flight per export: the thread waits for the
 * consumer (and so for the client) beyond that.
 */
export function createExportThreads(options: { idleMs?: number; credits?: number } = {}) {
  const idleMs = options.idleMs ?? 30_000;
  const credits = options.credits ?? 4;
  const idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  let nextId = 1;

  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./export-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

  function start(): Worker {
    if (!fromSource) return new Worker(entry);
    // Node 20 workers do not inherit the parent's `--import tsx`: load the entry through tsx's API.
    const tsxApi = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
    return new Worker(code, { eval: true });
  }

  function take(): Worker {
    const hit = idle.pop();
    if (hit) {
      clearTimeout(hit.timer);
      hit.worker.ref();
      return hit.worker;
    }
    return start();
  }

  function giveBack(worker: Worker) {
    worker.unref();
    const slot = {
      worker,
      timer: setTimeout(() => {
        const i = idle.indexOf(slot);
        if (i >= 0) idle.splice(i, 1);
        void worker.terminate();
      }, idleMs),
    };
    slot.timer.unref();
    idle.push(slot);
  }

  return {
    /** Chunks of one export, in order; stopping early (return/throw) cancels it and ends its thread. */
    async *run(job: Omit<ExportJob, 'id' | 'credits'>): AsyncGenerator<ExportChunk> {
      const id = nextId++;
      const worker = take();
      const queue: ExportChunk[] = [];
      let ended = false;
      let failure: Error | null = null;
      let wake: (() => void) | null = null;
      const notify = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      const onMessage = (m: ExportMessage) => {
        if (m.id !== id) return;
        if (m.type === 'chunk') queue.push({ bytes: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength), rows: m.rows });
        else if (m.type === 'end') ended = true;
        else failure = new Error(`export failed: ${m.message}`);
        notify();
      };
      const onError = (err: Error) => {
        failure = err;
        notify();
      };
      const onExit = (code: number) => {
        failure ??= new Error(`the export thread stopped (exit code ${code})`);
        notify();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const send = (m: ExportRequest) => worker.postMessage(m);
      let clean = false;
      try {
        send({ type: 'start', id, credits, ...job });
        for (;;) {
          const chunk = queue.shift();
          if (chunk) {
            send({ type: 'more', id });
            yield chunk;
            continue;
          }
          if (failure) throw failure;
          if (ended) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
        clean = true;
      } finally {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        // A finished thread serves the next export; one stopped midway (client gone, error) is ended.
        if (clean) giveBack(worker);
        else void worker.terminate();
      }
    },

    /** Ends idle threads (a running export's thread ends with its export). */
    async stop() {
      const all = idle.splice(0);
      await Promise.all(all.map((s) => (clearTimeout(s.timer), s.worker.terminate())));
    },
  };
}

export type ExportThreads = ReturnType<typeof createExportThreads>;
