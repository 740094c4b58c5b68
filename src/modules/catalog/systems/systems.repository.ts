import type { Db } from '../../../storage/dialect.js';
import type { InfoSystemTable } from '../../../storage/schema.js';
import type { SystemListQuery } from './systems.schemas.js';

export function createSystemsRepository() {
  return {
    insert: (db: Db, row: InfoSystemTable) => db.insertInto('info_systems').values(row).execute(),
    update: (db: Db, id: string, row: Omit<InfoSystemTable, 'id' | 'created_at'>) =>
      db.updateTable('info_systems').set(row).where('id', '=', id).executeTakeFirst(),
    find: (db: Db, id: string) => db.selectFrom('info_systems').selectAll().where('id', '=', id).executeTakeFirst(),
    list: (db: Db, opts: Omit<SystemListQuery, 'cursor'> & { after?: string }) =>
      db
        .selectFrom('info_systems')
        .selectAll()
        .$if(opts.after !== undefined, (q) => q.where('id', '>', opts.after!))
        .$if(opts.departmentId !== undefined, (q) => q.where('department_id', '=', opts.departmentId!))
        .$if(opts.level !== undefined, (q) => q.where('level', '=', opts.level!))
        .$if(opts.connected !== undefined, (q) => q.where('connected', '=', opts.connected!))
        .orderBy('id')
        .limit(opts.limit + 1)
        .execute(),
    delete: (db: Db, id: string) => db.deleteFrom('info_systems').where('id', '=', id).executeTakeFirst(),
  };
}
