import { sql, type RawBuilder } from 'kysely';
import { fromJson, type Db } from '../../../storage/dialect.js';
import type { QualityProfileTable } from '../../../storage/schema.js';
import type { DataType } from '../../catalog/index.js';
import { minMaxInCode, TOP_VALUES } from './profile.js';

const TEXTUAL = new Set<DataType>(['STRING', 'TEXT']);
const live = sql`NOT ${sql.ref('_deleted')}`;

/** A filled value: not NULL and, for text, not empty or blanks (trim as the not-null rule has it). */
const filled = (c: string, type: DataType) =>
  TEXTUAL.has(type) ? sql`(${sql.ref(c)} IS NOT NULL AND trim(${sql.ref(c)}) <> '')` : sql`${sql.ref(c)} IS NOT NULL`;

/** min/max where SQL's order is the typed one on every dialect: numbers, dates, date-times, booleans (exact: INTEGER as text). */
function sqlExtreme(fn: 'min' | 'max', c: string, type: DataType): RawBuilder<unknown> | null {
  if (type === 'BINARY' || minMaxInCode(type)) return null;
  const ref = sql.ref(c);
  if (type === 'INTEGER') return sql`CAST(${sql.raw(fn)}(${ref}) AS TEXT)`;
  if (type === 'BOOLEAN') return sql`${sql.raw(fn)}(CASE WHEN ${ref} THEN 1 ELSE 0 END)`;
  return sql`${sql.raw(fn)}(${ref})`;
}

/** `distinct` only for BINARY items: the others' comes with their grouping query (topValues). */
export type ItemCounts = { nonNull: number; empty: number; distinct: number | null; min: unknown; max: unknown };

/**
 * The one aggregate query over a record table: live rows, then per item non-null, empty, and typed
 * min/max where SQL gives them (distinct values come from each item's grouping query, which
 * groups anyway: counting them here too would group every item twice).
 */
export function profileAggregateQuery(table: string, items: readonly [string, DataType][]) {
  const selects = [sql`count(*) AS n`];
  items.forEach(([c, type], i) => {
    const ref = sql.ref(c);
    selects.push(sql`count(${ref}) AS ${sql.ref(`v${i}`)}`);
    selects.push(TEXTUAL.has(type) ? sql`SUM(CASE WHEN trim(${ref}) = '' THEN 1 ELSE 0 END) AS ${sql.ref(`e${i}`)}` : sql`0 AS ${sql.ref(`e${i}`)}`);
    if (type === 'BINARY') selects.push(sql`count(DISTINCT ${ref}) AS ${sql.ref(`d${i}`)}`);
    const lo = sqlExtreme('min', c, type);
    const hi = sqlExtreme('max', c, type);
    if (lo && hi) selects.push(sql`${lo} AS ${sql.ref(`lo${i}`)}`, sql`${hi} AS ${sql.ref(`hi${i}`)}`);
  });
  return sql<Record<string, unknown>>`SELECT ${sql.join(selects)} FROM ${sql.table(table)} WHERE ${live}`;
}

/**
 * One grouping query per item: its groups counted (distinct filled values) and the most frequent
 * of them. Ties at the cut are taken in the database's order of the value (typed; text by its
 * collation).
 */
export function topValuesQuery(table: string, c: string, type: DataType) {
  const ref = sql.ref(c);
  const value = type === 'INTEGER' || type === 'DECIMAL' ? sql`CAST(${ref} AS TEXT)` : ref;
  const order = type === 'DECIMAL' ? sql`CAST(${ref} AS NUMERIC)` : ref;
  return sql<{ v: unknown; n: unknown; groups: unknown }>`SELECT ${value} AS v, count(*) AS n, count(*) OVER () AS groups
    FROM ${sql.table(table)} WHERE ${live} AND ${filled(c, type)} GROUP BY ${ref} ORDER BY count(*) DESC, ${order} LIMIT ${TOP_VALUES}`;
}

/** Profiles: the figures' SQL over record tables, and the stored profiles (one per run; the latest succeeded one is served). */
export function createProfilesRepository() {
  return {
    async aggregate(db: Db, table: string, items: readonly [string, DataType][]) {
      const { rows } = await profileAggregateQuery(table, items).execute(db);
      const row = rows[0] ?? {};
      const counts = items.map(([, type], i): ItemCounts => ({
        nonNull: Number(row[`v${i}`] ?? 0),
        empty: Number(row[`e${i}`] ?? 0),
        distinct: type === 'BINARY' ? Number(row[`d${i}`] ?? 0) : null,
        min: row[`lo${i}`] ?? null,
        max: row[`hi${i}`] ?? null,
      }));
      return { rows: Number(row.n ?? 0), counts };
    },

    /** How many distinct filled values an item has, and the most frequent of them (topValuesQuery). */
    async topValues(db: Db, table: string, c: string, type: DataType) {
      const { rows } = await topValuesQuery(table, c, type).execute(db);
      return { distinct: Number(rows[0]?.groups ?? 0), top: rows.map((r) => ({ value: r.v, count: Number(r.n) })) };
    },

    insert: (db: Db, row: QualityProfileTable) => db.insertInto('quality_profiles').values(row).execute(),
    update: (db: Db, id: string, set: Partial<QualityProfileTable>) => db.updateTable('quality_profiles').set(set).where('id', '=', id).execute(),
    find: (db: Db, id: string) => db.selectFrom('quality_profiles').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Only the latest profile of a resource is kept: the others go when a new one succeeds (same transaction). */
    async succeed(db: Db, id: string, resourceId: string, set: Partial<QualityProfileTable>) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('quality_profiles').set(set).where('id', '=', id).execute();
        await trx
          .deleteFrom('quality_profiles')
          .where('resource_id', '=', resourceId)
          .where('id', '<>', id)
          .where('status', 'not in', ['queued', 'running'])
          .execute();
      });
    },

    async latest(db: Db, resourceId: string) {
      const row = await db
        .selectFrom('quality_profiles')
        .selectAll()
        .where('resource_id', '=', resourceId)
        .where('status', '=', 'succeeded')
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? { ...row, rows: Number(row.rows ?? 0), items: fromJson<unknown[]>(row.items, []) } : undefined;
    },

    /** Profiles a killed process left queued or running. */
    unfinished: (db: Db) => db.selectFrom('quality_profiles').select('id').where('status', 'in', ['queued', 'running']).execute(),
  };
}

export type ProfilesRepository = ReturnType<typeof createProfilesRepository>;

/** Reads a table's live records on the calling connection: only for a private in-memory database, whose record tables are small. */
export function inlineRecords(db: Db) {
  return async function* (table: string, columns: string[]) {
    const { rows } = await sql<Record<string, unknown>>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(table)} WHERE ${live}`.execute(db);
    yield* rows;
  };
}
