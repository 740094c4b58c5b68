import { sql } from 'kysely';
import type { Db } from '../../../storage/dialect.js';
import type { OpenDatasetTable } from '../../../storage/schema.js';

export type DatasetRow = OpenDatasetTable;

/**
 * What the open catalogue's cache checks and shows beside the publication: the resource's
 * catalogue version (its items), department and region names, and the record table's live count
 * and last load. Read in one query over every published dataset — cheap at 10^4 datasets — so a
 * catalogue edit or a load made by another process (a worker, the CLI) is seen without a hook.
 */
export type DatasetState = DatasetRow & {
  r_version: number;
  department_name: string;
  region_name: string | null;
  live_count: number | string | null;
  last_loaded_at: string | null;
};

const statesQuery = (db: Db) =>
  db
    .selectFrom('open_datasets as d')
    .innerJoin('resources as r', 'r.id', 'd.resource_id')
    .innerJoin('departments as dep', 'dep.id', 'r.provider_department_id')
    .leftJoin('regions as reg', 'reg.code', 'r.region_code')
    .leftJoin('record_tables as t', 't.resource_id', 'd.resource_id')
    .selectAll('d')
    .select(['r.version as r_version', 'dep.name as department_name', 'reg.name as region_name', 't.live_count', 't.last_loaded_at']);

/** All SQL of open datasets and their search index. */
export function createDatasetsRepository() {
  return {
    insert: (db: Db, row: DatasetRow) => db.insertInto('open_datasets').values(row).execute(),

    update: (db: Db, id: string, set: Partial<DatasetRow>) => db.updateTable('open_datasets').set(set).where('id', '=', id).execute(),

    async remove(db: Db, id: string) {
      await db.deleteFrom('open_dataset_terms').where('dataset_id', '=', id).execute();
      await db.deleteFrom('open_datasets').where('id', '=', id).execute();
    },

    find: (db: Db, id: string) => db.selectFrom('open_datasets').selectAll().where('id', '=', id).executeTakeFirst(),

    findByResource: (db: Db, resourceId: string) => db.selectFrom('open_datasets').selectAll().where('resource_id', '=', resourceId).executeTakeFirst(),

    nameTaken: async (db: Db, name: string) => (await db.selectFrom('open_datasets').select('id').where('name', '=', name).executeTakeFirst()) !== undefined,

    states: (db: Db): Promise<DatasetState[]> => statesQuery(db).orderBy('d.id').execute(),

    /**
     * What changes whenever the list would: a dataset published, changed or withdrawn (count,
     * latest update), a resource edited (versions only grow), a load (latest load, live counts).
     * One aggregate row: cheap enough to ask after every unrelated write.
     */
    async fingerprint(db: Db): Promise<string> {
      const r = await db
        .selectFrom('open_datasets as d')
        .innerJoin('resources as r', 'r.id', 'd.resource_id')
        .leftJoin('record_tables as t', 't.resource_id', 'd.resource_id')
        .select([
          sql<number>`count(*)`.as('n'),
          sql<string | null>`max(d.updated_at)`.as('updated'),
          sql<number | null>`sum(r.version)`.as('versions'),
          sql<string | null>`max(t.last_loaded_at)`.as('loaded'),
          sql<number | null>`sum(t.live_count)`.as('records'),
        ])
        .executeTakeFirstOrThrow();
      return JSON.stringify([Number(r.n), r.updated, String(r.versions), r.loaded, String(r.records)]);
    },

    state: (db: Db, id: string): Promise<DatasetState | undefined> => statesQuery(db).where('d.id', '=', id).executeTakeFirst(),

    async replaceTerms(db: Db, datasetId: string, terms: Map<string, number>) {
      await db.deleteFrom('open_dataset_terms').where('dataset_id', '=', datasetId).execute();
      const rows = [...terms].map(([term, weight]) => ({ term, dataset_id: datasetId, weight }));
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('open_dataset_terms')
          .values(rows.slice(i, i + 500))
          .execute();
    },

    /** Datasets holding every term, with the summed weight as relevance: index lookups, no scan of the datasets. */
    async match(db: Db, terms: readonly string[]): Promise<{ dataset_id: string; score: number }[]> {
      if (terms.length === 0) return [];
      const rows = await db
        .selectFrom('open_dataset_terms')
        .select(['dataset_id', sql<number>`sum(weight)`.as('score')])
        .where('term', 'in', terms)
        .groupBy('dataset_id')
        .having(sql<number>`count(*)`, '=', terms.length)
        .execute();
      return rows.map((r) => ({ dataset_id: r.dataset_id, score: Number(r.score) }));
    },
  };
}
