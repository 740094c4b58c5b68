import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Collection: record-table registry, jobs with their counts, rejects, saved sources and header mappings. */
export function collectionMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Which table holds a resource's records, and which column holds which data item (by item id,
      // so a renamed item keeps its data).
      await db.schema
        .createTable('record_tables')
        .addColumn('resource_id', 'varchar(36)', (c) => c.primaryKey().references('resources.id'))
        .addColumn('table_name', 'varchar(63)', (c) => c.notNull().unique())
        .addColumn('key_columns', t.json, (c) => c.notNull())
        .addColumn('row_count', t.bigint, (c) => c.notNull())
        .addColumn('live_count', t.bigint, (c) => c.notNull())
        .addColumn('last_loaded_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('record_columns')
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('record_tables.resource_id'))
        .addColumn('item_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('column_name', 'varchar(63)', (c) => c.notNull())
        .addColumn('data_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('retired', t.boolean, (c) => c.notNull())
        .addColumn('changed_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('record_columns_pk', ['resource_id', 'column_name'])
        .execute();

      await db.schema
        .createTable('collection_jobs')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('batch_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('source_ref', 'varchar(500)')
        .addColumn('source_id', 'varchar(36)')
        .addColumn('format', 'varchar(16)')
        .addColumn('encoding', 'varchar(32)')
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('file_path', 'varchar(1000)')
        .addColumn('file_bytes', t.bigint)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('rows_read', t.bigint, (c) => c.notNull())
        .addColumn('rows_inserted', t.bigint, (c) => c.notNull())
        .addColumn('rows_updated', t.bigint, (c) => c.notNull())
        .addColumn('rows_unchanged', t.bigint, (c) => c.notNull())
        .addColumn('rows_rejected', t.bigint, (c) => c.notNull())
        .addColumn('rows_deleted', t.bigint, (c) => c.notNull())
        .addColumn('bytes_read', t.bigint, (c) => c.notNull())
        .addColumn('watermark', 'varchar(100)')
        .addColumn('error', 'text')
        .addColumn('options', t.json, (c) => c.notNull())
        .addColumn('submitted_by', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('started_at', t.timestamp)
        .addColumn('finished_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('collection_jobs_batch_uq').unique().on('collection_jobs').columns(['resource_id', 'batch_id']).execute();
      await db.schema.createIndex('collection_jobs_status_idx').on('collection_jobs').columns(['status']).execute();

      await db.schema
        .createTable('collection_rejects')
        .addColumn('job_id', 'varchar(36)', (c) => c.notNull().references('collection_jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('row_number', t.bigint, (c) => c.notNull())
        .addColumn('field', 'varchar(200)')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('raw', 'text')
        .addPrimaryKeyConstraint('collection_rejects_pk', ['job_id', 'seq'])
        .execute();

      await db.schema
        .createTable('collection_sources')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('config', t.json, (c) => c.notNull())
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('watermark_column', 'varchar(100)')
        .addColumn('watermark', 'varchar(100)')
        .addColumn('schedule', 'varchar(16)', (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('next_run_at', t.timestamp)
        .addColumn('last_job_id', 'varchar(36)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('collection_sources_due_idx').on('collection_sources').columns(['enabled', 'next_run_at']).execute();

      await db.schema
        .createTable('column_mappings')
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id').onDelete('cascade'))
        .addColumn('header', 'varchar(200)', (c) => c.notNull())
        .addColumn('item_code', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('column_mappings_pk', ['resource_id', 'header'])
        .execute();
    },
  };
}
