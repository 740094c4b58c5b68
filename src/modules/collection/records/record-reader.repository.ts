import { sql, type RawBuilder } from 'kysely';
import { createPreparedStatements } from '../../../storage/prepared-statements.js';
import type { DataType } from '../../catalog/index.js';
import type { Db } from '../../../storage/dialect.js';
import { fromJson, toBool } from '../../../storage/dialect.js';
import { PROVENANCE } from './record-layout.js';
import { READ_AS_TEXT } from './record-reader-values.js';

/** A column read or compared; its name comes from the registry and the catalogue, never from a request. */
export type ReadColumn = { column: string; dataType: DataType };

/** One typed condition; values are already checked and converted by the reader (record-reader-values.ts). */
export type Condition =
  | { column: ReadColumn; op: 'eq' | 'gte' | 'lte'; value: unknown }
  | { column: ReadColumn; op: 'in'; values: unknown[] }
  | { column: ReadColumn; op: 'null' | 'notNull' };

export type SelectSpec = {
  table: string;
  columns: ReadColumn[];
  keys: ReadColumn[];
  where: Condition[];
  /** Key values of the last row already returned (keyset paging). */
  after?: unknown[];
  limit: number;
  meta: boolean;
};

export type RecordTableInfo = { table: string; keyColumns: string[]; liveCount: number; liveColumns: Set<string> };

const ref = (c: string) => sql.ref(c);
/**
 * Conditions and ORDER BY name the table's column (`r.seq_no`), never a bare name: INTEGER and
 * DECIMAL are selected as `cast(x as text) as x`, and a bare ORDER BY x would sort by that text.
 */
const col = (c: string) => sql.ref(`r.${c}`);

/** INTEGER and DECIMAL leave the database as text: drivers would round them through a double. */
function selected(c: ReadColumn): RawBuilder<unknown> {
  return READ_AS_TEXT.has(c.dataType) ? sql`cast(${col(c.column)} as text) as ${ref(c.column)}` : sql`${col(c.column)} as ${ref(c.column)}`;
}

/**
 * DECIMAL is TEXT on SQLite and numeric on PostgreSQL: equality compares the exact text (the
 * reader passes the canonical form the loader stores), order compares numbers.
 */
function compared(c: ReadColumn, forOrder: boolean): RawBuilder<unknown> {
  if (c.dataType !== 'DECIMAL') return sql`${col(c.column)}`;
  return forOrder ? sql`cast(${col(c.column)} as numeric)` : sql`cast(${col(c.column)} as text)`;
}

function bound(c: ReadColumn, v: unknown, forOrder: boolean): RawBuilder<unknown> {
  return c.dataType === 'DECIMAL' && forOrder ? sql`cast(${v} as numeric)` : sql`${v}`;
}

function condition(w: Condition): RawBuilder<unknown> {
  switch (w.op) {
    case 'eq':
      return sql`${compared(w.column, false)} = ${bound(w.column, w.value, false)}`;
    case 'gte':
      return sql`${compared(w.column, true)} >= ${bound(w.column, w.value, true)}`;
    case 'lte':
      return sql`${compared(w.column, true)} <= ${bound(w.column, w.value, true)}`;
    case 'in':
      return sql`${compared(w.column, false)} in (${sql.join(w.values.map((v) => bound(w.column, v, false)))})`;
    case 'null':
      return sql`${col(w.column.column)} is null`;
    case 'notNull':
      return sql`${col(w.column.column)} is not null`;
  }
}

/** Row values `(a, b)`, or a bare `a` for a one-column key. */
const tuple = (parts: RawBuilder<unknown>[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts)})`);

/** A column list's part of a statement's shape, worked out once per list (a reader keeps its lists per layout). */
const shapes = new WeakMap<readonly ReadColumn[], string>();
function shapeOf(columns: readonly ReadColumn[]): string {
  let shape = shapes.get(columns);
  if (shape === undefined) shapes.set(columns, (shape = columns.map((c) => `${c.column}:${c.dataType}`).join(',')));
  return shape;
}

/** A key lookup: the columns to read, the key columns and each key's values (in key-column order). */
export type KeysSpec = { table: string; columns: ReadColumn[]; keys: ReadColumn[]; keyValues: unknown[][]; meta: boolean };

/** The change stamp's column in a stamped lookup (no item code starts with an underscore). */
const STAMP = '__stamp';

/** Resources whose registry rows a reader keeps (each entry a few hundred bytes). */
const CACHED_TABLES = 1000;

/**
 * SQL of the record reader: live rows of one record table, typed columns only, keyset-ordered by the key.
 * `changeStamp` (Dialect.changeStamp: moves with every commit, by any connection): when given, a
 * resource's registry rows are read once per stamp instead of on every call (ADR 0036).
 */
export function createRecordReaderRepository(o: { changeStamp?: (db: Db) => Promise<string | null> } = {}) {
  const prepared = createPreparedStatements();
  const tables = new WeakMap<Db, Map<string, { stamp: string; info: RecordTableInfo | null }>>();

  /** The registry row and its columns in one statement (a row per column; none before the first load). */
  async function readTable(db: Db, resourceId: string): Promise<RecordTableInfo | null> {
    const rows = await prepared.run(
      db,
      'table',
      (slot) =>
        db
          .selectFrom('record_tables as t')
          .leftJoin('record_columns as c', 'c.resource_id', 't.resource_id')
          .select(['t.table_name', 't.key_columns', 't.live_count', 'c.column_name', 'c.retired'])
          .where('t.resource_id', '=', slot(0) as string)
          .compile(),
      [resourceId],
    );
    const t = rows[0];
    if (!t) return null;
    const columns = rows.filter((c) => c.column_name !== null && !toBool(c.retired)).map((c) => String(c.column_name));
    return {
      table: String(t.table_name),
      keyColumns: fromJson<string[]>(t.key_columns, []),
      liveCount: Number(t.live_count),
      liveColumns: new Set(columns),
    };
  }

  function selectList(spec: { columns: ReadColumn[]; keys: ReadColumn[]; meta: boolean }) {
    const names = new Set(spec.columns.map((c) => c.column));
    const cols = [...spec.columns, ...spec.keys.filter((k) => !names.has(k.column))].map(selected);
    if (spec.meta) cols.push(sql`${col(PROVENANCE.batch)} as ${ref(PROVENANCE.batch)}`, sql`${col(PROVENANCE.receivedAt)} as ${ref(PROVENANCE.receivedAt)}`);
    return sql.join(cols);
  }

  function keysShape(spec: KeysSpec, stamp: string | null) {
    return `keys\u0000${spec.table}\u0000${shapeOf(spec.columns)}\u0000${shapeOf(spec.keys)}\u0000${spec.keyValues.length}\u0000${spec.meta}\u0000${stamp !== null}`;
  }

  function keysQuery(spec: KeysSpec, slot: (n: number) => unknown) {
    const width = spec.keys.length;
    // SQLite's row-value IN takes only a subquery, and PostgreSQL types a VALUES list as text:
    // one key column is an IN list, a composite key an OR of equalities (both use the key index).
    const [only] = spec.keys;
    const match =
      width === 1
        ? sql`${compared(only!, false)} in (${sql.join(spec.keyValues.map((_, n) => bound(only!, slot(n), false)))})`
        : sql.join(
            spec.keyValues.map(
              (_, n) =>
                sql`(${sql.join(
                  spec.keys.map((k, i) => sql`${compared(k, false)} = ${bound(k, slot(n * width + i), false)}`),
                  sql` and `,
                )})`,
            ),
            sql` or `,
          );
    return sql<Record<string, unknown>>`
      select ${selectList(spec)}
      from ${sql.table(spec.table)} as r
      where ${col(PROVENANCE.deleted)} = ${false} and (${match})`;
  }

  return {
    /**
     * The resource's record table (null before its first load), and the change stamp it was read
     * under (null where the dialect has none): a caller may keep what it reads next under it too.
     */
    async table(db: Db, resourceId: string): Promise<{ info: RecordTableInfo | null; stamp: string | null }> {
      // Read first: rows read after it are at least as new as the stamp they are kept under.
      const stamp = o.changeStamp ? await o.changeStamp(db) : null;
      if (stamp === null) return { info: await readTable(db, resourceId), stamp };
      let cached = tables.get(db);
      if (!cached) tables.set(db, (cached = new Map()));
      const hit = cached.get(resourceId);
      if (hit && hit.stamp === stamp) return { info: hit.info, stamp };
      const info = await readTable(db, resourceId);
      cached.delete(resourceId);
      if (cached.size >= CACHED_TABLES) cached.delete(cached.keys().next().value!);
      cached.set(resourceId, { stamp, info });
      return { info, stamp };
    },

    async select(db: Db, spec: SelectSpec): Promise<Record<string, unknown>[]> {
      const where = [sql`${col(PROVENANCE.deleted)} = ${false}`, ...spec.where.map(condition)];
      if (spec.after) {
        // Order and comparison use the same expressions, so a page starts exactly after the last.
        where.push(sql`${tuple(spec.keys.map((k) => compared(k, true)))} > ${tuple(spec.keys.map((k, i) => bound(k, spec.after![i], true)))}`);
      }
      const result = await sql<Record<string, unknown>>`
        select ${selectList(spec)}
        from ${sql.table(spec.table)} as r
        where ${sql.join(where, sql` and `)}
        order by ${sql.join(spec.keys.map((k) => compared(k, true)))}
        limit ${spec.limit}`.execute(db);
      return result.rows;
    },

    /**
     * The whole export as one statement (live rows, the filters, key order, no limit) compiled for
     * the dialect, to be streamed on a connection of its own (storage/row-batches.ts): the select
     * list is `columns` in order, then any key column not among them.
     */
    compileExport(db: Db, spec: Omit<SelectSpec, 'after' | 'limit' | 'meta'>): { sql: string; parameters: readonly unknown[] } {
      const where = [sql`${col(PROVENANCE.deleted)} = ${false}`, ...spec.where.map(condition)];
      return sql`
        select ${selectList({ ...spec, meta: false })}
        from ${sql.table(spec.table)} as r
        where ${sql.join(where, sql` and `)}
        order by ${sql.join(spec.keys.map((k) => compared(k, true)))}`.compile(db);
    },

    /** Live rows whose key is one of `keyValues` (each a full key, in key-column order); a prepared statement per shape. */
    byKeys: (db: Db, spec: KeysSpec) =>
      spec.keyValues.length === 0
        ? Promise.resolve([])
        : prepared.run(db, keysShape(spec, null), (slot) => keysQuery(spec, slot).compile(db), spec.keyValues.flat()),

    /**
     * The resource's registry rows as last read, and the stamp they were read under, without asking
     * the database; null when not read yet (or the dialect has no stamp).
     */
    knownTable(db: Db, resourceId: string): { info: RecordTableInfo | null; stamp: string } | null {
      return tables.get(db)?.get(resourceId) ?? null;
    },

    /**
     * byKeys with the change stamp read by the same statement, in the snapshot of its rows
     * (`expression`: Dialect.changeStampExpression): one statement where table() then byKeys()
     * take two (ADR 0037). The stamp comes back even when no key matches. Run at once, or null
     * where the connection cannot read synchronously now (the caller takes the ordinary path).
     */
    byKeysStampedNow(db: Db, spec: KeysSpec, expression: string): { rows: Record<string, unknown>[]; stamp: string } | null {
      const rows = prepared.runNow(
        db,
        keysShape(spec, expression),
        (slot) =>
          sql<Record<string, unknown>>`
            select s.${ref(STAMP)}, q.*
            from (select ${sql.raw(expression)} as ${ref(STAMP)}) as s
            left join (${keysQuery(spec, slot)}) as q on 1 = 1`.compile(db),
        spec.keyValues.flat(),
      );
      if (!rows) return null;
      const stamp = String(rows[0]?.[STAMP]);
      // The one row of a lookup that matched nothing has no key: every key item is NOT NULL.
      return { rows: rows.filter((r) => r[spec.keys[0]!.column] !== null), stamp };
    },
  };
}
