import type { Db } from '../../../storage/dialect.js';
import type { OpenSessionTable, OpenUserTable } from '../../../storage/schema.js';

export type OpenUserRow = OpenUserTable;
export type OpenSessionRow = OpenSessionTable;

export function createOpenUsersRepository() {
  return {
    insertUser: (db: Db, row: OpenUserRow) => db.insertInto('open_users').values(row).execute(),
    findUser: (db: Db, id: string) => db.selectFrom('open_users').selectAll().where('id', '=', id).executeTakeFirst(),
    /** By username (case-insensitive), e-mail or phone: what a login names. */
    findByLogin: (db: Db, login: { usernameKey: string; email: string; phone: string }) =>
      db
        .selectFrom('open_users')
        .selectAll()
        .where((eb) => eb.or([eb('username_key', '=', login.usernameKey), eb('email', '=', login.email), eb('phone', '=', login.phone)]))
        .orderBy('id')
        .executeTakeFirst(),
    /** Which of a registration's unique values are taken already. */
    taken: (db: Db, v: { usernameKey: string; email: string | null; phone: string | null }) =>
      db
        .selectFrom('open_users')
        .select(['username_key', 'email', 'phone'])
        .where((eb) =>
          eb.or([eb('username_key', '=', v.usernameKey), ...(v.email ? [eb('email', '=', v.email)] : []), ...(v.phone ? [eb('phone', '=', v.phone)] : [])]),
        )
        .execute(),
    touchLogin: (db: Db, id: string, at: string) => db.updateTable('open_users').set({ last_login_at: at }).where('id', '=', id).execute(),
    insertSession: (db: Db, row: OpenSessionRow) => db.insertInto('open_sessions').values(row).execute(),
    findSession: (db: Db, tokenHash: string) =>
      db
        .selectFrom('open_sessions')
        .innerJoin('open_users', 'open_users.id', 'open_sessions.user_id')
        .select([
          'open_sessions.id as session_id',
          'open_sessions.expires_at',
          'open_sessions.revoked_at',
          'open_users.id as user_id',
          'open_users.username',
          'open_users.display_name',
          'open_users.email',
          'open_users.phone',
          'open_users.disabled',
        ])
        .where('open_sessions.token_hash', '=', tokenHash)
        .executeTakeFirst(),
    revokeSession: (db: Db, id: string, at: string) =>
      db.updateTable('open_sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute(),
  };
}
