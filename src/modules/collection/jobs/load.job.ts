import { sql } from 'kysely';
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

/**
 * Page cache of the job's SQLite connection, in KiB. better-sqlite3 builds SQLite with a 16 MB
 * default; the merge's sort keeps as much in memory before it writes a sorted run to a temporary
 * file (SQLite sizes its sorter by the main schema's cache_size). Both grow to it during a large
 * load and stay resident: 8 MB each is ~16 MB less at the peak of a 1,000,000-row load. Staging and
 * the merge's inserts are appends in key order; they need no large cache (ADR 0035: a 128 MB cache
 * changed nothing). ADR 0035 addendum, issue 8.
 */
export const JOB_SQLITE_CACHE_KIB = 8192;

async function limitSqliteCache(s: RecordStore): Promise<void> {
  if (s.dialect === 'sqlite') await sql.raw(`PRAGMA cache_size = -${JOB_SQLITE_CACHE_KIB}`).execute(s.db);
}

export async function run(input: LoadInput, ctx: JobContext): Promise<LoadOutput> {
  if (store && store.url !== input.databaseUrl) await closeStore();
  const opened = !store;
  store ??= { url: input.databaseUrl, store: await openRecordStore(input.databaseUrl, input.scratchDir) };
  try {
    if (opened) await limitSqliteCache(store.store);
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
