import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { Schema } from '../../../storage/schema.js';
import { visibleResources } from '../resources/resources.repository.js';

const eb = expressionBuilder<Schema, 'resources' | 'data_items' | 'info_systems'>();

// National codes: share type 3 = NOT_SHARED (不予共享), open type 3 = PROHIBITED (禁止开放).
const shareableItem = eb('data_items.share_type', '<>', 3);
const openableItem = eb('data_items.open_type', '<>', 3);

const visible = visibleResources;

/** COUNT of the rows matching `cond`; 0 (not NULL) over no rows. Literals, not parameters, so PostgreSQL knows their type. */
const countIf = (cond: Expression<SqlBool>) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;

export type ResourceDimension = 'category' | 'share_type' | 'open_type' | 'sensitivity' | 'update_frequency';
export type ItemDimension = 'share_type' | 'open_type' | 'sensitivity';
export type GroupCount = { key: string | number; n: number };

/** Catalogue figures, every one an aggregate query: no resource or item row is loaded into memory. */
export function createStatsRepository() {
  const itemsOfVisible = (db: Db, scope: AccessScope) =>
    db.selectFrom('data_items').innerJoin('resources', 'resources.id', 'data_items.resource_id').where(visible(scope));

  return {
    resourceTotals: (db: Db, scope: AccessScope) =>
      db
        .selectFrom('resources')
        .where(visible(scope))
        .select((b) => [b.fn.countAll<number>().as('resources'), countIf(eb('resources.classified', '=', true)).as('classified')])
        .executeTakeFirstOrThrow(),

    itemTotals: (db: Db, scope: AccessScope) =>
      itemsOfVisible(db, scope)
        .select((b) => [b.fn.countAll<number>().as('items'), countIf(shareableItem).as('shareable'), countIf(openableItem).as('openable')])
        .executeTakeFirstOrThrow(),

    resourcesBy: (db: Db, dim: ResourceDimension, scope: AccessScope) =>
      db
        .selectFrom('resources')
        .where(visible(scope))
        .select((b) => [b.ref(`resources.${dim}`).as('key'), b.fn.countAll<number>().as('n')])
        .groupBy(`resources.${dim}`)
        .execute() as Promise<GroupCount[]>,

    /** Data items grouped by a field of their resource. */
    itemsByResource: (db: Db, dim: ResourceDimension, scope: AccessScope) =>
      itemsOfVisible(db, scope)
        .select((b) => [b.ref(`resources.${dim}`).as('key'), b.fn.countAll<number>().as('n')])
        .groupBy(`resources.${dim}`)
        .execute() as Promise<GroupCount[]>,

    /** Data items grouped by their own field (items carry their own share/open type and sensitivity). */
    itemsByItem: (db: Db, dim: ItemDimension, scope: AccessScope) =>
      itemsOfVisible(db, scope)
        .select((b) => [b.ref(`data_items.${dim}`).as('key'), b.fn.countAll<number>().as('n')])
        .groupBy(`data_items.${dim}`)
        .execute() as Promise<GroupCount[]>,

    /** Every region the platform serves, with zeros where nothing is catalogued. */
    byRegion: (db: Db, scope: AccessScope) =>
      db
        .selectFrom('regions')
        .leftJoin('resources', (join) => join.onRef('resources.region_code', '=', 'regions.code').on(visible(scope)))
        .leftJoin('data_items', 'data_items.resource_id', 'resources.id')
        .select((b) => [
          'regions.code as region_code',
          'regions.name as region_name',
          'regions.level as level',
          b.fn.count<number>('resources.id').distinct().as('resources'),
          b.fn.count<number>('data_items.id').as('items'),
          countIf(shareableItem).as('shareable'),
        ])
        .groupBy(['regions.code', 'regions.name', 'regions.level'])
        .orderBy('regions.code')
        .execute(),

    /** Every department, with zeros where nothing is catalogued. */
    byDepartment: (db: Db, scope: AccessScope) =>
      db
        .selectFrom('departments')
        .leftJoin('resources', (join) => join.onRef('resources.provider_department_id', '=', 'departments.id').on(visible(scope)))
        .leftJoin('data_items', 'data_items.resource_id', 'resources.id')
        .select((b) => [
          'departments.id as department_id',
          'departments.name as department_name',
          'departments.region_code as region_code',
          b.fn.count<number>('resources.id').distinct().as('resources'),
          b.fn.count<number>('data_items.id').as('items'),
          countIf(shareableItem).as('shareable'),
        ])
        .groupBy(['departments.id', 'departments.name', 'departments.region_code'])
        .orderBy('departments.region_code')
        .orderBy('departments.id')
        .execute(),

    /** The system census is not classified: the same figures for every caller. */
    systemsByLevel: (db: Db) =>
      db
        .selectFrom('info_systems')
        .select((b) => ['info_systems.level as level', b.fn.countAll<number>().as('systems'), countIf(eb('info_systems.connected', '=', true)).as('connected')])
        .groupBy('info_systems.level')
        .execute(),
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
