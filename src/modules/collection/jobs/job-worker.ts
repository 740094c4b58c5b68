import { parentPort, workerData } from 'node:worker_threads';
import type { RecordStore } from '../../../storage/records/record-store.js';
import { openRecordStore } from '../../../storage/records/open-record-store.js';
import { defaultConverters } from '../loading/converters.js';
import { defaultSourceKinds } from '../sources/default-source-kinds.js';
import { runJob } from './run-job.js';

/**
 * Worker-thread entry: runs jobs one at a time, as the queue sends them, on a private connection,
 * off the HTTP loop. The worker stays for the next job (starting one costs about a second of
 * module loading); its connection is reopened after a job that failed, whose load may have left
 * it mid-COPY. The outcome of a job is in the database; messages only say progress and "done".
 */
export type JobWorkerData = { databaseUrl: string; scratchDir: string; dataDir: string };
export type JobWorkerRequest = { type: 'run'; jobId: string };
export type JobWorkerMessage =
  | { type: 'progress'; jobId: string; progress: unknown }
  | { type: 'done'; jobId: string }
  | { type: 'error'; jobId: string; message: string };

const data = workerData as JobWorkerData;
const post = (m: JobWorkerMessage) => parentPort?.postMessage(m);
let store: RecordStore | null = null;

async function run(jobId: string) {
  store ??= await openRecordStore(data.databaseUrl, data.scratchDir);
  const counts = await runJob(jobId, {
    store,
    converters: defaultConverters,
    sources: defaultSourceKinds({ dataDir: data.dataDir }),
    now: () => new Date().toISOString(),
    onProgress: (progress) => post({ type: 'progress', jobId, progress }),
  });
  if (counts === null) await closeStore();
}

async function closeStore() {
  const s = store;
  store = null;
  await s?.close().catch(() => undefined);
}

// One job at a time: the queue sends the next only after 'done' or 'error'.
parentPort?.on('message', (m: JobWorkerRequest) => {
  if (m.type !== 'run') return;
  run(m.jobId).then(
    () => post({ type: 'done', jobId: m.jobId }),
    async (err: unknown) => {
      await closeStore();
      post({ type: 'error', jobId: m.jobId, message: (err as Error).stack ?? String(err) });
    },
  );
});
