import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Sharing 共享 (issue 10, DOMAIN.md §6): consumer systems with their credentials, access
 * applications with their history, grants, interfaces (generated from a resource or an upstream
 * URL), the gateway's call audit (append-only, hash-chained by `seq`) and its call counts per day.
 * Dates that count working days (`*_due`) are calendar dates (YYYY-MM-DD, Asia/Shanghai).
 */
export function sharingMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sharing_consumers')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('system_id', 'varchar(36)', (c) => c.notNull().references('info_systems.id'))
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull().references('departments.id'))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull()) // ACTIVE | REVOKED
        .addColumn('created_by', 'varchar(100)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sharing_consumers_system_uq').unique().on('sharing_consumers').columns(['system_id']).execute();

      // One row per issued key; a rotation adds a row and retires the old one (retired_at).
      await db.schema
        .createTable('sharing_credentials')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull().references('sharing_consumers.id'))
        .addColumn('app_key', 'varchar(64)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(128)', (c) => c.notNull())
        /** The secret sealed with the platform's key (AES-256-GCM), for HMAC signatures; null when not kept. */
        .addColumn('secret_sealed', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('retired_at', t.timestamp)
        .execute();
      await db.schema.createIndex('sharing_credentials_key_uq').unique().on('sharing_credentials').columns(['app_key']).execute();

      await db.schema
        .createTable('sharing_interfaces')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(100)', (c) => c.notNull())
        .addColumn('version', 'varchar(20)', (c) => c.notNull())
        .addColumn('name', 'varchar(300)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // GENERATED | UPSTREAM
        .addColumn('level', 'varchar(16)', (c) => c.notNull()) // CITY | PROVINCIAL | NATIONAL
        .addColumn('status', 'varchar(16)', (c) => c.notNull()) // DRAFT | PUBLISHED | OFFLINE
        .addColumn('resource_id', 'varchar(36)', (c) => c.references('resources.id'))
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull().references('departments.id'))
        .addColumn('rate_per_second', 'integer')
        .addColumn('quota_per_day', t.bigint)
        .addColumn('quota_per_month', t.bigint)
        /** Kind-specific settings: key items, filterable items (generated); URL, auth scheme, timeouts (upstream). */
        .addColumn('config', t.json, (c) => c.notNull())
        /** Upstream credentials sealed with the platform's key; never returned. */
        .addColumn('secret_sealed', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sharing_interfaces_code_uq').unique().on('sharing_interfaces').columns(['code', 'version']).execute();
      await db.schema.createIndex('sharing_interfaces_resource_idx').on('sharing_interfaces').columns(['resource_id']).execute();

      await db.schema
        .createTable('sharing_applications')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull().references('sharing_consumers.id'))
        .addColumn('consumer_department_id', 'varchar(36)', (c) => c.notNull())
        /** A resource (its generated interfaces) or an upstream interface: exactly one is set. */
        .addColumn('resource_id', 'varchar(36)', (c) => c.references('resources.id'))
        .addColumn('interface_id', 'varchar(36)', (c) => c.references('sharing_interfaces.id'))
        .addColumn('provider_department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('items', t.json, (c) => c.notNull())
        .addColumn('share_type', 'integer', (c) => c.notNull()) // the strictest of the asked items': 1/2/3
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('scenario', 'text')
        .addColumn('legal_basis', 'text')
        .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(24)', (c) => c.notNull())
        .addColumn('submitted_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('compliance_due', 'varchar(10)')
        .addColumn('review_due', 'varchar(10)')
        .addColumn('escalated', t.boolean, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('applicant_id', 'varchar(100)')
        .addColumn('applicant_name', 'varchar(200)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('decided_at', t.timestamp)
        .execute();
      await db.schema.createIndex('sharing_applications_status_idx').on('sharing_applications').columns(['status', 'provider_department_id']).execute();
      await db.schema.createIndex('sharing_applications_consumer_idx').on('sharing_applications').columns(['consumer_id']).execute();
      await db.schema
        .createTable('sharing_application_history')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('application_id', 'varchar(36)', (c) => c.notNull().references('sharing_applications.id'))
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'varchar(100)')
        .addColumn('actor_name', 'varchar(200)')
        .addColumn('from_status', 'varchar(24)')
        .addColumn('to_status', 'varchar(24)', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('sharing_application_history_idx').on('sharing_application_history').columns(['application_id', 'at']).execute();

      await db.schema
        .createTable('sharing_grants')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('application_id', 'varchar(36)', (c) => c.notNull().references('sharing_applications.id'))
        .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull().references('sharing_consumers.id'))
        .addColumn('resource_id', 'varchar(36)', (c) => c.references('resources.id'))
        .addColumn('interface_id', 'varchar(36)', (c) => c.references('sharing_interfaces.id'))
        .addColumn('items', t.json, (c) => c.notNull())
        .addColumn('valid_until', 'varchar(10)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull()) // ACTIVE | REVOKED (expiry is read from valid_until)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .addColumn('revoked_by', 'varchar(100)')
        .addColumn('revoke_reason', 'text')
        .execute();
      await db.schema.createIndex('sharing_grants_consumer_idx').on('sharing_grants').columns(['consumer_id', 'status']).execute();

      // The gateway's audit: one row per call, appended in `seq` order; `hash` = sha256(prev_hash + the row's canonical text).
      await db.schema
        .createTable('sharing_calls')
        .addColumn('seq', t.bigint, (c) => c.primaryKey())
        .addColumn('id', 'varchar(36)', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('consumer_id', 'varchar(36)')
        .addColumn('department_id', 'varchar(36)')
        .addColumn('interface_id', 'varchar(36)')
        .addColumn('interface_code', 'varchar(100)')
        .addColumn('purpose', 'text')
        .addColumn('keys', t.json, (c) => c.notNull())
        .addColumn('items', t.json, (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'varchar(60)')
        .addColumn('latency_ms', 'real', (c) => c.notNull())
        .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sharing_calls_at_idx').on('sharing_calls').columns(['at']).execute();

      // Call counts per day, interface and consumer (figures; kept beyond the audit's retention).
      await db.schema
        .createTable('sharing_call_counts')
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('interface_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('consumer_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('calls', t.bigint, (c) => c.notNull())
        .addColumn('errors', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('sharing_call_counts_pk', ['day', 'interface_id', 'consumer_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'sharing_call_counts',
        'sharing_calls',
        'sharing_grants',
        'sharing_application_history',
        'sharing_applications',
        'sharing_interfaces',
        'sharing_credentials',
        'sharing_consumers',
      ])
        await db.schema.dropTable(table).execute();
    },
  };
}
