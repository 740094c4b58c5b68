import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../../shared/clock.js';
import { openPostgres } from '../../../storage/postgres.js';
import { configureConnection, openSqlite } from '../../../storage/sqlite.js';
import type { GatewayCall } from '../contracts.js';
import { createCallRecorder } from './call-recorder.js';
import { kyselyChainWriter, postgresChainWriter, sqliteChainWriter, type ChainWriter } from './chain-writers.js';

/**
 * The call audit's writer thread (ADR 0030; call-writer-thread.ts starts it): the batching call
 * recorder of ADR 0021 — chain, counts, retries — run here on a database connection of its own,
 * so the inserts, their indexes and the hashing never take the gateway's thread, and on SQLite
 * the wait for a write lock held by a collection merge happens here.
 */
export type CallWriterData = { databaseUrl: string; batchSize: number; writer: 'direct' | 'kysely' };
export type CallWriterRequest = { type: 'calls'; calls: GatewayCall[] } | { type: 'flush'; id: number } | { type: 'stop' };
export type CallWriterMessage =
  | { type: 'written'; calls: number }
  | { type: 'error'; message: string }
  | { type: 'flushed'; id: number; error: string | null }
  | { type: 'stopped'; error: string | null };

const data = workerData as CallWriterData;
const post = (m: CallWriterMessage) => parentPort?.postMessage(m);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The thread's own connection and how batches are appended there: `direct` (ADR 0038) — on SQLite
 * a better-sqlite3 connection of its own, set up as the main one (sqlite.ts configureConnection: WAL, no
 * synchronous busy wait, no automatic checkpoint: the serving process checkpoints), its statements
 * compiled once; on PostgreSQL fixed SQL texts; `kysely` — ADR 0030's writer, kept as the benchmark's anchor.
 */
function open(url: string, writer: CallWriterData['writer']): { write: ChainWriter; close(): Promise<void> } {
  if (url.startsWith('sqlite:') && writer === 'direct') {
    const file = url.slice('sqlite:'.length);
    // The serving process created the file and migrated it: a missing file is an error, not a new database.
    if (!fs.existsSync(file)) throw new Error(`the call audit writer cannot open ${file}: no such database file`);
    const raw = new SQLite(file, { fileMustExist: true });
    configureConnection(raw);
    return { write: sqliteChainWriter(raw), close: async () => void raw.close() };
  }
  // Two connections at most: one writes, the other serves a flush that overlaps it.
  const storage = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url, { max: 2 });
  const write = writer === 'direct' ? postgresChainWriter(storage.db) : kyselyChainWriter(storage.db);
  return { write, close: () => storage.close() };
}

const connection = open(data.databaseUrl, data.writer);
// Calls arrive already batched by the gateway's thread: they are written a few ms after they come
// (a failed batch is retried after 10, 20 … 5,000 ms).
const recorder = createCallRecorder({
  writer: connection.write,
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
      await connection.close().catch(() => undefined);
      post({ type: 'stopped', error });
      parentPort?.close();
    })();
  }
});
