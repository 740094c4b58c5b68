import type { Db, Dialect } from '../../../storage/dialect.js';
import type { DepartmentTable } from '../../../storage/schema.js';

export function createDepartmentsRepository(dialect: Dialect) {
  return {
    insert: (db: Db, row: DepartmentTable) => db.insertInto('departments').values(row).execute(),
    update: (db: Db, id: string, row: Omit<DepartmentTable, 'id' | 'created_at'>) =>
      db.updateTable('departments').set(row).where('id', '=', id).executeTakeFirst(),
    find: (db: Db, id: string) => db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst(),
    findByUscc: (db: Db, uscc: string) => db.selectFrom('departments').selectAll().where('uscc', '=', uscc).executeTakeFirst(),
    findByName: (db: Db, name: string) => db.selectFrom('departments').selectAll().where('name', '=', name).execute(),
    list: (db: Db, opts: { after?: string; limit: number; regionCode?: string; q?: string }) =>
      db
        .selectFrom('departments')
        .selectAll()
        .$if(opts.after !== undefined, (q) => q.where('id', '>', opts.after!))
        .$if(opts.regionCode !== undefined, (q) => q.where('region_code', '=', opts.regionCode!))
        .$if(opts.q !== undefined, (q) =>
          q.where((eb) => eb.or([dialect.containsText(eb.ref('name'), opts.q!), dialect.containsText(eb.ref('short_name'), opts.q!)])),
        )
        .orderBy('id')
        .limit(opts.limit + 1)
        .execute(),
    all: (db: Db) => db.selectFrom('departments').selectAll().orderBy('id').execute(),
    delete: (db: Db, id: string) => db.deleteFrom('departments').where('id', '=', id).executeTakeFirst(),
  };
}
