import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Sources' secrets encrypted at rest (ADR 0008): `config` keeps the configuration with every
 * secret masked (***), `secrets` the whole configuration sealed with AES-256-GCM. Rows written
 * before this migration hold plain secrets in `config` and null here; the collection module
 * seals them at start (it has the key, a migration has not) and reads them as they are until then.
 */
export function sourceSecretsMigration(_d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('collection_sources').addColumn('secrets', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('collection_sources').dropColumn('secrets').execute();
    },
  };
}
