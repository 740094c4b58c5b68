import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../../shared/clock.js';
import type { Storage } from '../../../storage/dialect.js';
import { openPostgres } from '../../../storage/postgres.js';
import { openSqlite } from '../../../storage/sqlite.js';
import type { GatewayCall } from '../contracts.js';
import { createCallRecorder } from './call-recorder.js';

/**
 * The call audit's writer thread (ADR 0030; call-writer-thread.ts starts it): the batching call
 * recorder of ADR 0021 — chain, counts, retries — run here on a database connection of its own,
 * so the inserts, their indexes and the hashing never take the gateway's thread, and on SQLite
 * the wait for a write lock held by a collection merge happens here.
 */
export type CallWriterData = { databaseUrl: string; batchSize: number };
export type CallWriterRequest = { type: 'calls'; calls: GatewayCall[] } | { type: 'flush'; id: number } | { type: 'stop' };
export type CallWriterMessage =
  | { type: 'written'; calls: number }
  | { type: 'error'; message: string }
  | { type: 'flushed'; id: number; error: string | null }
  | { type: 'stopped'; error: string | null };

const data = workerData as CallWriterData;
const post = (m: CallWriterMessage) => parentPort?.postMessage(m);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function open(url: string): Storage {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  // Two connections at most: one writes, the other serves a flush that overlaps it.
  return openPostgres(url, { max: 2 });
}

const storage = open(data.databaseUrl);
// Calls arrive already batched by the gateway's thread: they are written a few ms after they come
// (a failed batch is retried after 10, 20 … 5,000 ms).
const recorder = createCallRecorder({
  db: storage.db,
  clock: systemClock,
  flushEveryMs: 5,
  batchSize: data.batchSize,
  onError: (err) => post({ type: 'error', message: message(err) }),
  onWritten: (calls) => post({ type: 'written', calls }),
});

parentPort?.on('message', (m: CallWriterRequest) => {
  if (m.type === 'calls') {
    for (const call of m.calls) recorder.record(call);
  } else if (m.type === 'flush') {
    recorder.flush().then(
      () => post({ type: 'flushed', id: m.id, error: null }),
      (err: unknown) => post({ type: 'flushed', id: m.id, error: message(err) }),
    );
  } else if (m.type === 'stop') {
    void (async () => {
      let error: string | null = null;
      try {
        await recorder.stop();
      } catch (err) {
        error = message(err);
      }
      await storage.close().catch(() => undefined);
      post({ type: 'stopped', error });
      parentPort?.close();
    })();
  }
});
