import type { Db } from '../../../storage/dialect.js';
import type { SharingInterfaceTable } from '../../../storage/schema.js';

export type InterfaceRow = SharingInterfaceTable;
export type InterfaceFilter = { kind?: string; status?: string; resourceId?: string; departmentId?: string };

/** The only SQL of sharing interfaces. */
export function createInterfacesRepository() {
  return {
    insert: (db: Db, row: InterfaceRow) => db.insertInto('sharing_interfaces').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('sharing_interfaces').selectAll().where('id', '=', id).executeTakeFirst(),
    findByCode: (db: Db, code: string, version: string) =>
      db.selectFrom('sharing_interfaces').selectAll().where('code', '=', code).where('version', '=', version).executeTakeFirst(),
    /** Changes an interface only while its status is still `from`: 0 when another request changed it first. */
    async update(db: Db, id: string, from: string, set: Partial<InterfaceRow>): Promise<number> {
      const r = await db.updateTable('sharing_interfaces').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async remove(db: Db, id: string): Promise<number> {
      const r = await db.deleteFrom('sharing_interfaces').where('id', '=', id).where('status', '=', 'DRAFT').executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** Newest first (ids are UUIDv7); `limit + 1` rows. */
    list(db: Db, f: InterfaceFilter & { before?: string; limit: number }) {
      return db
        .selectFrom('sharing_interfaces')
        .selectAll()
        .$if(f.kind !== undefined, (q) => q.where('kind', '=', f.kind!))
        .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
        .$if(f.resourceId !== undefined, (q) => q.where('resource_id', '=', f.resourceId!))
        .$if(f.departmentId !== undefined, (q) => q.where('department_id', '=', f.departmentId!))
        .$if(f.before !== undefined, (q) => q.where('id', '<', f.before!))
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
  };
}
