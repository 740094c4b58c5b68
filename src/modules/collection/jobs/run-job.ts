import { AppError } from '../../../errors.js';
import { fromJson, type Dialect } from '../../../storage/dialect.js';
import type { RecordStore } from '../../../storage/records/record-store.js';
import { postgresDialect } from '../../../storage/postgres.js';
import { sqliteDialect } from '../../../storage/sqlite.js';
// The narrow face: this runs in a job's worker thread, which must not load the whole catalogue module.
import { createCatalogReader } from '../../catalog/reader.js';
import { loadRecords, type Converters, type LoadProgress, type OnUnmapped } from '../loading/load-records.js';
import { createMappingsRepository } from '../mappings/mappings.repository.js';
import { createSourcesRepository } from '../sources/sources.repository.js';
import { toStorable } from '../loading/storable-text.js';
import type { SourceRegistry } from '../sources/source-kinds.js';
import { plainJobError } from './job-error.js';
import { createJobsRepository, type JobCounts } from './jobs.repository.js';

export type RunJobDeps = {
  /** The process holding the job's lease: every write of this run is fenced by it (ADR 0016). */
  owner: string;
  store: RecordStore;
  converters: Converters;
  sources: SourceRegistry;
  now: () => string;
  onProgress?: (p: LoadProgress) => void;
};

const dialectOf = (store: RecordStore): Dialect => (store.dialect === 'postgres' ? postgresDialect : sqliteDialect);

/**
 * Runs one queued job to its end on `deps.store`'s connection: running → succeeded (in the merge
 * transaction) or failed (with the reason). Runs in a worker thread, or inline for in-memory databases.
 */
export async function runJob(jobId: string, deps: RunJobDeps): Promise<JobCounts | null> {
  const db = deps.store.db;
  const jobs = createJobsRepository();
  const job = await jobs.find(db, jobId);
  if (!job) throw new Error(`job ${jobId} does not exist`);
  // Cancelled (maybe through another process) before a worker took it, or taken over by another
  // process since this one claimed it (its lease ran out): nothing to run here.
  if (job.cancel_requested_at || !['queued', 'running'].includes(job.status) || job.owner !== deps.owner) return null;
  const startedAt = deps.now();
  if (!(await jobs.updateOwned(db, jobId, deps.owner, { status: 'running', started_at: startedAt, updated_at: startedAt, error: null }))) return null;
  try {
    const catalog = createCatalogReader({ db, dialect: dialectOf(deps.store) });
    const resource = await catalog.resource(job.resource_id, 'all');
    if (!resource) throw new AppError('NOT_FOUND', `resource ${job.resource_id} no longer exists`);
    const mapping = await createMappingsRepository().of(db, resource.id);
    const kind = deps.sources[job.source_kind];
    if (!kind) throw new Error(`no source kind '${job.source_kind}'`);
    const source = await kind.open({ db, job });
    const counts = await loadRecords({
      store: deps.store,
      converters: deps.converters,
      resource: {
        id: resource.id,
        code: resource.code,
        items: (resource.items ?? []).map((i) => ({
          id: i.id,
          code: i.code,
          name: i.name,
          nameEn: i.nameEn,
          dataElement: i.dataElement,
          dataType: i.dataType,
          length: i.length,
          precision: i.precision,
          primaryKey: i.primaryKey,
          nullable: i.nullable,
        })),
      },
      job: { id: job.id, batchId: job.batch_id, source: job.source_ref ?? job.source_kind, snapshot: job.mode === 'snapshot', owner: deps.owner },
      open: source.open,
      bytesRead: source.bytesRead,
      mapping,
      onUnmapped: fromJson<{ onUnmapped?: OnUnmapped }>(job.options, {}).onUnmapped,
      now: deps.now,
      // Progress is persisted by the job service on its own connection: this one may be busy in a COPY.
      onProgress: deps.onProgress,
    });
    const watermark = source.watermark?.() ?? null;
    if (watermark !== null) {
      await jobs.updateOwned(db, jobId, deps.owner, { watermark });
      if (job.source_id) await createSourcesRepository().setWatermark(db, job.source_id, watermark, deps.now());
    }
    return counts;
  } catch (err) {
    const at = deps.now();
    const message = plainJobError(err);
    // The user reads plain words in job.error; the operator gets the stack on stderr (worker threads have no logger).
    if (!(err instanceof AppError) && (err as Error)?.name !== 'UnreadableFileError') console.error(`collection job ${jobId} failed:`, err);
    // A job another process has taken over is left as that process has it.
    await jobs.updateOwned(db, jobId, deps.owner, { status: 'failed', error: toStorable(message.slice(0, 4000)), finished_at: at, updated_at: at });
    return null;
  }
}
