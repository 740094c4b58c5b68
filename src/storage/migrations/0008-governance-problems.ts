import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Governance problems (问题数据 → 整改 → 复核) and objections (异议), each with its history
 * (issue 9). `open_key` is `rule|resource` while a problem is not closed and NULL once closed:
 * its unique index keeps one live problem per (rule, resource) on both dialects (NULLs never
 * collide), and a closed problem stays beside a later one. Dates (`opened_on`, deadlines) are
 * calendar dates (YYYY-MM-DD, Asia/Shanghai) because deadlines count working days.
 */
export function governanceProblemsMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('quality_problems')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('rule_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('open_key', 'varchar(80)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('rule_kind', 'varchar(40)')
        .addColumn('dimension', 'varchar(40)')
        .addColumn('item_code', 'varchar(100)')
        .addColumn('severity', 'varchar(16)')
        .addColumn('checked', t.bigint, (c) => c.notNull())
        .addColumn('failed', t.bigint, (c) => c.notNull())
        .addColumn('sample', t.json, (c) => c.notNull())
        .addColumn('first_scan_id', 'varchar(36)')
        .addColumn('last_scan_id', 'varchar(36)')
        .addColumn('opened_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('opened_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('closed_at', t.timestamp)
        .execute();
      await db.schema.createIndex('quality_problems_open_uq').unique().on('quality_problems').columns(['open_key']).execute();
      await db.schema.createIndex('quality_problems_resource_idx').on('quality_problems').columns(['resource_id', 'status']).execute();
      await db.schema.createIndex('quality_problems_department_idx').on('quality_problems').columns(['department_id', 'status']).execute();
      await db.schema
        .createTable('quality_problem_history')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('problem_id', 'varchar(36)', (c) => c.notNull().references('quality_problems.id'))
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)')
        .addColumn('actor_name', 'varchar(200)')
        .addColumn('from_status', 'varchar(16)')
        .addColumn('to_status', 'varchar(16)', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('scan_id', 'varchar(36)')
        .execute();
      await db.schema.createIndex('quality_problem_history_idx').on('quality_problem_history').columns(['problem_id', 'id']).execute();

      await db.schema
        .createTable('objections')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('record_key', t.json, (c) => c.notNull())
        .addColumn('key_text', 'varchar(4000)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('submitter_id', 'varchar(100)')
        .addColumn('submitter_name', 'varchar(200)')
        .addColumn('submitter_department_id', 'varchar(36)')
        .addColumn('contact', 'varchar(200)')
        .addColumn('submitted_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('forward_by', 'varchar(10)', (c) => c.notNull())
        .addColumn('accepted_on', 'varchar(10)')
        .addColumn('verify_by', 'varchar(10)')
        .addColumn('extended', t.boolean, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('closed_at', t.timestamp)
        .execute();
      await db.schema.createIndex('objections_resource_key_idx').on('objections').columns(['resource_id', 'status']).execute();
      await db.schema.createIndex('objections_department_idx').on('objections').columns(['department_id', 'status']).execute();
      await db.schema.createIndex('objections_submitter_idx').on('objections').columns(['submitter_id']).execute();
      await db.schema
        .createTable('objection_history')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('objection_id', 'varchar(36)', (c) => c.notNull().references('objections.id'))
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)')
        .addColumn('actor_name', 'varchar(200)')
        .addColumn('from_status', 'varchar(16)')
        .addColumn('to_status', 'varchar(16)', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('objection_history_idx').on('objection_history').columns(['objection_id', 'id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['objection_history', 'objections', 'quality_problem_history', 'quality_problems']) await db.schema.dropTable(table).execute();
    },
  };
}
