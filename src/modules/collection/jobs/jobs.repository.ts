import type { Db } from '../../../storage/dialect.js';
import type { CollectionJobTable, CollectionRejectTable } from '../../../storage/schema.js';

export type JobRow = CollectionJobTable;
export type JobCounts = Pick<JobRow, 'rows_read' | 'rows_inserted' | 'rows_updated' | 'rows_unchanged' | 'rows_rejected' | 'rows_deleted' | 'bytes_read'>;

/** A job's counters before it has read anything (a new job, or one queued again). */
export const NO_COUNTS: JobCounts = Object.freeze({
  rows_read: 0,
  rows_inserted: 0,
  rows_updated: 0,
  rows_unchanged: 0,
  rows_rejected: 0,
  rows_deleted: 0,
  bytes_read: 0,
});

// Reject rows have 6 columns; 1,000 per statement stays far under both dialects' parameter limits.
const REJECT_CHUNK = 1000;

export function createJobsRepository() {
  return {
    insert: (db: Db, row: JobRow) => db.insertInto('collection_jobs').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('collection_jobs').selectAll().where('id', '=', id).executeTakeFirst(),
    findByBatch: (db: Db, resourceId: string, batchId: string) =>
      db.selectFrom('collection_jobs').selectAll().where('resource_id', '=', resourceId).where('batch_id', '=', batchId).executeTakeFirst(),
    list: (db: Db, opts: { resourceId?: string; status?: string; resourceIds?: string[]; before?: string; limit: number }) =>
      db
        .selectFrom('collection_jobs')
        .selectAll()
        .$if(opts.resourceId !== undefined, (q) => q.where('resource_id', '=', opts.resourceId!))
        .$if(opts.resourceIds !== undefined, (q) => q.where('resource_id', 'in', opts.resourceIds!.length ? opts.resourceIds! : ['-']))
        .$if(opts.status !== undefined, (q) => q.where('status', '=', opts.status!))
        .$if(opts.before !== undefined, (q) => q.where('id', '<', opts.before!))
        .orderBy('id', 'desc')
        .limit(opts.limit + 1)
        .execute(),
    update: (db: Db, id: string, set: Partial<JobRow>) => db.updateTable('collection_jobs').set(set).where('id', '=', id).execute(),
    /** An update by the process running the job: nothing when another process has taken it over (ADR 0016). True when written. */
    async updateOwned(db: Db, id: string, owner: string, set: Partial<JobRow>): Promise<boolean> {
      const r = await db.updateTable('collection_jobs').set(set).where('id', '=', id).where('owner', '=', owner).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /**
     * A running job's progress counters: never once it has ended. A progress write can wait for
     * SQLite's write lock behind the job's own merge (ADR 0017) and land after it; then it must
     * not overwrite the final counts.
     */
    async progress(db: Db, id: string, owner: string, set: Pick<JobRow, 'rows_read' | 'rows_rejected' | 'bytes_read' | 'updated_at'>) {
      await db.updateTable('collection_jobs').set(set).where('id', '=', id).where('owner', '=', owner).where('status', '=', 'running').execute();
    },
    /** A worker took the job: one more attempt (counted only while it is unfinished and still this owner's: a fast job may already have ended). */
    started: (db: Db, id: string, owner: string, at: string) =>
      db
        .updateTable('collection_jobs')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), status: 'running', updated_at: at }))
        .where('id', '=', id)
        .where('owner', '=', owner)
        .where('status', 'in', ['queued', 'running'])
        .execute(),
    unfinished: (db: Db) => db.selectFrom('collection_jobs').selectAll().where('status', 'in', ['running', 'queued']).orderBy('id').execute(),
    /** Jobs left running by a process that died, whose input is gone: marked interrupted at start-up. */
    markInterrupted: (db: Db, id: string, at: string) =>
      db
        .updateTable('collection_jobs')
        .set({
          status: 'interrupted',
          error: 'the process running this load stopped before it finished; nothing of it was stored',
          finished_at: at,
          updated_at: at,
        })
        .where('id', '=', id)
        .execute(),

    /** Jobs whose input is one of these files (the upload sweep). */
    withInputFiles: (db: Db, paths: string[]) =>
      db
        .selectFrom('collection_jobs')
        .select(['id', 'status', 'file_path', 'finished_at', 'updated_at'])
        .where('file_path', 'in', paths.length ? paths : ['-'])
        .execute(),

    clearRejects: (db: Db, jobId: string) => db.deleteFrom('collection_rejects').where('job_id', '=', jobId).execute(),
    async insertRejects(db: Db, rows: CollectionRejectTable[]) {
      for (let i = 0; i < rows.length; i += REJECT_CHUNK)
        await db
          .insertInto('collection_rejects')
          .values(rows.slice(i, i + REJECT_CHUNK))
          .execute();
    },
    rejects: (db: Db, jobId: string, afterSeq: number, limit: number) =>
      db
        .selectFrom('collection_rejects')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit + 1)
        .execute(),
  };
}
