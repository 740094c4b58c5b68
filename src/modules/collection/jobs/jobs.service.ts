import { createHash } from 'node:crypto';
import { scopeOf } from '../../../shared/access-scope.js';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, notFound } from '../../../errors.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/audit.service.js';
import type { Actor } from '../../../shared/actor.js';
import { collectionPolicy } from '../collection.policy.js';
import type { RecordFormat } from '../parsing/types.js';
import { createJobQueue } from './job-queue.js';
import { presentJob, presentReject, type CollectionJob } from './jobs.presenter.js';
import { createJobsRepository, type JobRow } from './jobs.repository.js';

export type Mode = 'upsert' | 'snapshot';

export type FileSubmission = {
  resourceId: string;
  /** Defaults to the file's SHA-256: sending the same file twice is then a no-op. */
  batchId?: string;
  filePath: string;
  format: RecordFormat;
  encoding?: string;
  mode: Mode;
  sourceKind: 'file' | 'push';
  sourceRef: string;
};

export type SourceSubmission = { resourceId: string; sourceId: string; sourceKind: string; sourceRef: string; mode: Mode; batchId: string };

export type CollectionDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  /** How workers reach the database; null (an in-memory database) disables collection. */
  databaseUrl: string | null;
  dataDir: string;
  concurrency?: number;
};

export const FORMAT_BY_EXTENSION: Record<string, RecordFormat> = {
  '.csv': 'csv', '.txt': 'csv', '.tsv': 'tsv', '.xlsx': 'xlsx', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson',
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

  const queue = createJobQueue({
    concurrency: deps.concurrency ?? 2,
    workerData: {
      databaseUrl: deps.databaseUrl ?? '',
      scratchDir: path.join(deps.dataDir, 'scratch'),
      dataDir: deps.dataDir,
    },
    events: {
      onProgress(jobId, progress) {
        const p = progress as { phase: string; rows_read: number; rows_rejected: number; bytes_read: number };
        const t = Date.now();
        // Throttled, and never during the merge: that transaction holds SQLite's write lock.
        if (p.phase !== 'reading' || t - (lastProgressWrite.get(jobId) ?? 0) < 1000) return;
        lastProgressWrite.set(jobId, t);
        void repo
          .update(db, jobId, { rows_read: p.rows_read, rows_rejected: p.rows_rejected, bytes_read: p.bytes_read, updated_at: now() })
          .catch(() => undefined);
      },
      onExit(jobId, error) {
        lastProgressWrite.delete(jobId);
        void (async () => {
          const job = await repo.find(db, jobId);
          if (job && (job.status === 'running' || job.status === 'queued')) {
            await repo.update(db, jobId, { status: 'failed', error: error ?? 'the load stopped without a result', finished_at: now(), updated_at: now() });
          }
          if (job?.status === 'succeeded' && job.file_path) {
            fs.rmSync(job.file_path, { force: true });
          }
        })()
          .catch(() => undefined)
          .finally(() => {
            for (const w of waiters.get(jobId) ?? []) w();
            waiters.delete(jobId);
          });
      },
    },
  });

  async function resourceOwner(resourceId: string) {
    const r = await db.selectFrom('resources').select(['id', 'provider_department_id', 'code']).where('id', '=', resourceId).executeTakeFirst();
    if (!r) throw notFound('resource', resourceId);
    return r;
  }

  async function readable(actor: Actor, job: JobRow | undefined, id: string): Promise<JobRow> {
    if (!job) throw notFound('collection job', id);
    const scope = scopeOf(actor);
    if (scope === 'all') return job;
    const owner = await resourceOwner(job.resource_id);
    if (scope === 'none' || owner.provider_department_id !== scope.departmentId) throw notFound('collection job', id);
    return job;
  }

  /** Creates the job, or returns the existing one for a known batch id (re-queued when it had failed). */
  async function submit(actor: Actor, fields: Omit<JobRow, 'id' | 'status' | 'rows_read' | 'rows_inserted' | 'rows_updated' | 'rows_unchanged' | 'rows_rejected' | 'rows_deleted' | 'bytes_read' | 'watermark' | 'error' | 'submitted_by' | 'created_at' | 'started_at' | 'finished_at' | 'updated_at'>) {
    if (!deps.databaseUrl) throw new Error('collection needs a database that worker threads can open (not :memory:)');
    const owner = await resourceOwner(fields.resource_id);
    collectionPolicy.assertCanLoad(actor, owner.provider_department_id);
    const result = await auditor.run(
      { actor, action: 'collection.submit', targetType: 'resource', targetId: fields.resource_id, detail: { batchId: fields.batch_id, kind: fields.source_kind } },
      async (trx) => {
        const existing = await repo.findByBatch(trx, fields.resource_id, fields.batch_id);
        const at = now();
        if (existing) {
          if (existing.status === 'succeeded' || queue.isActive(existing.id)) return { job: existing, duplicate: true };
          // Failed or interrupted: run it again from the start with the new input.
          await repo.update(trx, existing.id, {
            ...fields, status: 'queued', error: null, rows_read: 0, rows_inserted: 0, rows_updated: 0, rows_unchanged: 0, rows_rejected: 0,
            rows_deleted: 0, bytes_read: 0, started_at: null, finished_at: null, updated_at: at,
          });
          return { job: (await repo.find(trx, existing.id))!, duplicate: false };
        }
        const row: JobRow = {
          id: newId(), ...fields, status: 'queued', rows_read: 0, rows_inserted: 0, rows_updated: 0, rows_unchanged: 0, rows_rejected: 0,
          rows_deleted: 0, bytes_read: 0, watermark: null, error: null, submitted_by: actor.username, created_at: at, started_at: null,
          finished_at: null, updated_at: at,
        };
        await repo.insert(trx, row);
        return { job: row, duplicate: false };
      },
      (r) => r.job.id,
    );
    if (!result.duplicate) queue.enqueue(result.job.id);
    else if (fields.file_path && fields.file_path !== result.job.file_path) fs.rmSync(fields.file_path, { force: true });
    return { job: presentJob(result.job, clock.now()), duplicate: result.duplicate };
  }

  return {
    submitFile(actor: Actor, s: FileSubmission & { batchId: string }) {
      return submit(actor, {
        resource_id: s.resourceId, batch_id: s.batchId, source_kind: s.sourceKind, source_ref: s.sourceRef, source_id: null, format: s.format,
        encoding: s.encoding ?? null, mode: s.mode, file_path: s.filePath, file_bytes: fs.statSync(s.filePath).size, options: toJson({}),
      });
    },

    submitSource(actor: Actor, s: SourceSubmission) {
      return submit(actor, {
        resource_id: s.resourceId, batch_id: s.batchId, source_kind: s.sourceKind, source_ref: s.sourceRef, source_id: s.sourceId, format: null,
        encoding: null, mode: s.mode, file_path: null, file_bytes: null, options: toJson({}),
      });
    },

    async get(actor: Actor, id: string): Promise<CollectionJob> {
      return presentJob(await readable(actor, await repo.find(db, id), id), clock.now());
    },

    async list(actor: Actor, q: { resourceId?: string; status?: string; cursor?: string; limit: number }): Promise<Page<CollectionJob>> {
      const scope = scopeOf(actor);
      let resourceIds: string[] | undefined;
      if (scope === 'none') resourceIds = [];
      else if (scope !== 'all') {
        resourceIds = (await db.selectFrom('resources').select('id').where('provider_department_id', '=', scope.departmentId).execute()).map((r) => r.id);
      }
      const rows = await repo.list(db, { resourceId: q.resourceId, status: q.status, resourceIds, before: decodeCursor(q.cursor), limit: q.limit });
      return toPage(rows, q.limit, (r) => r.id, (r) => presentJob(r, clock.now()));
    },

    async rejects(actor: Actor, id: string, afterSeq: number, limit: number) {
      await readable(actor, await repo.find(db, id), id);
      const rows = await repo.rejects(db, id, afterSeq, limit);
      const page = rows.slice(0, limit);
      return { items: page.map(presentReject), nextCursor: rows.length > limit ? String(page[page.length - 1]!.seq) : null };
    },

    /** Resolves when the job has finished (any outcome). */
    async waitFor(jobId: string): Promise<CollectionJob> {
      if (queue.isActive(jobId)) await new Promise<void>((r) => (waiters.get(jobId) ?? waiters.set(jobId, []).get(jobId)!).push(r));
      const job = await repo.find(db, jobId);
      if (!job) throw notFound('collection job', jobId);
      return presentJob(job, clock.now());
    },

    /**
     * At start-up: a job a dead process left queued or running starts again from the beginning
     * when its input is still there (an uploaded file, a saved source); otherwise it is marked
     * interrupted, and sending its batch again reruns it. Scratch files are removed.
     */
    async recover(): Promise<{ requeued: number; interrupted: number }> {
      fs.rmSync(path.join(deps.dataDir, 'scratch'), { recursive: true, force: true });
      const left = await repo.unfinished(db);
      const again = left.filter((j) => (j.file_path ? fs.existsSync(j.file_path) : j.source_id !== null));
      const at = now();
      for (const j of left) {
        if (again.includes(j)) await repo.update(db, j.id, { status: 'queued', error: null, started_at: null, updated_at: at });
        else await repo.markInterrupted(db, j.id, at);
      }
      for (const j of again) queue.enqueue(j.id);
      return { requeued: again.length, interrupted: left.length - again.length };
    },

    drained: () => queue.drained(),
    stop: () => queue.stop(),
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
