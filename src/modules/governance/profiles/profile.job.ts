import type { JobContext } from '../../../jobs/job-kind.js';
import { openRecordStore } from '../../../storage/records/open-record-store.js';
import type { RecordStore } from '../../../storage/records/record-store.js';
import type { ProfileInput } from './profile-kind.js';
import { runProfile, type ProfileOutput } from './profile-runner.js';

/** The profile inside a pool worker, on a private connection kept for the worker's next profile (reopened after a failure). */
let store: { url: string; store: RecordStore } | null = null;

async function closeStore() {
  const s = store;
  store = null;
  await s?.store.close().catch(() => undefined);
}

export async function run(input: ProfileInput, ctx: JobContext): Promise<ProfileOutput> {
  if (store && store.url !== input.databaseUrl) await closeStore();
  store ??= { url: input.databaseUrl, store: await openRecordStore(input.databaseUrl, input.scratchDir) };
  const s = store.store;
  let last = 0;
  try {
    return await runProfile(
      s.db,
      (table, columns) => s.readRecords(table, columns),
      input.plan,
      (p) => {
        // Every message crosses threads: at most a few a second.
        const now = Date.now();
        if (now - last < 250) return;
        last = now;
        ctx.progress(p);
      },
    );
  } catch (err) {
    await closeStore();
    throw err;
  }
}
