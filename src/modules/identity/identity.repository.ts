import type { Db } from '../../storage/dialect.js';
import type { TokenTable, UserTable } from '../../storage/schema.js';

export type UserRow = UserTable;
export type TokenRow = TokenTable;

export function createIdentityRepository() {
  return {
    async countUsers(db: Db): Promise<number> {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    insertUser: (db: Db, row: UserRow) => db.insertInto('users').values(row).execute(),
    findUser: (db: Db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    findUserByName: (db: Db, username: string) => db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),
    listUsers: (db: Db, after: string | undefined, limit: number) =>
      db
        .selectFrom('users')
        .selectAll()
        .$if(after !== undefined, (q) => q.where('id', '>', after!))
        .orderBy('id')
        .limit(limit + 1)
        .execute(),
    async countActiveAdmins(db: Db, exceptId: string): Promise<number> {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'ADMIN')
        .where('disabled', '=', false)
        .where('id', '<>', exceptId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    setDisabled: (db: Db, id: string, disabled: boolean) => db.updateTable('users').set({ disabled }).where('id', '=', id).execute(),
    insertToken: (db: Db, row: TokenRow) => db.insertInto('api_tokens').values(row).execute(),
    findTokenByHash: (db: Db, hash: string) =>
      db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'api_tokens.id as token_id',
          'api_tokens.expires_at',
          'api_tokens.revoked_at',
          'users.id as user_id',
          'users.username',
          'users.role',
          'users.department_id',
          'users.disabled',
        ])
        .where('api_tokens.token_hash', '=', hash)
        .executeTakeFirst(),
    listTokens: (db: Db, userId: string) => db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
    recordFailedLogin: (db: Db, id: string, failed: number, lockedUntil: string | null) =>
      db.updateTable('users').set({ failed_logins: failed, locked_until: lockedUntil }).where('id', '=', id).execute(),
    setPassword: (db: Db, id: string, hash: string, at: string) =>
      db.updateTable('users').set({ password_hash: hash, password_set_at: at, failed_logins: 0, locked_until: null }).where('id', '=', id).execute(),
    revokeSessionByHash: (db: Db, userId: string, hash: string, label: string, at: string) =>
      db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('token_hash', '=', hash)
        .where('user_id', '=', userId)
        .where('label', '=', label)
        .where('expires_at', 'is not', null)
        .where('revoked_at', 'is', null)
        .execute(),
    revokeToken: (db: Db, userId: string, tokenId: string, at: string) =>
      db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', tokenId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
  };
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
