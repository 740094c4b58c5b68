import { AppError } from '../../../errors.js';
import { toJson } from '../../../storage/dialect.js';
import type { RecordStore, StagedRow } from '../../../storage/records/record-store.js';
import type { CollectionRejectTable } from '../../../storage/schema.js';
import { CoerceFailure } from '../parsing/coerce-value.js';
import type { RecordStream } from '../parsing/types.js';
import { createJobsRepository, type JobCounts } from '../jobs/jobs.repository.js';
import type { RecordColumn } from '../records/record-layout.js';
import { createRecordRegistryRepository } from '../records/record-registry.repository.js';
import { ensureRecordTable, type ResourceForRecords } from '../records/record-tables.js';
import { rowHash } from './row-hash.js';
import { toStorable } from './storable-text.js';

/**
 * A cell's typed value, or a CoerceFailure carrying the reason it was refused: no result object
 * per cell (13 million of them for a million-row file were half of the type-checking time).
 */
export type CellCoercer = (cell: string | null) => unknown;

/** The two pieces of parsing the loader needs, passed in (src/modules/collection/loading/converters.ts wires them). */
export type Converters = {
  coercerFor(column: RecordColumn): CellCoercer;
  /** For each column: the index of its header in the file, or -1 when the file lacks it. */
  mapHeader(
    header: readonly string[],
    columns: RecordColumn[],
    mapping: Record<string, string>,
  ): { indexes: number[]; unmappedHeaders: string[]; ambiguous: string[] };
};

export type LoadJob = {
  id: string;
  batchId: string;
  source: string;
  snapshot: boolean;
  /** The process holding the job's lease: the merge commits only while it still does (ADR 0016). */
  owner?: string;
};

export type LoadProgress = JobCounts & { phase: 'reading' | 'merging' | 'done' };

export type LoadOptions = {
  store: RecordStore;
  converters: Converters;
  resource: ResourceForRecords;
  job: LoadJob;
  open: () => Promise<RecordStream>;
  mapping: Record<string, string>;
  now: () => string;
  onProgress?: (p: LoadProgress) => void;
  /** Rejected rows beyond this many are counted but not stored (the reject store stays bounded). */
  maxStoredRejects?: number;
  /** Bytes read so far, when the source can tell. */
  bytesRead?: () => number;
  /** `reject`: a header that maps to no data item fails the load; `ignore` (default): it is listed on the job. */
  onUnmapped?: OnUnmapped;
};

export type OnUnmapped = 'reject' | 'ignore';

/** What a load did not take, kept on the job (`warnings`). */
export type LoadWarnings = {
  unmappedHeaders: string[];
  unfilledItems: string[];
  /** Keys the input carried more than once (the last row won), and the earlier rows it replaced; set by the merge. */
  repeatedKeys?: { keys: number; rows: number };
};

const PROGRESS_EVERY_MS = 500;

/**
 * Loads one batch: map the header to data items, type-check every cell, stage the good rows,
 * keep the bad ones with row number, field and reason, then merge in one transaction that also
 * marks the job succeeded. Memory holds one batch of rows at a time.
 */
export async function loadRecords(o: LoadOptions): Promise<JobCounts> {
  const jobs = createJobsRepository();
  const registry = createRecordRegistryRepository();
  const db = o.store.db;
  const maxRejects = o.maxStoredRejects ?? 100_000;
  const { layout } = await ensureRecordTable(o.store, o.resource, o.now());
  const stream = await o.open();
  // What was detected (or forced) is part of the job's record.
  await jobs.update(db, o.job.id, { format: stream.format, encoding: stream.encoding });
  const counts: JobCounts = { rows_read: 0, rows_inserted: 0, rows_updated: 0, rows_unchanged: 0, rows_rejected: 0, rows_deleted: 0, bytes_read: 0 };

  let session: Awaited<ReturnType<RecordStore['beginLoad']>> | undefined;
  try {
    const mapped = o.converters.mapHeader(stream.header, layout.columns, o.mapping);
    const { indexes, ambiguous } = mapped;
    // An empty header cell names nothing a mapping could name (trailing separators, blank sheet columns).
    const unmappedHeaders = mapped.unmappedHeaders.filter((h) => h.trim() !== '').map((h) => toStorable(h));
    const unfilledItems = layout.columns.filter((_, i) => indexes[i] === -1).map((c) => c.column);
    const warnings: LoadWarnings = { unmappedHeaders, unfilledItems };
    await jobs.update(db, o.job.id, { warnings: toJson(warnings) });
    if (ambiguous.length) throw new AppError('COLLECTION_UNMAPPED_COLUMNS', `Ambiguous columns: ${ambiguous.join('; ')}`, { ambiguous });
    if (o.onUnmapped === 'reject' && unmappedHeaders.length) {
      throw new AppError(
        'COLLECTION_UNMAPPED_COLUMNS',
        `Headers that map to no data item (onUnmapped=reject): ${unmappedHeaders.map((h) => `'${h}'`).join(', ')}; map them with the column mappings or leave them out`,
        { unmappedHeaders },
      );
    }
    const missingRequired = layout.columns.filter((c, i) => indexes[i] === -1 && (c.primaryKey || !c.nullable));
    if (missingRequired.length) {
      throw new AppError(
        'COLLECTION_UNMAPPED_COLUMNS',
        `The file has no column for ${missingRequired.map((c) => `${c.name} (${c.column})`).join(', ')}; headers found: ${stream.header.join(', ')}`,
        { missing: missingRequired.map((c) => c.column), unmappedHeaders },
      );
    }
    // Only the columns the input carries are staged and written: the others keep their stored values.
    const present = layout.columns.flatMap((_, i) => (indexes[i] === -1 ? [] : [i]));
    const columns = present.map((i) => layout.columns[i]!);
    const sourceIndex = present.map((i) => indexes[i]!);
    const coercers = columns.map((c) => o.converters.coercerFor(c));
    const width = columns.length;
    const partial = width < layout.columns.length;
    // A partial row's hash is over every live column, absent ones null: what an inserted row holds.
    const fullRow: unknown[] | null = partial ? new Array<unknown>(layout.columns.length).fill(null) : null;
    await jobs.clearRejects(db, o.job.id);
    session = await o.store.beginLoad({
      table: layout.table,
      columns,
      partial,
      keyColumns: layout.keyColumns,
      jobId: o.job.id,
      batchId: o.job.batchId,
      source: o.job.source,
      receivedAt: o.now(),
      snapshot: o.job.snapshot,
      countRevived: await hasDeletedRows(),
    });

    let rejectSeq = 0;
    let pendingRejects: CollectionRejectTable[] = [];
    const reject = (rowNumber: number, field: string | null, reason: string, raw: string | null) => {
      counts.rows_rejected += 1;
      if (rejectSeq < maxRejects) {
        pendingRejects.push({
          job_id: o.job.id,
          seq: ++rejectSeq,
          row_number: rowNumber,
          field: toStorable(field),
          reason: toStorable(reason),
          raw: toStorable(raw && raw.slice(0, 2000)),
        });
      }
    };
    let lastProgress = 0;

    for await (const batch of stream.batches) {
      for (const r of batch.rejects) {
        counts.rows_read += 1;
        reject(r.rowNumber, null, r.reason, r.raw ?? null);
      }
      const staged: StagedRow[] = [];
      rows: for (const row of batch.rows) {
        counts.rows_read += 1;
        const values = new Array<unknown>(width);
        for (let i = 0; i < width; i++) {
          const idx = sourceIndex[i]!;
          const value = coercers[i]!(row.cells[idx] ?? null);
          if (value instanceof CoerceFailure) {
            const col = columns[i]!;
            reject(row.rowNumber, stream.header[idx] ?? col.column, `${col.name}: ${value.reason}`, row.cells.join(','));
            continue rows;
          }
          values[i] = value;
        }
        if (fullRow) {
          for (let i = 0; i < width; i++) fullRow[present[i]!] = values[i];
          staged.push({ rowNumber: row.rowNumber, values, hash: rowHash(fullRow) });
        } else {
          staged.push({ rowNumber: row.rowNumber, values, hash: rowHash(values) });
        }
      }
      await session.append(staged);
      if (pendingRejects.length) {
        await jobs.insertRejects(o.store.sideDb, pendingRejects);
        pendingRejects = [];
      }
      counts.bytes_read = o.bytesRead?.() ?? counts.bytes_read;
      const now = Date.now();
      if (o.onProgress && now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        o.onProgress({ ...counts, phase: 'reading' });
      }
    }
    o.onProgress?.({ ...counts, phase: 'merging' });

    const merged = await session.commit(async (tx, m) => {
      counts.rows_inserted = m.inserted;
      counts.rows_updated = m.updated;
      counts.rows_unchanged = m.unchanged;
      counts.rows_deleted = m.deleted;
      const at = o.now();
      await registry.recordLoad(tx, o.resource.id, m, at);
      const done = {
        ...counts,
        ...(m.repeatedKeys ? { warnings: toJson({ ...warnings, repeatedKeys: { keys: m.repeatedKeys, rows: m.repeated } }) } : {}),
        status: 'succeeded',
        error: null,
        finished_at: at,
        updated_at: at,
      };
      if (o.job.owner === undefined) await jobs.update(tx, o.job.id, done);
      // Another process took the job over (this one's lease ran out): the merge rolls back, the batch lands once.
      else if (!(await jobs.updateOwned(tx, o.job.id, o.job.owner, done))) throw new Error('another process has taken this job over; this run stored nothing');
    });
    session = undefined;
    o.onProgress?.({ ...counts, phase: 'done' });
    return { ...counts, rows_inserted: merged.inserted };
  } catch (err) {
    await session?.abort().catch(() => undefined);
    throw err;
  } finally {
    await stream.close().catch(() => undefined);
  }

  async function hasDeletedRows() {
    const t = await registry.findTable(db, o.resource.id);
    return t ? Number(t.row_count) > Number(t.live_count) : false;
  }
}
