import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/**
 * Several serving processes on one port (KUAIJI_SERVE_PROCESSES > 1, ADR 0039): this process (the
 * primary) has migrated the database and made sure of the first administrator; it forks `count`
 * workers, each a whole app on the shared port (node:cluster hands each new connection to one of
 * them), and keeps them running:
 * - worker 0 runs the platform's background work (recovery, schedulers, escalations), the others
 *   only answer (KuaijiModule.start's `background`); a worker's index is in KUAIJI_SERVE_WORKER;
 * - a worker that exits while the server is up is forked again with the same index — unless it
 *   never began listening (a broken configuration would otherwise fork forever): then every
 *   worker is stopped and the primary exits 1;
 * - SIGTERM or SIGINT stops every worker (each closes as a single process does: its app, its
 *   modules — the call audit's writer flushes — then its database) and exits 0 when all have.
 */
export function superviseServingProcesses(count: number, logger: Logger): Promise<void> {
  const workers = new Map<number, Worker>();
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ KUAIJI_SERVE_WORKER: String(index) });
    let listening = false;
    workers.set(index, worker);
    worker.once('listening', () => (listening = true));
    worker.once('exit', (code, signal) => {
      if (workers.get(index) === worker) workers.delete(index);
      if (stopping) return;
      if (!listening) {
        logger.error({ worker: index, code, signal }, 'a serving process ended before it was listening: stopping the others');
        void stopAll(1);
        return;
      }
      logger.warn({ worker: index, code, signal }, 'a serving process ended: starting another in its place');
      fork(index);
    });
  };

  const stopAll = async (exitCode: number) => {
    stopping = true;
    const exits = [...workers.values()].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    for (const w of workers.values()) w.process.kill('SIGTERM');
    await Promise.all(exits);
    process.exit(exitCode);
  };

  for (let i = 0; i < count; i++) fork(i);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal, processes: workers.size }, 'shutting down the serving processes');
      void stopAll(0);
    });
  }
  return new Promise<void>((resolve) => {
    let ready = 0;
    cluster.on('listening', () => {
      if (++ready === count) resolve();
    });
  });
}

/** In a worker forked by superviseServingProcesses: its index (0 runs the background work); null in a single process. */
export function servingWorkerIndex(): number | null {
  if (!cluster.isWorker) return null;
  const index = Number(process.env.KUAIJI_SERVE_WORKER);
  return Number.isInteger(index) && index >= 0 ? index : null;
}
