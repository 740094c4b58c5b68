import type { Db } from '../../../storage/dialect.js';
import { toJson } from '../../../storage/dialect.js';
import type { RecordColumnTable, RecordTableTable } from '../../../storage/schema.js';

/** Which table holds a resource's records and which column holds which item. */
export function createRecordRegistryRepository() {
  return {
    findTable: (db: Db, resourceId: string) => db.selectFrom('record_tables').selectAll().where('resource_id', '=', resourceId).executeTakeFirst(),
    tableNameTaken: async (db: Db, name: string) =>
      (await db.selectFrom('record_tables').select('resource_id').where('table_name', '=', name).executeTakeFirst()) !== undefined,
    insertTable: (db: Db, row: RecordTableTable) => db.insertInto('record_tables').values(row).execute(),
    setKeyColumns: (db: Db, resourceId: string, keys: string[]) =>
      db
        .updateTable('record_tables')
        .set({ key_columns: toJson(keys) })
        .where('resource_id', '=', resourceId)
        .execute(),
    columns: (db: Db, resourceId: string) => db.selectFrom('record_columns').selectAll().where('resource_id', '=', resourceId).execute(),
    insertColumn: (db: Db, row: RecordColumnTable) => db.insertInto('record_columns').values(row).execute(),
    updateColumn: (db: Db, resourceId: string, columnName: string, set: Partial<RecordColumnTable>) =>
      db.updateTable('record_columns').set(set).where('resource_id', '=', resourceId).where('column_name', '=', columnName).execute(),
    /** After a merge: the table's counters and the resource's record total, in the merge's transaction. */
    async recordLoad(db: Db, resourceId: string, delta: { inserted: number; deleted: number; revived: number }, at: string) {
      const current = await db.selectFrom('record_tables').select(['row_count', 'live_count']).where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
      const rowCount = Number(current.row_count) + delta.inserted;
      const liveCount = Number(current.live_count) + delta.inserted + delta.revived - delta.deleted;
      await db
        .updateTable('record_tables')
        .set({ row_count: rowCount, live_count: liveCount, last_loaded_at: at })
        .where('resource_id', '=', resourceId)
        .execute();
      await db.updateTable('resources').set({ record_total: liveCount }).where('id', '=', resourceId).execute();
      return { rowCount, liveCount };
    },
  };
}
