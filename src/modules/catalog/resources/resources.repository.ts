import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { DataItemTable, ResourceTable, Schema } from '../../../storage/schema.js';
import type { ResourceSearchQuery } from './resources.schemas.js';

export type ResourceRowWithCounts = ResourceTable & { item_count: number; shareable_item_count: number };

// SQLite's limit is 32,766 bound variables; PostgreSQL's 65,535. 22 columns × 500 rows stays under both.
const ITEM_CHUNK = 500;
// 22 columns × 1,400 rows = 30,800 bound values, still under SQLite's limit; fewer round trips for bulk imports.
const BULK_ITEM_CHUNK = 1400;

/**
 * The classified (涉密) rule as a WHERE (or JOIN ON) clause over `resources`: every query that
 * lists or counts resources uses it, never a filter in code.
 */
export function visibleResources(scope: AccessScope): Expression<SqlBool> {
  const eb = expressionBuilder<Schema, 'resources'>();
  if (scope === 'all') return eb.lit(true);
  if (scope === 'none') return eb('resources.classified', '=', false);
  return eb.or([eb('resources.classified', '=', false), eb('resources.provider_department_id', '=', scope.departmentId)]);
}

export function createResourcesRepository(dialect: Dialect) {
  const withCounts = (db: Db) =>
    db
      .selectFrom('resources')
      .selectAll('resources')
      .select((eb) => [
        eb.selectFrom('data_items').whereRef('data_items.resource_id', '=', 'resources.id').select(eb.fn.countAll<number>().as('n')).as('item_count'),
        eb
          .selectFrom('data_items')
          .whereRef('data_items.resource_id', '=', 'resources.id')
          .where('data_items.share_type', '<>', 3)
          .select(eb.fn.countAll<number>().as('n'))
          .as('shareable_item_count'),
      ]);

  return {
    insert: (db: Db, row: ResourceTable) => db.insertInto('resources').values(row).execute(),
    update: (db: Db, id: string, row: Omit<ResourceTable, 'id' | 'created_at'>) => db.updateTable('resources').set(row).where('id', '=', id).executeTakeFirst(),
    delete: (db: Db, id: string) => db.deleteFrom('resources').where('id', '=', id).executeTakeFirst(),

    async replaceItems(db: Db, resourceId: string, items: DataItemTable[]) {
      await db.deleteFrom('data_items').where('resource_id', '=', resourceId).execute();
      for (let i = 0; i < items.length; i += ITEM_CHUNK) {
        await db
          .insertInto('data_items')
          .values(items.slice(i, i + ITEM_CHUNK))
          .execute();
      }
    },

    /** Bulk writes for imports: a few statements per few hundred resources instead of four per resource. */
    findManyByCode: (db: Db, codes: string[]) =>
      codes.length === 0 ? Promise.resolve([]) : db.selectFrom('resources').selectAll().where('code', 'in', codes).execute(),
    /** Inserts new rows and replaces existing ones (matched by id; created_at is kept). Callers keep rows × 33 columns under the bind limit. */
    upsertMany: (db: Db, rows: ResourceTable[]) =>
      rows.length === 0
        ? Promise.resolve()
        : db
            .insertInto('resources')
            .values(rows)
            .onConflict((oc) =>
              oc
                .column('id')
                .doUpdateSet((eb) =>
                  Object.fromEntries(
                    (Object.keys(rows[0]!) as (keyof ResourceTable)[]).filter((c) => c !== 'id' && c !== 'created_at').map((c) => [c, eb.ref(`excluded.${c}`)]),
                  ),
                ),
            )
            .execute()
            .then(() => undefined),
    async deleteItemsOf(db: Db, resourceIds: string[]) {
      for (let i = 0; i < resourceIds.length; i += ITEM_CHUNK) {
        await db
          .deleteFrom('data_items')
          .where('resource_id', 'in', resourceIds.slice(i, i + ITEM_CHUNK))
          .execute();
      }
    },
    async insertItems(db: Db, items: DataItemTable[]) {
      for (let i = 0; i < items.length; i += BULK_ITEM_CHUNK) {
        await db
          .insertInto('data_items')
          .values(items.slice(i, i + BULK_ITEM_CHUNK))
          .execute();
      }
    },

    find: (db: Db, id: string, scope: AccessScope) =>
      withCounts(db)
        .where('resources.id', '=', id)
        .where(() => visibleResources(scope))
        .executeTakeFirst() as Promise<ResourceRowWithCounts | undefined>,
    findByCode: (db: Db, code: string, scope: AccessScope) =>
      withCounts(db)
        .where('resources.code', '=', code)
        .where(() => visibleResources(scope))
        .executeTakeFirst() as Promise<ResourceRowWithCounts | undefined>,
    findMany: (db: Db, ids: readonly string[], scope: AccessScope) =>
      withCounts(db)
        .where('resources.id', 'in', [...ids])
        .where(() => visibleResources(scope))
        .execute() as Promise<ResourceRowWithCounts[]>,
    /** What another module's policy needs about a resource (catalog-reader.ts), without visibility filtering. */
    findOwnerWithVisibility: (db: Db, id: string) =>
      db.selectFrom('resources').select(['id', 'code', 'provider_department_id', 'classified', 'update_frequency']).where('id', '=', id).executeTakeFirst(),
    idsOfDepartment: async (db: Db, departmentId: string) =>
      (await db.selectFrom('resources').select('id').where('provider_department_id', '=', departmentId).orderBy('id').execute()).map((r) => r.id),
    /** A provider department's region: a resource without its own region takes it. */
    departmentRegion: (db: Db, departmentId: string) => db.selectFrom('departments').select('region_code').where('id', '=', departmentId).executeTakeFirst(),
    /** The owner check of writes reads the row without visibility filtering. */
    findOwner: (db: Db, id: string) =>
      db.selectFrom('resources').select(['id', 'provider_department_id', 'version', 'created_at']).where('id', '=', id).executeTakeFirst(),
    itemsOf: (db: Db, resourceIds: string[]) =>
      resourceIds.length === 0
        ? Promise.resolve([] as DataItemTable[])
        : db.selectFrom('data_items').selectAll().where('resource_id', 'in', resourceIds).orderBy('resource_id').orderBy('seq').execute(),

    /** Keyset search ordered by resource code; every filter is a WHERE clause, classified scope included. */
    search(db: Db, q: Omit<ResourceSearchQuery, 'cursor'> & { after?: string }, scope: AccessScope) {
      return withCounts(db)
        .where(() => visibleResources(scope))
        .$if(q.after !== undefined, (b) => b.where('resources.code', '>', q.after!))
        .$if(q.providerDepartmentId !== undefined, (b) => b.where('resources.provider_department_id', '=', q.providerDepartmentId!))
        .$if(q.regionCode !== undefined, (b) => b.where('resources.region_code', '=', q.regionCode!))
        .$if(q.category !== undefined, (b) => b.where('resources.category', '=', q.category!))
        .$if(q.shareType !== undefined, (b) => b.where('resources.share_type', 'in', q.shareType!.map(shareTypeToDb)))
        .$if(q.openType !== undefined, (b) => b.where('resources.open_type', 'in', q.openType!.map(openTypeToDb)))
        .$if(q.sensitivity !== undefined, (b) => b.where('resources.sensitivity', 'in', q.sensitivity!))
        .$if(q.updateFrequency !== undefined, (b) => b.where('resources.update_frequency', 'in', q.updateFrequency!))
        .$if(q.systemId !== undefined, (b) => b.where('resources.system_id', '=', q.systemId!))
        .$if(q.openDomain !== undefined, (b) => b.where('resources.open_domain', '=', q.openDomain!))
        .$if(q.classified !== undefined, (b) => b.where('resources.classified', '=', q.classified!))
        .$if(q.q !== undefined, (b) =>
          b.where((eb) =>
            eb.or([
              dialect.containsText(eb.ref('resources.code'), q.q!),
              dialect.containsText(eb.ref('resources.name'), q.q!),
              dialect.containsText(eb.ref('resources.name_en'), q.q!),
              dialect.containsText(eb.ref('resources.summary'), q.q!),
              dialect.containsText(eb.cast(eb.ref('resources.tags'), 'text'), q.q!),
              eb.exists(
                eb
                  .selectFrom('data_items')
                  .select('data_items.id')
                  .whereRef('data_items.resource_id', '=', 'resources.id')
                  .where((ib) => ib.or([dialect.containsText(ib.ref('data_items.name'), q.q!), dialect.containsText(ib.ref('data_items.name_en'), q.q!)])),
              ),
            ]),
          ),
        )
        .orderBy('resources.code')
        .limit(q.limit + 1)
        .execute() as Promise<ResourceRowWithCounts[]>;
    },

    /** Every resource with its items, in code order: for editions and the Excel export. */
    all: (db: Db, scope: AccessScope) =>
      withCounts(db)
        .where(() => visibleResources(scope))
        .orderBy('resources.code')
        .execute() as Promise<ResourceRowWithCounts[]>,
  };
}

// Share and open types are stored as their national codes 1/2/3 (ordered by restriction).
const SHARE_DB = { UNCONDITIONAL: 1, CONDITIONAL: 2, NOT_SHARED: 3 } as const;
const OPEN_DB = { UNCONDITIONAL: 1, RESTRICTED: 2, PROHIBITED: 3 } as const;
export const shareTypeToDb = (t: keyof typeof SHARE_DB) => SHARE_DB[t];
export const openTypeToDb = (t: keyof typeof OPEN_DB) => OPEN_DB[t];
export const shareTypeFromDb = (n: number) => (Object.keys(SHARE_DB) as (keyof typeof SHARE_DB)[]).find((k) => SHARE_DB[k] === n)!;
export const openTypeFromDb = (n: number) => (Object.keys(OPEN_DB) as (keyof typeof OPEN_DB)[]).find((k) => OPEN_DB[k] === n)!;
