import { parentPort, workerData } from 'node:worker_threads';
import { openRecordStore } from '../../../storage/records/open-record-store.js';
import { defaultConverters } from '../loading/converters.js';
import { defaultSourceKinds } from '../sources/default-source-kinds.js';
import { runJob } from './run-job.js';

/**
 * Worker-thread entry: one job, on a private connection, off the HTTP loop. Reports progress and
 * the end to the job service through messages; the outcome itself is in the database.
 */
export type JobWorkerData = { databaseUrl: string; scratchDir: string; dataDir: string; jobId: string };
export type JobWorkerMessage = { type: 'progress'; progress: unknown } | { type: 'done' } | { type: 'error'; message: string };

async function main() {
  const data = workerData as JobWorkerData;
  const store = await openRecordStore(data.databaseUrl, data.scratchDir);
  try {
    await runJob(data.jobId, {
      store,
      converters: defaultConverters,
      sources: defaultSourceKinds({ dataDir: data.dataDir }),
      now: () => new Date().toISOString(),
      onProgress: (progress) => parentPort?.postMessage({ type: 'progress', progress } satisfies JobWorkerMessage),
    });
    parentPort?.postMessage({ type: 'done' } satisfies JobWorkerMessage);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) } satisfies JobWorkerMessage);
});
