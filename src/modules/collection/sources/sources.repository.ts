import type { Db } from '../../../storage/dialect.js';
import type { CollectionSourceTable } from '../../../storage/schema.js';

export type SourceRow = CollectionSourceTable;

export function createSourcesRepository() {
  return {
    /** A pull's high-water mark, saved when its job has loaded (run-job.ts). */
    setWatermark: (db: Db, id: string, watermark: string, at: string) =>
      db.updateTable('collection_sources').set({ watermark, updated_at: at }).where('id', '=', id).execute(),
    insert: (db: Db, row: SourceRow) => db.insertInto('collection_sources').values(row).execute(),
    update: (db: Db, id: string, set: Partial<Omit<SourceRow, 'id' | 'created_at'>>) =>
      db.updateTable('collection_sources').set(set).where('id', '=', id).executeTakeFirst(),
    find: (db: Db, id: string) => db.selectFrom('collection_sources').selectAll().where('id', '=', id).executeTakeFirst(),
    delete: (db: Db, id: string) => db.deleteFrom('collection_sources').where('id', '=', id).executeTakeFirst(),

    /** `departmentId` limits the page to sources of that department's resources (officers). */
    list: (db: Db, opts: { resourceId?: string; departmentId?: string; after?: string; limit: number }) =>
      db
        .selectFrom('collection_sources as s')
        .innerJoin('resources as r', 'r.id', 's.resource_id')
        .selectAll('s')
        .$if(opts.departmentId !== undefined, (q) => q.where('r.provider_department_id', '=', opts.departmentId!))
        .$if(opts.resourceId !== undefined, (q) => q.where('s.resource_id', '=', opts.resourceId!))
        .$if(opts.after !== undefined, (q) => q.where('s.id', '>', opts.after!))
        .orderBy('s.id')
        .limit(opts.limit + 1)
        .execute(),

    /** Enabled sources whose next run is due, oldest first. */
    due: (db: Db, now: string, limit: number) =>
      db
        .selectFrom('collection_sources')
        .selectAll()
        .where('enabled', '=', true)
        .where('next_run_at', 'is not', null)
        .where('next_run_at', '<=', now)
        .orderBy('next_run_at')
        .limit(limit)
        .execute(),

    /**
     * Moves a due source's next run, only if no one else did since it was read: two schedulers
     * (two app instances) then never submit the same run twice. Returns whether this caller won.
     */
    async claim(db: Db, id: string, expectedNextRunAt: string, nextRunAt: string | null, at: string): Promise<boolean> {
      const r = await db
        .updateTable('collection_sources')
        .set({ next_run_at: nextRunAt, updated_at: at })
        .where('id', '=', id)
        .where('next_run_at', '=', expectedNextRunAt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Sources saved before secrets were sealed (migration 0005). */
    unsealed: (db: Db) => db.selectFrom('collection_sources').select(['id', 'config', 'secrets']).where('secrets', 'is', null).execute(),

    /** Stores the sealed form unless the row changed since it was read. */
    async sealIfUnsealed(db: Db, id: string, plainConfig: unknown, set: { config: string; secrets: string | null }): Promise<boolean> {
      const row = await db.selectFrom('collection_sources').select(['config', 'secrets']).where('id', '=', id).executeTakeFirst();
      if (!row || row.secrets !== null || JSON.stringify(row.config) !== JSON.stringify(plainConfig)) return false;
      const r = await db.updateTable('collection_sources').set(set).where('id', '=', id).where('secrets', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    resourceOf: (db: Db, resourceId: string) =>
      db.selectFrom('resources').select(['id', 'provider_department_id', 'update_frequency']).where('id', '=', resourceId).executeTakeFirst(),

    /** The resource's item codes: the header of an HTTP pull whose first page is empty. */
    async itemCodes(db: Db, resourceId: string): Promise<string[]> {
      const rows = await db.selectFrom('data_items').select('code').where('resource_id', '=', resourceId).orderBy('seq').execute();
      return rows.map((r) => r.code);
    },
  };
}
