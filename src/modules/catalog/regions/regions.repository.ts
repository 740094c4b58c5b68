import type { Db } from '../../../storage/dialect.js';
import type { RegionTable } from '../../../storage/schema.js';

export function createRegionsRepository() {
  return {
    insert: (db: Db, row: RegionTable) => db.insertInto('regions').values(row).execute(),
    find: (db: Db, code: string) => db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst(),
    list: (db: Db, opts: { after?: string; limit: number; parentCode?: string }) =>
      db
        .selectFrom('regions')
        .selectAll()
        .$if(opts.after !== undefined, (q) => q.where('code', '>', opts.after!))
        .$if(opts.parentCode !== undefined, (q) => q.where('parent_code', '=', opts.parentCode!))
        .orderBy('code')
        .limit(opts.limit + 1)
        .execute(),
    all: (db: Db) => db.selectFrom('regions').selectAll().orderBy('code').execute(),
    delete: (db: Db, code: string) => db.deleteFrom('regions').where('code', '=', code).executeTakeFirst(),
  };
}
