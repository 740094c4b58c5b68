import type { JobContext } from '../../../jobs/job-kind.js';
import type { RecordStore } from '../../../storage/records/record-store.js';
import { openRecordStore } from '../../../storage/records/open-record-store.js';
import { createConverters, defaultConverters } from '../loading/converters.js';
import { defaultSourceKinds } from '../sources/default-source-kinds.js';
import type { LoadInput, LoadOutput } from './job-kinds.js';
import { runJob } from './run-job.js';

/**
 * The collection load, run inside a pool worker on a private connection, off the HTTP loop. The
 * connection is kept for the worker's next load; it is reopened after a job that failed, whose
 * load may have left it mid-COPY. The outcome is in the database; the result only says counts.
 */
let store: { url: string; store: RecordStore } | null = null;

async function closeStore() {
  const s = store;
  store = null;
  await s?.store.close().catch(() => undefined);
}

export async function run(input: LoadInput, ctx: JobContext): Promise<LoadOutput> {
  if (store && store.url !== input.databaseUrl) await closeStore();
  store ??= { url: input.databaseUrl, store: await openRecordStore(input.databaseUrl, input.scratchDir) };
  try {
    const counts = await runJob(input.jobId, {
      owner: input.owner,
      store: store.store,
      converters: input.headerSynonyms ? createConverters(input.headerSynonyms) : defaultConverters,
      sources: defaultSourceKinds({ dataDir: input.dataDir, databaseUrl: input.databaseUrl, security: input.sourceSecurity }),
      now: () => new Date().toISOString(),
      onProgress: (progress) => ctx.progress(progress),
    });
    if (counts === null) await closeStore();
    return counts;
  } catch (err) {
    await closeStore();
    throw err;
  }
}
