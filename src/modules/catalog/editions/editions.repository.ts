import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { DataItemTable, EditionEntryTable, EditionTable, ResourceTable, Schema } from '../../../storage/schema.js';

// SQLite allows 32,766 bound variables per statement, PostgreSQL 65,535: 4 columns × 500 rows and
// IN lists of 500 stay far below both, and keep one statement's snapshot JSON to a few megabytes.
const ROWS_PER_INSERT = 500;
const KEYS_PER_IN_LIST = 500;

const resourcesEb = expressionBuilder<Schema, 'resources'>();

/** The live catalogue seen through a classified scope (the same rule as resources.repository). */
function visibleResource(scope: AccessScope): Expression<SqlBool> {
  const eb = resourcesEb;
  if (scope === 'all') return eb.lit(true);
  if (scope === 'none') return eb('resources.classified', '=', false);
  return eb.or([eb('resources.classified', '=', false), eb('resources.provider_department_id', '=', scope.departmentId)]);
}

/**
 * The same rule over stored snapshots. `->` yields a member's JSON text on PostgreSQL (jsonb) and
 * on SQLite (3.38+) alike, so `true` compares as the text 'true' on both; `->>` yields a string
 * member unquoted on both. A snapshot without the flag is treated as classified (hidden).
 */
function visibleEntry(scope: AccessScope): Expression<SqlBool> {
  if (scope === 'all') return sql<SqlBool>`1 = 1`;
  const notClassified = sql<SqlBool>`cast(edition_entries.snapshot -> 'classified' as text) = 'false'`;
  if (scope === 'none') return notClassified;
  return sql<SqlBool>`(${notClassified} or edition_entries.snapshot ->> 'providerDepartmentId' = ${scope.departmentId})`;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export type EditionKey = { publishedAt: string; id: string };

export function createEditionsRepository() {
  return {
    insert: (db: Db, row: EditionTable) => db.insertInto('editions').values(row).execute(),
    setCounts: (db: Db, id: string, counts: Pick<EditionTable, 'resource_count' | 'item_count' | 'shareable_item_count'>) =>
      db.updateTable('editions').set(counts).where('id', '=', id).execute(),
    find: (db: Db, id: string) => db.selectFrom('editions').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (db: Db, name: string) => db.selectFrom('editions').select('id').where('name', '=', name).executeTakeFirst(),

    /** Newest first: published_at descending, id breaking ties. */
    list: (db: Db, opts: { after?: EditionKey; limit: number }) =>
      db
        .selectFrom('editions')
        .selectAll()
        .$if(opts.after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('published_at', '<', opts.after!.publishedAt),
              eb.and([eb('published_at', '=', opts.after!.publishedAt), eb('id', '<', opts.after!.id)]),
            ]),
          ),
        )
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(opts.limit + 1)
        .execute(),

    async insertEntries(db: Db, rows: EditionEntryTable[]) {
      for (const chunk of chunks(rows, ROWS_PER_INSERT)) await db.insertInto('edition_entries').values(chunk).execute();
    },

    /** Entries in code order, classified ones only within the scope. */
    entries: (db: Db, editionId: string, opts: { after?: string; limit: number; scope: AccessScope }) =>
      db
        .selectFrom('edition_entries')
        .selectAll()
        .where('edition_id', '=', editionId)
        .where(visibleEntry(opts.scope))
        .$if(opts.after !== undefined, (q) => q.where('resource_code', '>', opts.after!))
        .orderBy('resource_code')
        .limit(opts.limit + 1)
        .execute(),

    entry: (db: Db, editionId: string, code: string, scope: AccessScope) =>
      db
        .selectFrom('edition_entries')
        .selectAll()
        .where('edition_id', '=', editionId)
        .where('resource_code', '=', code)
        .where(visibleEntry(scope))
        .executeTakeFirst(),

    /** Codes and hashes only (of one resource, with `code`): a diff loads snapshots just for the entries whose hashes differ. */
    hashes: (db: Db, editionId: string, scope: AccessScope, code?: string) =>
      db
        .selectFrom('edition_entries')
        .select(['resource_code', 'content_hash'])
        .where('edition_id', '=', editionId)
        .where(visibleEntry(scope))
        .$if(code !== undefined, (q) => q.where('resource_code', '=', code!))
        .execute(),

    async snapshots(db: Db, editionId: string, codes: readonly string[]) {
      const out: Pick<EditionEntryTable, 'resource_code' | 'snapshot'>[] = [];
      for (const chunk of chunks(codes, KEYS_PER_IN_LIST)) {
        out.push(
          ...(await db
            .selectFrom('edition_entries')
            .select(['resource_code', 'snapshot'])
            .where('edition_id', '=', editionId)
            .where('resource_code', 'in', chunk)
            .execute()),
        );
      }
      return out;
    },

    /** One chunk of the live catalogue in code order (publishing and diffs against "current"); with `code`, that resource only. */
    liveResources: (db: Db, opts: { after?: string; limit: number; scope: AccessScope; code?: string }) =>
      db
        .selectFrom('resources')
        .selectAll()
        .where(visibleResource(opts.scope))
        .$if(opts.after !== undefined, (q) => q.where('code', '>', opts.after!))
        .$if(opts.code !== undefined, (q) => q.where('code', '=', opts.code!))
        .orderBy('code')
        .limit(opts.limit)
        .execute() as Promise<ResourceTable[]>,

    liveItems: (db: Db, resourceIds: readonly string[]) =>
      resourceIds.length === 0
        ? Promise.resolve([] as DataItemTable[])
        : db.selectFrom('data_items').selectAll().where('resource_id', 'in', resourceIds).orderBy('resource_id').orderBy('seq').execute(),
  };
}

export type EditionsRepository = ReturnType<typeof createEditionsRepository>;
