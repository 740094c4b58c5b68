import { createHash } from 'node:crypto';
import { scopeOf } from '../../../shared/access-scope.js';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, notFound } from '../../../errors.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { Actor } from '../../../shared/actor.js';
import { collectionPolicy } from '../collection.policy.js';
import type { RecordFormat } from '../parsing/types.js';
import { JobEnded, type JobKind } from '../../../jobs/job-kind.js';
import { createWorkerPool, type WorkerPool } from '../../../jobs/worker-pool.js';
import { createLeases, type LeaseTiming } from '../../../jobs/lease.js';
import { collectionLoadJob, type LoadInput } from './job-kinds.js';
import { presentJob, presentReject, type CollectionJob, type JobPhase } from './jobs.presenter.js';
import { createUploadSweeper } from '../uploads-sweep.js';
import { rejectsCsvStream } from './rejects-csv.js';
import { createJobsRepository, NO_COUNTS, type JobRow } from './jobs.repository.js';
import type { SourceSecurity } from '../sources/security/source-security.js';
import type { SynonymGroups } from '../parsing/header-mapping.js';

export type Mode = 'upsert' | 'snapshot';

export type FileSubmission = {
  resourceId: string;
  /** Defaults to the file's SHA-256: sending the same file twice is then a no-op. */
  batchId?: string;
  filePath: string;
  format: RecordFormat;
  encoding?: string;
  /** XLSX: the sheet to read (default: the first); kept in the job's options. */
  sheet?: string;
  mode: Mode;
  sourceKind: 'file' | 'push';
  sourceRef: string;
  /** `reject`: a header that maps to no data item fails the job; default: listed on the job. */
  onUnmapped?: 'reject' | 'ignore';
  /** This job's time limit; default: the platform's. */
  timeLimitMs?: number | null;
};

export type SourceSubmission = {
  resourceId: string;
  sourceId: string;
  sourceKind: string;
  sourceRef: string;
  mode: Mode;
  batchId: string;
  /** The source's time limit for its pulls; default: the platform's. */
  timeLimitMs?: number | null;
};

export type CollectionDeps = {
  /** What pull sources may reach and the key of their secrets (handed to the workers). */
  sourceSecurity?: SourceSecurity;
  db: Db;
  clock: Clock;
  auditor: Auditor;
  /** Job leases (ADR 0016): their length and heartbeat; 30 s and 5 s when absent. */
  lease?: LeaseTiming;
  /** Who this process is as a lease owner; processOwner() when absent (tests play two processes). */
  leaseOwner?: string;
  /** A lease heartbeat that failed (logged by the module). */
  onLeaseError?: (err: unknown) => void;
  /** Owners of resources (who may load, whose jobs a department sees). */
  catalog: Pick<CatalogReader, 'owner' | 'resourceIdsOfDepartment'>;
  /** How workers reach the database; null (an in-memory database) disables collection. */
  databaseUrl: string | null;
  dataDir: string;
  concurrency?: number;
  /** Told after a job succeeded (governance re-scans the resource); injected by deps.ts, never awaited. */
  onLoaded?: (resourceId: string, jobId: string) => void;
  /** The process's worker pool (shared with other modules' job kinds); one of `concurrency` workers when absent. */
  pool?: WorkerPool;
  /** A job's time limit when neither it nor its source sets one; null or absent: none. */
  timeLimitMs?: number | null;
  /** The kind that runs a load (tests pass one that misbehaves). */
  loadKind?: JobKind<LoadInput, unknown>;
  /** How long a failed job's uploaded input is kept (KUAIJI_FAILED_INPUT_RETENTION_H); 72 h when absent. */
  failedInputRetentionMs?: number;
  /** Column-name synonyms the workers match file headers with; the shipped list when absent. */
  headerSynonyms?: SynonymGroups;
};

/** Pools' groups: pulls wait on systems the platform does not control, so they never take the last worker. */
const FILE_GROUP = 'collection.load';
const PULL_GROUP = 'collection.pull';
const UNFINISHED = ['queued', 'running'];
/** Finished states a batch sent again may take whatever their lease says. */
const RERUNNABLE = ['failed', 'interrupted', 'cancelled'];
/** A job running when the process stopped is started once more, never twice: it may be what stops it. */
const MAX_ATTEMPTS = 2;
const POISON = 'this job stopped the process twice; not retried (send the batch again to run it once more)';

export const FORMAT_BY_EXTENSION: Record<string, RecordFormat> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.tsv': 'tsv',
  '.xlsx': 'xlsx',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Collection jobs: idempotent submission by batch id, execution in worker threads, progress,
 * rejects. A batch id that already succeeded changes nothing; one that failed or was
 * interrupted runs again from the start.
 */
export function createJobsService(deps: CollectionDeps) {
  const repo = createJobsRepository();
  const { db, clock, auditor } = deps;
  const now = () => clock.now().toISOString();
  const waiters = new Map<string, (() => void)[]>();
  const lastProgressWrite = new Map<string, number>();
  // Where each job this process runs is (reading, merging): kept here, not written, because the
  // merge holds SQLite's write lock; another process's job shows 'reading' while it runs.
  const phases = new Map<string, JobPhase>();
  const present = (row: JobRow) => presentJob(row, clock.now(), phases.get(row.id));
  const CANCELLED = 'the job was cancelled; nothing of it was stored';
  /** Jobs handed to the pool whose end is not yet recorded. */
  const inFlight = new Set<string>();
  const drainWaiters: (() => void)[] = [];
  // Every job this process creates, re-queues or recovers is leased to it while it waits and runs.
  const leases = createLeases({
    db,
    clock,
    table: 'collection_jobs',
    owner: deps.leaseOwner,
    timing: deps.lease,
    onError: deps.onLeaseError,
  });

  const pool = deps.pool ?? createWorkerPool({ concurrency: deps.concurrency ?? 2 });
  const loadKind = deps.loadKind ?? collectionLoadJob;
  pool.register(loadKind);
  // Two hung pulls must not hold every worker while file loads wait: pulls share all but one.
  if (pool.concurrency > 1) pool.limitGroup(PULL_GROUP, pool.concurrency - 1);
  const uploads = createUploadSweeper({ db, clock, dataDir: deps.dataDir, failedRetentionMs: deps.failedInputRetentionMs ?? 72 * 3_600_000 });
  const workerInput = {
    owner: leases.owner,
    databaseUrl: deps.databaseUrl ?? '',
    scratchDir: path.join(deps.dataDir, 'scratch'),
    dataDir: deps.dataDir,
    sourceSecurity: deps.sourceSecurity,
    headerSynonyms: deps.headerSynonyms,
  };

  function onProgress(jobId: string, progress: unknown) {
    const p = progress as { phase: JobPhase; rows_read: number; rows_rejected: number; bytes_read: number };
    if (inFlight.has(jobId)) phases.set(jobId, p.phase);
    const t = Date.now();
    // Throttled, and never during the merge: that transaction holds SQLite's write lock.
    if (p.phase !== 'reading' || t - (lastProgressWrite.get(jobId) ?? 0) < 1000) return;
    lastProgressWrite.set(jobId, t);
    void (async () => {
      await repo.progress(db, jobId, leases.owner, { rows_read: p.rows_read, rows_rejected: p.rows_rejected, bytes_read: p.bytes_read, updated_at: now() });
      // A cancel asked for through another process (the server, for a CLI load) is honoured here.
      const job = await repo.find(db, jobId);
      if (job?.cancel_requested_at) pool.cancel(jobId, CANCELLED);
    })().catch(() => undefined);
  }

  /** The pool ended the job: record what the worker could not (cancel, time limit, a dead worker). */
  async function ended(jobId: string, end: JobEnded | null) {
    lastProgressWrite.delete(jobId);
    phases.delete(jobId);
    try {
      // A stopping process leaves its jobs to recovery, by whichever process starts next or runs now.
      if (end?.reason === 'stopped') return await leases.release(jobId);
      const found = await repo.find(db, jobId);
      // Taken over by another process (this one's lease ran out): its outcome is that process's.
      const job = found?.owner === leases.owner ? found : undefined;
      const at = now();
      if (job && UNFINISHED.includes(job.status)) {
        const status = end?.reason === 'cancelled' ? 'cancelled' : 'failed';
        await repo.update(db, jobId, { status, error: end?.message ?? 'the load stopped without a result', finished_at: at, updated_at: at });
      }
      // Off the event loop: unlinking a large upload can take a tenth of a second.
      if (job?.status === 'succeeded' && job.file_path) await fs.promises.rm(job.file_path, { force: true });
      if (job?.status === 'succeeded') deps.onLoaded?.(job.resource_id, jobId);
      await leases.release(jobId);
    } catch {
      // The database is closing (shutdown): recovery settles the job at the next start.
    } finally {
      inFlight.delete(jobId);
      for (const w of waiters.get(jobId) ?? []) w();
      waiters.delete(jobId);
      if (inFlight.size === 0) drainWaiters.splice(0).forEach((f) => f());
    }
  }

  /** Hands a queued job to the pool; its attempts count from when a worker takes it. */
  function start(job: Pick<JobRow, 'id' | 'source_id' | 'time_limit_ms'>) {
    if (inFlight.has(job.id)) return;
    inFlight.add(job.id);
    const run = pool.run(
      loadKind,
      { jobId: job.id, ...workerInput },
      {
        id: job.id,
        group: job.source_id ? PULL_GROUP : FILE_GROUP,
        timeLimitMs: job.time_limit_ms ?? deps.timeLimitMs ?? null,
        onStart: () => void repo.started(db, job.id, leases.owner, now()).catch(() => undefined),
        onProgress: (p) => onProgress(job.id, p),
      },
    );
    run.result.then(
      () => ended(job.id, null),
      (err: unknown) => ended(job.id, err instanceof JobEnded ? err : new JobEnded('failed', (err as Error).message)),
    );
  }

  async function resourceOwner(resourceId: string) {
    const r = await deps.catalog.owner(resourceId);
    if (!r) throw notFound('resource', resourceId);
    return r;
  }

  async function readable(actor: Actor, job: JobRow | undefined, id: string): Promise<JobRow> {
    if (!job) throw notFound('collection job', id);
    const scope = scopeOf(actor);
    if (scope === 'all') return job;
    const owner = await resourceOwner(job.resource_id);
    if (scope === 'none' || owner.providerDepartmentId !== scope.departmentId) throw notFound('collection job', id);
    return job;
  }

  /** Creates the job, or returns the existing one for a known batch id (re-queued when it had failed). */
  async function submit(
    actor: Actor,
    fields: Omit<
      JobRow,
      | 'id'
      | 'status'
      | 'rows_read'
      | 'rows_inserted'
      | 'rows_updated'
      | 'rows_unchanged'
      | 'rows_rejected'
      | 'rows_deleted'
      | 'bytes_read'
      | 'watermark'
      | 'error'
      | 'warnings'
      | 'attempts'
      | 'cancel_requested_at'
      | 'submitted_by'
      | 'created_at'
      | 'started_at'
      | 'finished_at'
      | 'updated_at'
    >,
  ) {
    if (!deps.databaseUrl) throw new Error('collection needs a database that worker threads can open (not :memory:)');
    const owner = await resourceOwner(fields.resource_id);
    collectionPolicy.assertCanLoad(actor, owner.providerDepartmentId);
    const result = await auditor.run(
      {
        actor,
        action: 'collection.submit',
        targetType: 'resource',
        targetId: fields.resource_id,
        detail: { batchId: fields.batch_id, kind: fields.source_kind },
      },
      async (trx) => {
        const existing = await repo.findByBatch(trx, fields.resource_id, fields.batch_id);
        const at = now();
        if (existing) {
          if (existing.status === 'succeeded' || inFlight.has(existing.id)) return { job: existing, duplicate: true };
          // Queued or running under another process's live lease (a CLI load next to the server): that process runs it.
          const takeOverFrom = leases.takeable(existing)?.takeOverFrom ?? null;
          if (!(await leases.claim(existing.id, { db: trx, takeOverFrom, finished: RERUNNABLE }))) return { job: existing, duplicate: true };
          // Failed or interrupted, or left by a process that is gone: run it again from the start with the new input.
          await repo.update(trx, existing.id, {
            ...fields,
            status: 'queued',
            error: null,
            warnings: null,
            ...NO_COUNTS,
            started_at: null,
            finished_at: null,
            updated_at: at,
            attempts: 0,
            cancel_requested_at: null,
          });
          return { job: (await repo.find(trx, existing.id))!, duplicate: false };
        }
        const row: JobRow = {
          id: newId(),
          ...fields,
          status: 'queued',
          ...NO_COUNTS,
          watermark: null,
          error: null,
          warnings: null,
          submitted_by: actor.username,
          created_at: at,
          started_at: null,
          finished_at: null,
          updated_at: at,
          attempts: 0,
          cancel_requested_at: null,
          ...leases.columns(),
        };
        await repo.insert(trx, row);
        return { job: row, duplicate: false };
      },
      (r) => r.job.id,
    );
    if (!result.duplicate) {
      leases.hold(result.job.id);
      start(result.job);
    } else if (fields.file_path && fields.file_path !== result.job.file_path) await fs.promises.rm(fields.file_path, { force: true });
    return { job: present(result.job), duplicate: result.duplicate };
  }

  /** Resolves when the job has finished (any outcome). */
  async function waitFor(jobId: string): Promise<CollectionJob> {
    if (inFlight.has(jobId)) await new Promise<void>((r) => (waiters.get(jobId) ?? waiters.set(jobId, []).get(jobId)!).push(r));
    const job = await repo.find(db, jobId);
    if (!job) throw notFound('collection job', jobId);
    return present(job);
  }

  /**
   * Recovers the unfinished jobs no live process holds (see recover()): each is claimed first, so
   * two processes recovering at once never both take one. A claim that finds the database busy is
   * left for the next look.
   */
  async function settle(atStart: boolean) {
    const left = await repo.unfinished(db);
    const at = now();
    const out = { requeued: 0, interrupted: 0, failed: 0, cancelled: 0, leftRunning: 0 };
    const again: JobRow[] = [];
    const othersRunning = new Set<string>();
    for (const j of left) {
      if (inFlight.has(j.id) || leases.holds(j.id)) continue;
      const how = leases.takeable(j);
      if (!how || !(await leases.claim(j.id, { takeOverFrom: how.takeOverFrom }))) {
        othersRunning.add(j.id);
        continue;
      }
      if (j.cancel_requested_at) {
        await repo.update(db, j.id, { status: 'cancelled', error: 'cancelled; nothing of it was stored', finished_at: at, updated_at: at });
        out.cancelled += 1;
      } else if (j.status === 'running' && Number(j.attempts ?? 0) >= MAX_ATTEMPTS) {
        await repo.update(db, j.id, { status: 'failed', error: POISON, finished_at: at, updated_at: at });
        out.failed += 1;
      } else if (j.file_path ? fs.existsSync(j.file_path) : j.source_id !== null) {
        await repo.update(db, j.id, { status: 'queued', error: null, started_at: null, updated_at: at });
        again.push(j);
        continue;
      } else {
        await repo.markInterrupted(db, j.id, at);
        out.interrupted += 1;
      }
      await leases.release(j.id);
    }
    if (atStart) removeScratch(othersRunning);
    for (const j of again) start(j);
    return { ...out, requeued: again.length, leftRunning: othersRunning.size };
  }

  /**
   * Scratch files (`<job id>.sqlite…`) of loads that are no longer running. A live process's load
   * keeps its file: its job is held by that process, or it began after the jobs were listed
   * (written within the last lease period).
   */
  function removeScratch(running: Set<string>) {
    const dir = path.join(deps.dataDir, 'scratch');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    const recent = clock.now().getTime() - leases.timing.leaseMs;
    for (const name of names) {
      const file = path.join(dir, name);
      if (running.has(name.split('.')[0]!)) continue;
      try {
        if (fs.statSync(file).mtimeMs >= recent) continue;
      } catch {
        continue;
      }
      fs.rmSync(file, { recursive: true, force: true });
    }
  }

  return {
    submitFile(actor: Actor, s: FileSubmission & { batchId: string }) {
      return submit(actor, {
        resource_id: s.resourceId,
        batch_id: s.batchId,
        source_kind: s.sourceKind,
        source_ref: s.sourceRef,
        source_id: null,
        format: s.format,
        encoding: s.encoding ?? null,
        mode: s.mode,
        file_path: s.filePath,
        file_bytes: fs.statSync(s.filePath).size,
        options: toJson({ ...(s.onUnmapped ? { onUnmapped: s.onUnmapped } : {}), ...(s.sheet !== undefined ? { sheet: s.sheet } : {}) }),
        time_limit_ms: s.timeLimitMs ?? null,
      });
    },

    submitSource(actor: Actor, s: SourceSubmission) {
      return submit(actor, {
        resource_id: s.resourceId,
        batch_id: s.batchId,
        source_kind: s.sourceKind,
        source_ref: s.sourceRef,
        source_id: s.sourceId,
        format: null,
        encoding: null,
        mode: s.mode,
        file_path: null,
        file_bytes: null,
        options: toJson({}),
        time_limit_ms: s.timeLimitMs ?? null,
      });
    },

    async get(actor: Actor, id: string): Promise<CollectionJob> {
      return present(await readable(actor, await repo.find(db, id), id));
    },

    async list(actor: Actor, q: { resourceId?: string; status?: string; cursor?: string; limit: number }): Promise<Page<CollectionJob>> {
      const scope = scopeOf(actor);
      let resourceIds: string[] | undefined;
      if (scope === 'none') resourceIds = [];
      else if (scope !== 'all') {
        resourceIds = await deps.catalog.resourceIdsOfDepartment(scope.departmentId);
      }
      const rows = await repo.list(db, { resourceId: q.resourceId, status: q.status, resourceIds, before: decodeCursor(q.cursor), limit: q.limit });
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => present(r),
      );
    },

    async rejects(actor: Actor, id: string, cursor: string | undefined, limit: number) {
      await readable(actor, await repo.find(db, id), id);
      const after = decodeCursor(cursor);
      if (after !== undefined && !/^\d{1,15}$/.test(after)) throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
      const rows = await repo.rejects(db, id, after === undefined ? 0 : Number(after), limit);
      return toPage(rows, limit, (r) => String(r.seq), presentReject);
    },

    /** Every reject as CSV, streamed page by page (see rejects-csv.ts); 404 before the first byte for a job the caller may not see. */
    async rejectsCsv(actor: Actor, id: string, pageSize = 1000) {
      await readable(actor, await repo.find(db, id), id);
      return rejectsCsvStream((after, limit) => repo.rejects(db, id, after, limit), pageSize);
    },

    waitFor,

    /**
     * Cancels a queued or running job: a queued one at once, a running one by ending its worker
     * (nothing of it is stored). A job another process runs (a CLI load) is cancelled by that
     * process at its next progress report, or at the next start if that process died.
     */
    async cancel(actor: Actor, id: string): Promise<CollectionJob> {
      const job = await readable(actor, await repo.find(db, id), id);
      collectionPolicy.assertCanLoad(actor, (await resourceOwner(job.resource_id)).providerDepartmentId);
      if (!UNFINISHED.includes(job.status)) {
        throw new AppError('JOB_FINISHED', `job ${id} has already ended (${job.status}); only a queued or running job can be cancelled`);
      }
      const at = now();
      await auditor.run({ actor, action: 'collection.cancel', targetType: 'collection_job', targetId: id, detail: { status: job.status } }, (trx) =>
        repo.update(trx, id, { cancel_requested_at: at, updated_at: at }),
      );
      const message = `cancelled by ${actor.username}; nothing of it was stored`;
      if (inFlight.has(id)) {
        pool.cancel(id, message);
        await waitFor(id);
      } else if (job.status === 'queued') {
        await repo.update(db, id, { status: 'cancelled', error: message, finished_at: at, updated_at: at });
      }
      return present((await repo.find(db, id))!);
    },

    /**
     * At start-up: a job a dead process left queued or running starts again from the beginning
     * when its input is still there (an uploaded file, a saved source); otherwise it is marked
     * interrupted, and sending its batch again reruns it. A job that was running when the process
     * stopped after its one retry is failed instead (it may be what stops the process), and a
     * job whose cancel was asked for is cancelled. A job another live process holds a lease on (a
     * CLI load) is left to it (`leftRunning`, ADR 0016). Scratch files no live job uses are removed.
     */
    async recover(): Promise<{ requeued: number; interrupted: number; failed: number; cancelled: number; leftRunning: number }> {
      const out = await settle(true);
      // Inputs no job still needs go now and hourly: see uploads-sweep.ts.
      await uploads.start();
      return out;
    },

    /** From now on, every lease period: jobs whose process went away are recovered as at a start (a serving process). */
    watchLeases(onRecovered: (r: Awaited<ReturnType<typeof settle>>) => void) {
      leases.watch(async () => {
        const r = await settle(false);
        if (r.requeued + r.interrupted + r.failed + r.cancelled > 0) onRecovered(r);
      });
    },

    /** Resolves when none of this service's jobs is queued or running (tests, the CLI). */
    drained: () => (inFlight.size === 0 ? Promise.resolve() : new Promise<void>((r) => drainWaiters.push(r))),
    /** Ends the pool's workers and releases this process's leases: its unfinished jobs are left to recovery. */
    async stop() {
      uploads.stop();
      await pool.stop();
      await leases.stop();
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;

export function assertKnownFormat(format: string | undefined, fileName: string): RecordFormat {
  const f = (format ?? FORMAT_BY_EXTENSION[path.extname(fileName).toLowerCase()]) as RecordFormat | undefined;
  if (!f || !['csv', 'tsv', 'xlsx', 'json', 'ndjson'].includes(f)) {
    throw new AppError('VALIDATION_FAILED', `Cannot tell the format of '${fileName}': give format=csv|tsv|xlsx|json|ndjson`, {
      errors: [{ path: 'query.format', code: 'required', message: 'csv, tsv, xlsx, json or ndjson' }],
    });
  }
  return f;
}
