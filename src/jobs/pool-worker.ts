import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { JobContext, JobHandler } from './job-kind.js';

/**
 * Worker-thread entry of the pool: runs one job at a time, of any registered kind, as the pool
 * sends them. A kind's module is imported on first use and kept for the next job (starting a
 * module costs up to a second). Errors go back as plain words; the stack stays here.
 */
export type PoolWorkerData = { tsxApi: string | null };
export type PoolRequest = { type: 'run'; id: string; kind: string; module: string; input: unknown };
export type PoolMessage =
  | { type: 'progress'; id: string; progress: unknown }
  | { type: 'done'; id: string; output: unknown }
  | { type: 'error'; id: string; message: string; code?: string; details?: Record<string, unknown> };

const data = workerData as PoolWorkerData;
const post = (m: PoolMessage) => parentPort?.postMessage(m);
const modules = new Map<string, Promise<{ run?: JobHandler<unknown, unknown> }>>();

function load(href: string) {
  let m = modules.get(href);
  if (!m) {
    // From TypeScript sources the module is imported through tsx (workers do not inherit `--import`).
    m =
      href.endsWith('.ts') && data.tsxApi
        ? import(data.tsxApi).then(
            (tsx: { tsImport: (s: string, p: string) => Promise<unknown> }) => tsx.tsImport(href, href) as Promise<{ run?: JobHandler<unknown, unknown> }>,
          )
        : (import(href) as Promise<{ run?: JobHandler<unknown, unknown> }>);
    modules.set(href, m);
  }
  return m;
}

async function run(m: PoolRequest) {
  const mod = await load(m.module);
  if (typeof mod.run !== 'function') throw new Error(`the module of job kind '${m.kind}' exports no run()`);
  const ctx: JobContext = { threadId, progress: (progress) => post({ type: 'progress', id: m.id, progress }) };
  return mod.run(m.input, ctx);
}

parentPort?.on('message', (m: PoolRequest) => {
  if (m.type !== 'run') return;
  run(m).then(
    (output) => {
      try {
        post({ type: 'done', id: m.id, output });
      } catch (err) {
        post({ type: 'error', id: m.id, message: `job kind '${m.kind}' returned a result that cannot cross threads: ${(err as Error).message}` });
      }
    },
    (err: unknown) => {
      const e = err as { message?: string; code?: unknown; extensions?: Record<string, unknown> };
      post({
        type: 'error',
        id: m.id,
        message: e?.message ?? String(err),
        ...(typeof e?.code === 'string' ? { code: e.code } : {}),
        ...(e?.extensions && typeof e.extensions === 'object' ? { details: e.extensions } : {}),
      });
    },
  );
});
