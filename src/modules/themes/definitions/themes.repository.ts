import type { Db } from '../../../storage/dialect.js';
import type { ThemeTable } from '../../../storage/schema.js';

export type ThemeRow = ThemeTable;

/** All SQL on theme definitions (the `themes` table of migration 0018). */
export function createThemesRepository() {
  return {
    list: (db: Db) => db.selectFrom('themes').selectAll().orderBy('code').execute(),

    async byCode(db: Db, code: string) {
      return (await db.selectFrom('themes').selectAll().where('code', '=', code).executeTakeFirst()) ?? null;
    },

    async byId(db: Db, id: string) {
      return (await db.selectFrom('themes').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
    },

    async insert(db: Db, row: ThemeRow) {
      await db.insertInto('themes').values(row).execute();
    },

    async update(db: Db, id: string, set: Omit<Partial<ThemeRow>, 'id' | 'code' | 'created_at'>) {
      await db.updateTable('themes').set(set).where('id', '=', id).execute();
    },
  };
}

export type ThemesRepository = ReturnType<typeof createThemesRepository>;
