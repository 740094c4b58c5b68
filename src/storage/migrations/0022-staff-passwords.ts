import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Staff users may sign in to the console with a username and password (issue 12): an scrypt hash
 * (src/shared/passwords.ts), when it was set, and the run of failed sign-ins that locks the
 * account for a while. Users without a password keep signing in with tokens only.
 */
export function staffPasswordsMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
      await db.schema.alterTable('users').addColumn('password_set_at', t.timestamp).execute();
      await db.schema
        .alterTable('users')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('users').addColumn('locked_until', t.timestamp).execute();
    },
  };
}
