import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { Schema } from '../../../storage/schema.js';
import { visibleResources } from '../../catalog/index.js';

const eb = expressionBuilder<Schema, 'resources' | 'record_tables'>();
const hasData = eb('record_tables.live_count', '>', 0);
const countIf = (cond: Expression<SqlBool>) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;
const liveRecords = sql<number>`coalesce(sum(${eb.ref('record_tables.live_count')}), 0)`;

/**
 * Collection figures, each an aggregate over the record registry (`record_tables.live_count`,
 * kept exact by every merge) and the job log: no record table is scanned.
 */
export function createFiguresRepository() {
  const resourcesWithTables = (db: Db, scope: AccessScope) =>
    db.selectFrom('resources').leftJoin('record_tables', 'record_tables.resource_id', 'resources.id').where(visibleResources(scope));

  return {
    totals: (db: Db, scope: AccessScope) =>
      resourcesWithTables(db, scope)
        .select((b) => [b.fn.countAll<number>().as('resources'), countIf(hasData).as('with_data'), liveRecords.as('records')])
        .executeTakeFirstOrThrow(),

    /** Rows first inserted by jobs that finished in [from, to): "records added this year". */
    addedBetween: (db: Db, scope: AccessScope, from: string, to: string) =>
      db
        .selectFrom('collection_jobs')
        .innerJoin('resources', 'resources.id', 'collection_jobs.resource_id')
        .where(visibleResources(scope))
        .where('collection_jobs.status', '=', 'succeeded')
        .where('collection_jobs.finished_at', '>=', from)
        .where('collection_jobs.finished_at', '<', to)
        .select((b) => ['resources.provider_department_id as department_id', b.fn.sum<number>('collection_jobs.rows_inserted').as('added')])
        .groupBy('resources.provider_department_id')
        .execute(),

    byRegion: (db: Db, scope: AccessScope) =>
      db
        .selectFrom('regions')
        .leftJoin('resources', (join) => join.onRef('resources.region_code', '=', 'regions.code').on(visibleResources(scope)))
        .leftJoin('record_tables', 'record_tables.resource_id', 'resources.id')
        .select((b) => [
          'regions.code as region_code',
          'regions.name as region_name',
          'regions.level as level',
          b.fn.count<number>('resources.id').as('resources'),
          countIf(hasData).as('with_data'),
          liveRecords.as('records'),
        ])
        .groupBy(['regions.code', 'regions.name', 'regions.level'])
        .orderBy('regions.code')
        .execute(),

    byDepartment: (db: Db, scope: AccessScope) =>
      db
        .selectFrom('departments')
        .leftJoin('resources', (join) => join.onRef('resources.provider_department_id', '=', 'departments.id').on(visibleResources(scope)))
        .leftJoin('record_tables', 'record_tables.resource_id', 'resources.id')
        .select((b) => [
          'departments.id as department_id',
          'departments.name as department_name',
          'departments.region_code as region_code',
          b.fn.count<number>('resources.id').as('resources'),
          countIf(hasData).as('with_data'),
          liveRecords.as('records'),
        ])
        .groupBy(['departments.id', 'departments.name', 'departments.region_code'])
        .orderBy('departments.region_code')
        .orderBy('departments.id')
        .execute(),

    /** The resources holding the most records. */
    topResources: (db: Db, scope: AccessScope, limit: number) =>
      db
        .selectFrom('resources')
        .innerJoin('record_tables', 'record_tables.resource_id', 'resources.id')
        .where(visibleResources(scope))
        .where('record_tables.live_count', '>', 0)
        .select([
          'resources.id as resource_id',
          'resources.code as code',
          'resources.name as name',
          'resources.provider_department_id as department_id',
          'record_tables.live_count as records',
          'record_tables.last_loaded_at as last_loaded_at',
        ])
        .orderBy('record_tables.live_count', 'desc')
        .orderBy('resources.code')
        .limit(limit)
        .execute(),
  };
}
