import type { JobContext } from '../../../jobs/job-kind.js';
import { openRecordStore } from '../../../storage/records/open-record-store.js';
import type { RecordStore } from '../../../storage/records/record-store.js';
import type { ScanInput } from './scan-kind.js';
import { runScan, type ScanProgress } from './scan-runner.js';

/** The scan inside a pool worker, on a private connection kept for the worker's next scan (reopened after a failure). */
let store: { url: string; store: RecordStore } | null = null;

async function closeStore() {
  const s = store;
  store = null;
  await s?.store.close().catch(() => undefined);
}

export async function run(input: ScanInput, ctx: JobContext): Promise<ScanProgress> {
  if (store && store.url !== input.databaseUrl) await closeStore();
  store ??= { url: input.databaseUrl, store: await openRecordStore(input.databaseUrl, input.scratchDir) };
  const s = store.store;
  try {
    return await runScan(
      s.db,
      (table, columns, visit) => s.visitRecords(table, columns, visit),
      input.plan,
      (p) => ctx.progress(p),
    );
  } catch (err) {
    await closeStore();
    throw err;
  }
}
