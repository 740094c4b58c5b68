import { fromJson } from '../../../storage/dialect.js';
import type { CollectionRejectTable } from '../../../storage/schema.js';
import type { JobRow } from './jobs.repository.js';

export type CollectionJob = ReturnType<typeof presentJob>;

/** Where a running load is, as its worker last reported it (jobs.service.ts keeps it in memory). */
export type JobPhase = 'reading' | 'merging' | 'done';

/** A job as clients see it: counts, rate and ETA derived here, never the server's file path. */
export function presentJob(row: JobRow, now: Date, live?: JobPhase) {
  const started = row.started_at ? Date.parse(row.started_at) : null;
  const end = row.finished_at ? Date.parse(row.finished_at) : now.getTime();
  const seconds = started ? Math.max((end - started) / 1000, 0.001) : null;
  const rowsPerSecond = seconds && Number(row.rows_read) > 0 ? Math.round(Number(row.rows_read) / seconds) : null;
  const fraction = row.file_bytes && Number(row.file_bytes) > 0 ? Math.min(Number(row.bytes_read) / Number(row.file_bytes), 1) : null;
  const warnings = fromJson<{ unmappedHeaders?: string[]; unfilledItems?: string[]; repeatedKeys?: { keys: number; rows: number } } | null>(row.warnings, null);
  const etaSeconds = row.status === 'running' && fraction && fraction > 0 && seconds ? Math.max(Math.round((seconds / fraction) * (1 - fraction)), 0) : null;
  return {
    id: row.id,
    resourceId: row.resource_id,
    batchId: row.batch_id,
    sourceKind: row.source_kind,
    sourceRef: row.source_ref,
    sourceId: row.source_id,
    format: row.format,
    encoding: row.encoding,
    mode: row.mode,
    status: row.status,
    rows: {
      read: Number(row.rows_read),
      inserted: Number(row.rows_inserted),
      updated: Number(row.rows_updated),
      unchanged: Number(row.rows_unchanged),
      rejected: Number(row.rows_rejected),
      deleted: Number(row.rows_deleted),
    },
    bytes: { read: Number(row.bytes_read), total: row.file_bytes === null ? null : Number(row.file_bytes) },
    progress: row.status === 'succeeded' ? 1 : fraction,
    phase: row.status === 'queued' ? 'queued' : row.status === 'running' ? (live === 'done' ? 'merging' : (live ?? 'reading')) : 'done',
    rowsPerSecond,
    etaSeconds,
    watermark: row.watermark,
    error: row.error,
    attempts: Number(row.attempts ?? 0),
    timeLimitS: row.time_limit_ms ? row.time_limit_ms / 1000 : null,
    cancelRequested: Boolean(row.cancel_requested_at),
    // Empty until the load has read the header.
    unmappedHeaders: warnings?.unmappedHeaders ?? [],
    unfilledItems: warnings?.unfilledItems ?? [],
    repeatedKeys: warnings?.repeatedKeys ?? { keys: 0, rows: 0 },
    options: fromJson<Record<string, unknown>>(row.options, {}),
    submittedBy: row.submitted_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function presentReject(row: CollectionRejectTable) {
  return { rowNumber: Number(row.row_number), field: row.field, reason: row.reason, raw: row.raw };
}
