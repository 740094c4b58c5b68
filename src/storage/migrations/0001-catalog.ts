import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Regions, departments, the system census, resources and data items, editions; identity; audit. */
export function catalogMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('regions')
        .addColumn('code', 'varchar(6)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('level', 'varchar(16)', (c) => c.notNull())
        .addColumn('parent_code', 'varchar(6)', (c) => c.references('regions.code'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('departments')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('short_name', 'varchar(100)')
        .addColumn('uscc', 'varchar(18)', (c) => c.notNull().unique())
        .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('contact_name', 'varchar(100)')
        .addColumn('contact_phone', 'varchar(32)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('departments_region_idx').on('departments').column('region_code').execute();
      await db.schema.createIndex('departments_name_uq').unique().on('departments').columns(['region_code', 'name']).execute();

      await db.schema
        .createTable('info_systems')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull().references('departments.id'))
        .addColumn('level', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('connected', t.boolean, (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('vendor', 'varchar(200)')
        .addColumn('launched_on', 'varchar(10)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('info_systems_department_idx').on('info_systems').column('department_id').execute();

      await db.schema
        .createTable('resources')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('classification_code', 'varchar(32)', (c) => c.notNull())
        .addColumn('sequence_no', 'varchar(16)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('name_en', 'varchar(200)')
        .addColumn('category', 'integer', (c) => c.notNull())
        .addColumn('provider_department_id', 'varchar(36)', (c) => c.notNull().references('departments.id'))
        .addColumn('region_code', 'varchar(6)', (c) => c.notNull().references('regions.code'))
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('format_category', 'integer', (c) => c.notNull())
        .addColumn('format_type', 'varchar(32)')
        .addColumn('share_type', 'integer', (c) => c.notNull())
        .addColumn('share_condition', 'text')
        .addColumn('not_shared_basis', 'text')
        .addColumn('share_modes', t.json, (c) => c.notNull())
        .addColumn('open_type', 'integer', (c) => c.notNull())
        .addColumn('open_condition', 'text')
        .addColumn('open_domain', 'integer')
        .addColumn('update_frequency', 'varchar(2)', (c) => c.notNull())
        .addColumn('published_on', 'varchar(10)')
        .addColumn('related_codes', t.json, (c) => c.notNull())
        .addColumn('system_id', 'varchar(36)', (c) => c.references('info_systems.id'))
        .addColumn('sensitivity', 'varchar(2)', (c) => c.notNull())
        .addColumn('importance', 'varchar(16)', (c) => c.notNull())
        .addColumn('classified', t.boolean, (c) => c.notNull())
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('record_total', t.bigint, (c) => c.notNull())
        .addColumn('record_shared', t.bigint, (c) => c.notNull())
        .addColumn('record_open', t.bigint, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      for (const col of ['provider_department_id', 'region_code', 'system_id', 'category', 'share_type', 'open_type']) {
        await db.schema.createIndex(`resources_${col}_idx`).on('resources').column(col).execute();
      }

      await db.schema
        .createTable('data_items')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('code', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('name_en', 'varchar(200)')
        .addColumn('data_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('legacy_type', 'varchar(1)')
        .addColumn('length', 'integer')
        .addColumn('precision', 'integer')
        .addColumn('primary_key', t.boolean, (c) => c.notNull())
        .addColumn('nullable', t.boolean, (c) => c.notNull())
        .addColumn('code_set', 'varchar(100)')
        .addColumn('data_element', 'varchar(100)')
        .addColumn('share_type', 'integer', (c) => c.notNull())
        .addColumn('share_condition', 'text')
        .addColumn('open_type', 'integer', (c) => c.notNull())
        .addColumn('open_condition', 'text')
        .addColumn('sensitivity', 'varchar(2)', (c) => c.notNull())
        .addColumn('masking_rule', 'varchar(32)')
        .addColumn('source_field', 'varchar(200)')
        .addColumn('description', 'text')
        .execute();
      await db.schema.createIndex('data_items_resource_code_uq').unique().on('data_items').columns(['resource_id', 'code']).execute();

      await db.schema
        .createTable('editions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('note', 'text')
        .addColumn('resource_count', 'integer', (c) => c.notNull())
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('shareable_item_count', 'integer', (c) => c.notNull())
        .addColumn('published_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('published_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('edition_entries')
        .addColumn('edition_id', 'varchar(36)', (c) => c.notNull().references('editions.id').onDelete('cascade'))
        .addColumn('resource_code', 'varchar(64)', (c) => c.notNull())
        .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('snapshot', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('edition_entries_pk', ['edition_id', 'resource_code'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('display_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('department_id', 'varchar(36)', (c) => c.references('departments.id'))
        .addColumn('disabled', t.boolean, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('last4', 'varchar(4)', (c) => c.notNull())
        .addColumn('label', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp)
        .addColumn('revoked_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', t.autoId, (c) => (d.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(36)')
        .addColumn('actor_name', 'varchar(100)')
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('target_type', 'varchar(32)', (c) => c.notNull())
        .addColumn('target_id', 'varchar(64)')
        .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
        .addColumn('detail', t.json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_target_idx').on('audit_events').columns(['target_type', 'target_id']).execute();
    },
  };
}
