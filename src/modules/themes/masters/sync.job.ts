import type { JobContext } from '../../../jobs/job-kind.js';
import { systemClock } from '../../../shared/clock.js';
import { openStorage } from '../../../storage/database.js';
import type { Storage } from '../../../storage/dialect.js';
import { createAuditor } from '../../audit/index.js';
import { createRecordReader, type RecordReader } from '../../collection/index.js';
import type { SyncInput } from './sync-kind.js';
import { runSync, type SyncOutput } from './sync-runner.js';

/** The sync inside a pool worker, on a private connection kept for the worker's next sync (reopened after a failure). */
let open: { url: string; storage: Storage; records: RecordReader } | null = null;

async function close() {
  const o = open;
  open = null;
  await o?.storage.close().catch(() => undefined);
}

export async function run(input: SyncInput, ctx: JobContext): Promise<SyncOutput> {
  if (open && open.url !== input.databaseUrl) await close();
  if (!open) {
    const storage = openStorage(input.databaseUrl, { sqliteBusyWaitMs: 30_000 });
    // Member records are read through collection's record reader; the sync reads with `audit: false` (the sync itself is audited by the service).
    const records = createRecordReader({ db: storage.db, auditor: createAuditor({ db: storage.db, dialect: storage.dialect, clock: systemClock }) });
    open = { url: input.databaseUrl, storage, records };
  }
  let last = 0;
  try {
    return await runSync(open.storage.db, open.records, input.plan, (p) => {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      ctx.progress(p);
    });
  } catch (err) {
    await close();
    throw err;
  }
}
