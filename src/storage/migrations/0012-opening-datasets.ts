import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Opening 开放 (issue 11): open datasets published from resources, and the search index of
 * their terms. A dataset stores only what publication adds (title, tags, licence, coverage);
 * its items, counts and records are read from the catalogue and the record table at read time
 * (a live view). `resource_version` is the catalogue version its terms were indexed from.
 */
export function openingDatasetsMigration(d: Dialect) {
  const t = d.types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('open_datasets')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(36)', (c) => c.notNull().references('resources.id'))
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('licence_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('update_frequency', 'varchar(2)')
        .addColumn('temporal_from', 'varchar(10)')
        .addColumn('temporal_to', 'varchar(10)')
        .addColumn('resource_version', 'integer', (c) => c.notNull())
        .addColumn('published_by', 'varchar(100)')
        .addColumn('published_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('open_datasets_name_uq').unique().on('open_datasets').columns(['name']).execute();
      await db.schema.createIndex('open_datasets_resource_uq').unique().on('open_datasets').columns(['resource_id']).execute();

      // The inverted index: one row per (term, dataset), weight summed over the fields it occurs in.
      await db.schema
        .createTable('open_dataset_terms')
        .addColumn('term', 'varchar(100)', (c) => c.notNull())
        .addColumn('dataset_id', 'varchar(36)', (c) => c.notNull().references('open_datasets.id'))
        .addColumn('weight', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('open_dataset_terms_pk', ['term', 'dataset_id'])
        .execute();
      await db.schema.createIndex('open_dataset_terms_dataset_idx').on('open_dataset_terms').columns(['dataset_id']).execute();
    },
  };
}
