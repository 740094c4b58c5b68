import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Quality profiles (issue 9): one row per profiling run of a resource's records, with its status
 * and, once it succeeded, the live row count and the per-item figures as JSON. Only the latest
 * succeeded profile of a resource is kept (older ones are removed when a new one succeeds).
 * Scan results are not touched: every scan keeps its own rows in quality_results (trends read them).
 */
export function qualityProfilesMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('quality_profiles')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('rows', t.bigint)
        .addColumn('rows_read', t.bigint, (c) => c.notNull())
        .addColumn('items', t.json)
        .addColumn('error', 'text')
        .addColumn('requested_by', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('started_at', t.timestamp)
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema.createIndex('quality_profiles_resource_idx').on('quality_profiles').columns(['resource_id', 'status']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('quality_profiles').execute();
    },
  };
}
