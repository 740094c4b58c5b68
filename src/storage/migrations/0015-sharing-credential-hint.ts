import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Sharing's credentials (issue 10): the last four characters of each secret, so a consumer's keys
 * can be told apart without ever showing a secret again (the secret itself is kept as a SHA-256
 * hash and sealed with the platform key). Keys issued before this migration have none (null).
 */
export function sharingCredentialHintMigration(_d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sharing_credentials').addColumn('secret_last4', 'varchar(8)').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sharing_credentials').dropColumn('secret_last4').execute();
    },
  };
}
