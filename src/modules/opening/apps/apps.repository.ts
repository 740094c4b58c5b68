import type { Db } from '../../../storage/dialect.js';
import type { OpenAppTable } from '../../../storage/schema.js';

export type OpenAppRow = OpenAppTable;

export function createOpenAppsRepository() {
  return {
    insert: (db: Db, row: OpenAppRow) => db.insertInto('open_apps').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('open_apps').selectAll().where('id', '=', id).executeTakeFirst(),
    listOf: (db: Db, userId: string) => db.selectFrom('open_apps').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
    /** The live app of a key, if its user is not disabled. */
    byKey: (db: Db, keyHash: string) =>
      db
        .selectFrom('open_apps')
        .innerJoin('open_users', 'open_users.id', 'open_apps.user_id')
        .select(['open_apps.id', 'open_apps.user_id', 'open_apps.rate_per_second', 'open_apps.quota_per_day', 'open_apps.revoked_at', 'open_users.disabled'])
        .where('open_apps.key_hash', '=', keyHash)
        .executeTakeFirst(),
    revoke: (db: Db, id: string, at: string) =>
      db.updateTable('open_apps').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute(),
    setLimits: (db: Db, id: string, set: { rate_per_second?: number; quota_per_day?: number }) =>
      db.updateTable('open_apps').set(set).where('id', '=', id).execute(),
    async dayCalls(db: Db, appId: string, day: string): Promise<number> {
      const r = await db.selectFrom('open_app_usage').select('calls').where('app_id', '=', appId).where('day', '=', day).executeTakeFirst();
      return Number(r?.calls ?? 0);
    },
    /** Adds calls to (app, day) rows. */
    addCalls: (db: Db, rows: { app_id: string; day: string; calls: number }[]) =>
      db
        .insertInto('open_app_usage')
        .values(rows)
        .onConflict((oc) => oc.columns(['app_id', 'day']).doUpdateSet((eb) => ({ calls: eb(eb.ref('open_app_usage.calls'), '+', eb.ref('excluded.calls')) })))
        .execute(),
  };
}
