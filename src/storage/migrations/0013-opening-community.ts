import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Opening's community (issue 11, DOMAIN.md §7): public users apart from the platform's staff
 * users (their own table, password hashes and session tokens), their apps and app keys with
 * rate limits and daily use, restricted-open applications (受限开放) with the use agreement they
 * accepted, scenarios (应用场景) and competitions (大赛) with their entries, feedback and error
 * reports (纠错), and per-day event counts of open datasets. Datasets are named by the open
 * dataset id as plain varchar(36): open datasets live in another migration (0012).
 */
export function openingCommunityMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('open_users')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(64)', (c) => c.notNull())
        .addColumn('username_key', 'varchar(64)', (c) => c.notNull()) // lower-cased: one name, whatever its case
        .addColumn('email', 'varchar(254)')
        .addColumn('phone', 'varchar(20)')
        .addColumn('display_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('password_hash', 'varchar(300)', (c) => c.notNull())
        .addColumn('disabled', t.boolean, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_login_at', t.timestamp)
        .execute();
      await db.schema.createIndex('open_users_name_uq').unique().on('open_users').columns(['username_key']).execute();
      await db.schema.createIndex('open_users_email_uq').unique().on('open_users').columns(['email']).execute();
      await db.schema.createIndex('open_users_phone_uq').unique().on('open_users').columns(['phone']).execute();

      await db.schema
        .createTable('open_sessions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('open_users.id'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .execute();
      await db.schema.createIndex('open_sessions_token_uq').unique().on('open_sessions').columns(['token_hash']).execute();

      await db.schema
        .createTable('open_apps')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('open_users.id'))
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('key_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('key_last4', 'varchar(4)', (c) => c.notNull())
        .addColumn('rate_per_second', 'integer', (c) => c.notNull())
        .addColumn('quota_per_day', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .execute();
      await db.schema.createIndex('open_apps_key_uq').unique().on('open_apps').columns(['key_hash']).execute();
      await db.schema.createIndex('open_apps_user_idx').on('open_apps').columns(['user_id']).execute();
      // Accepted calls per app and day (Asia/Shanghai), so a daily quota survives a restart.
      await db.schema
        .createTable('open_app_usage')
        .addColumn('app_id', 'varchar(36)', (c) => c.notNull().references('open_apps.id'))
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('calls', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('open_app_usage_pk', ['app_id', 'day'])
        .execute();

      await db.schema
        .createTable('open_applications')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('open_users.id'))
        .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('dataset_title', 'varchar(300)', (c) => c.notNull())
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('scenario', 'text', (c) => c.notNull())
        .addColumn('security_measures', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('valid_until', 'varchar(10)')
        .addColumn('reviewer_id', 'varchar(100)')
        .addColumn('reviewer_name', 'varchar(200)')
        .addColumn('reviewed_at', t.timestamp)
        .addColumn('agreement_version', 'varchar(20)')
        .addColumn('agreement_sha256', 'varchar(64)')
        .addColumn('agreement_accepted_at', t.timestamp)
        .addColumn('revoked_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('open_applications_user_idx').on('open_applications').columns(['user_id', 'dataset_id']).execute();
      await db.schema.createIndex('open_applications_department_idx').on('open_applications').columns(['department_id', 'status']).execute();

      await db.schema
        .createTable('open_scenarios')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('type', 'varchar(20)', (c) => c.notNull())
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('url', 'varchar(2000)')
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('open_users.id'))
        .addColumn('submitter_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('moderator_name', 'varchar(200)')
        .addColumn('moderated_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('open_scenarios_status_idx').on('open_scenarios').columns(['status', 'id']).execute();

      await db.schema
        .createTable('open_competitions')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('organiser', 'varchar(200)', (c) => c.notNull())
        .addColumn('starts_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('ends_on', 'varchar(10)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('open_competition_entries')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('competition_id', 'varchar(36)', (c) => c.notNull().references('open_competitions.id'))
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('open_users.id'))
        .addColumn('team_name', 'varchar(100)', (c) => c.notNull())
        .addColumn('members', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('url', 'varchar(2000)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('open_competition_entries_uq').unique().on('open_competition_entries').columns(['competition_id', 'team_name']).execute();

      // Which open datasets a scenario, competition or entry uses (owner_kind: scenario | competition | entry).
      await db.schema
        .createTable('open_dataset_links')
        .addColumn('owner_kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('owner_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
        .addPrimaryKeyConstraint('open_dataset_links_pk', ['owner_kind', 'owner_id', 'dataset_id'])
        .execute();
      await db.schema.createIndex('open_dataset_links_dataset_idx').on('open_dataset_links').columns(['dataset_id', 'owner_kind']).execute();

      await db.schema
        .createTable('open_feedback')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // feedback | error
        .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('department_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('record_key', t.json)
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('user_id', 'varchar(36)', (c) => c.references('open_users.id'))
        .addColumn('contact', 'varchar(200)')
        .addColumn('objection_id', 'varchar(36)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('open_feedback_department_idx').on('open_feedback').columns(['department_id', 'id']).execute();
      await db.schema.createIndex('open_feedback_user_idx').on('open_feedback').columns(['user_id']).execute();

      // Views, downloads and API calls per open dataset and day (Asia/Shanghai), added to by batched flushes.
      await db.schema
        .createTable('open_event_counts')
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('event', 'varchar(16)', (c) => c.notNull())
        .addColumn('count', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('open_event_counts_pk', ['day', 'dataset_id', 'event'])
        .execute();
      await db.schema.createIndex('open_event_counts_dataset_idx').on('open_event_counts').columns(['dataset_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'open_event_counts',
        'open_feedback',
        'open_dataset_links',
        'open_competition_entries',
        'open_competitions',
        'open_scenarios',
        'open_applications',
        'open_app_usage',
        'open_apps',
        'open_sessions',
        'open_users',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
