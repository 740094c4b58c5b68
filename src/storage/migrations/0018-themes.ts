import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Thematic databases 主题库 (issue 13, DOMAIN.md §8): one mechanism, six configurations.
 * - `themes`: a theme's definition (key kind, member resources, attribute mapping, priorities).
 * - `theme_masters`: one master record per normalised key, its surviving attributes and their
 *   provenance; spatial themes also keep the feature's GeoJSON geometry and bounding box.
 * - `theme_sources`: the crosswalk — one row per (member resource, source record key), with the
 *   member's mapped attribute values, the master it joined and how (match tier); rows that
 *   could not be matched wait in the review queue (`review_status`).
 * - `theme_master_terms`: lookup values of masters (secondary keys such as a licence holder's
 *   code, and the attribute combinations used to match key-less records).
 * - `theme_conflicts`: attributes on which member sources disagree, raised as consistency problems.
 * - `theme_member_state`: how far each member resource has been folded into its theme.
 */
export function themesMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('themes')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('code', 'varchar(40)', (c) => c.notNull())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('name_en', 'varchar(100)', (c) => c.notNull())
        .addColumn('key_kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('themes_code_uq').unique().on('themes').columns(['code']).execute();

      await db.schema
        .createTable('theme_masters')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('theme_id', 'varchar(36)', (c) => c.notNull().references('themes.id'))
        .addColumn('master_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('attributes', t.json, (c) => c.notNull())
        /** Per attribute: { resourceId, sourceKey, receivedAt } of the value that survived. */
        .addColumn('provenance', t.json, (c) => c.notNull())
        .addColumn('source_count', 'integer', (c) => c.notNull())
        .addColumn('region_code', 'varchar(12)')
        .addColumn('geometry', 'text')
        .addColumn('min_x', 'double precision')
        .addColumn('min_y', 'double precision')
        .addColumn('max_x', 'double precision')
        .addColumn('max_y', 'double precision')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('theme_masters_key_uq').unique().on('theme_masters').columns(['theme_id', 'master_key']).execute();
      await db.schema.createIndex('theme_masters_bbox_idx').on('theme_masters').columns(['theme_id', 'min_x', 'min_y']).execute();

      await db.schema
        .createTable('theme_sources')
        .addColumn('theme_id', 'varchar(36)', (c) => c.notNull().references('themes.id'))
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        /** The member record's key as collection writes it (canonicalRecordKey / recordKeyText). */
        .addColumn('source_key', 'varchar(400)', (c) => c.notNull())
        /** The key as the record carried it, and normalised (null when missing or invalid). */
        .addColumn('raw_key', 'varchar(100)')
        .addColumn('normalised_key', 'varchar(100)')
        .addColumn('master_id', 'varchar(36)')
        /** KEY | BRIDGE | LEGACY | ATTRIBUTES | UNMATCHED */
        .addColumn('tier', 'varchar(16)', (c) => c.notNull())
        /** The member's mapped values: master attribute → value. */
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('received_at', t.timestamp, (c) => c.notNull())
        /** For UNMATCHED rows: PENDING | LINKED | DISMISSED; null otherwise. */
        .addColumn('review_status', 'varchar(16)')
        .addColumn('review_reason', 'text')
        .addColumn('reviewed_by', 'varchar(100)')
        .addColumn('reviewed_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('theme_sources_pk', ['theme_id', 'resource_id', 'source_key'])
        .execute();
      await db.schema.createIndex('theme_sources_master_idx').on('theme_sources').columns(['master_id']).execute();
      await db.schema.createIndex('theme_sources_review_idx').on('theme_sources').columns(['theme_id', 'review_status']).execute();

      await db.schema
        .createTable('theme_master_terms')
        .addColumn('theme_id', 'varchar(36)', (c) => c.notNull().references('themes.id'))
        /** An attribute code, or `combo:<a>|<b>|…` for a matching combination. */
        .addColumn('term', 'varchar(200)', (c) => c.notNull())
        .addColumn('value', 'varchar(400)', (c) => c.notNull())
        .addColumn('master_id', 'varchar(36)', (c) => c.notNull())
        .addPrimaryKeyConstraint('theme_master_terms_pk', ['theme_id', 'term', 'value', 'master_id'])
        .execute();
      await db.schema.createIndex('theme_master_terms_master_idx').on('theme_master_terms').columns(['master_id']).execute();

      await db.schema
        .createTable('theme_conflicts')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('theme_id', 'varchar(36)', (c) => c.notNull().references('themes.id'))
        .addColumn('master_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('attribute', 'varchar(100)', (c) => c.notNull())
        /** [{ resourceId, sourceKey, value, receivedAt }] of the disagreeing sources. */
        .addColumn('candidates', t.json, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull()) // OPEN | RESOLVED
        .addColumn('opened_at', t.timestamp, (c) => c.notNull())
        .addColumn('resolved_at', t.timestamp)
        .execute();
      await db.schema.createIndex('theme_conflicts_master_uq').unique().on('theme_conflicts').columns(['master_id', 'attribute']).execute();
      await db.schema.createIndex('theme_conflicts_status_idx').on('theme_conflicts').columns(['theme_id', 'status']).execute();

      await db.schema
        .createTable('theme_member_state')
        .addColumn('theme_id', 'varchar(36)', (c) => c.notNull().references('themes.id'))
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('status', 'varchar(16)', (c) => c.notNull()) // IDLE | QUEUED | RUNNING | FAILED
        .addColumn('synced_at', t.timestamp)
        .addColumn('rows_seen', t.bigint, (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('theme_member_state_pk', ['theme_id', 'resource_id'])
        .execute();
    },
  };
}
