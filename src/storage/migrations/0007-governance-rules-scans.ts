import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Governance rules and scans (issue 9): custom quality rules, the on/off switches of rules derived
 * from the catalogue (derived rules themselves are never stored: they are derived again from the
 * current catalogue, with stable ids), scans with their progress, and one result row per
 * (scan, rule): B checked, A passed, a capped sample of failing record keys.
 */
export function governanceRulesScansMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('quality_rules')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('item_code', 'varchar(63)')
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('dimension', 'varchar(16)', (c) => c.notNull())
        .addColumn('severity', 'varchar(16)', (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('name', 'varchar(200)')
        .addColumn('params', t.json, (c) => c.notNull())
        .addColumn('created_by', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quality_rules_resource_idx').on('quality_rules').columns(['resource_id']).execute();
      await db.schema
        .createTable('quality_rule_switches')
        .addColumn('rule_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(100)')
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('quality_scans')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.references('resources.id'))
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('resources_total', 'integer', (c) => c.notNull())
        .addColumn('resources_done', 'integer', (c) => c.notNull())
        .addColumn('rows_checked', t.bigint, (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('requested_by', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('started_at', t.timestamp)
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema.createIndex('quality_scans_status_idx').on('quality_scans').columns(['status']).execute();
      await db.schema
        .createTable('quality_results')
        .addColumn('scan_id', 'varchar(36)', (c) => c.notNull().references('quality_scans.id').onDelete('cascade'))
        .addColumn('rule_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('item_code', 'varchar(63)')
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('dimension', 'varchar(16)', (c) => c.notNull())
        .addColumn('severity', 'varchar(16)', (c) => c.notNull())
        .addColumn('checked', t.bigint, (c) => c.notNull())
        .addColumn('passed', t.bigint, (c) => c.notNull())
        .addColumn('sample', t.json, (c) => c.notNull())
        .addColumn('scanned_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('quality_results_pk', ['scan_id', 'rule_id'])
        .execute();
      await db.schema.createIndex('quality_results_resource_idx').on('quality_results').columns(['resource_id', 'scanned_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['quality_results', 'quality_scans', 'quality_rule_switches', 'quality_rules']) await db.schema.dropTable(table).execute();
    },
  };
}
