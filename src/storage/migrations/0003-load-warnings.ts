import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * What a load did not take (DOMAIN.md §4): headers that map to no data item and items no column
 * fills, kept on the job as one JSON object `{ unmappedHeaders, unfilledItems }` (null until the
 * header has been read).
 */
export function loadWarningsMigration(d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('collection_jobs').addColumn('warnings', d.types.json).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('collection_jobs').dropColumn('warnings').execute();
    },
  };
}
