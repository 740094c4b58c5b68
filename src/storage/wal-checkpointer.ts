import { Worker } from 'node:worker_threads';

/**
 * Copies the embedded database's write-ahead log into the database file from a thread of its own
 * (ADR 0017). A checkpoint after a 1,000,000-row merge copies hundreds of megabytes; SQLite runs it
 * in whichever connection commits past `wal_autocheckpoint` pages, and on the main connection that
 * stopped the event loop for about 0.3 s (bench/serving-during-load.ts). So the main connection has
 * automatic checkpoints off, collection workers keep theirs, and this thread checkpoints
 * (PASSIVE: it never waits for readers or writers) every `intervalMs`, so that the log does not
 * grow without end while only the API writes.
 *
 * The worker is plain CommonJS run with `eval`: it needs nothing of ours, and so it starts the same
 * from source (tsx) and from dist/.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export type WalCheckpointer = { stop(): Promise<void> };

export function startWalCheckpointer(file: string, intervalMs: number): WalCheckpointer {
  const worker = new Worker(SOURCE, { eval: true, workerData: { file, intervalMs } });
  // A server's background helper: it never keeps a process alive on its own.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it stops: a process whose last work is closing its database (a serving
      // processes' primary, ADR 0039) would otherwise end under this await, its promise unsettled.
      worker.ref();
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
