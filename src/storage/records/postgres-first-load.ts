import type pg from 'pg';
import { quoteIdent as q } from './record-store.js';

/**
 * A first load into an empty record table, without writing the rows twice: they are COPYed into
 * a new table shaped like the record table, created in the load's own transaction; at commit the
 * key index is built over it in one sort, and it takes the record table's place (DROP, RENAME,
 * the index becomes the primary key). Inserting a million staged rows into the keyed table, one
 * index entry at a time, took several times as long (BENCHMARKS.md, collection).
 *
 * The new table is invisible to others until the commit that also records the job, and vanishes
 * with a rollback or a crash, as the TEMP table of other loads does. The swap is only made when
 * the record table is still empty under the table lock, has exactly the staged table's columns,
 * and nothing else hangs on it (no other index, view, trigger, foreign key, policy, grant,
 * comment, inheritance or owner of its own), so that nothing but its OID changes; otherwise the
 * staged rows are merged like those of any other load.
 */

/** The staging table's extra column: the file's row number (the last row of a key wins). */
export const ROW_NO = '_row_no';

/** Provenance columns every staged row carries the same value of: column defaults while staging. */
const PROVENANCE_DEFAULTS = ['_batch_id', '_source', '_received_at'];

export type StagingShape = {
  /** The record table's column definitions, as `createTable` writes them (no primary key). */
  definitions: string[];
  batchId: string;
  source: string;
  receivedAt: string;
};

/** A name no other load uses, in the record table's schema. */
export function stagingName(table: string, random: string): string {
  return `${table.slice(0, 40)}__load_${random}`;
}

/**
 * Creates the staging table (in the open transaction) with the record table's columns, the
 * provenance columns defaulting to this batch's values, and the row number.
 */
export async function createStagingTable(client: pg.Client, schema: string, name: string, shape: StagingShape): Promise<void> {
  const lit = (v: string) => client.escapeLiteral(v);
  const defaults: Record<string, string> = {
    _batch_id: lit(shape.batchId),
    _source: lit(shape.source),
    _received_at: `${lit(shape.receivedAt)}::timestamptz`,
  };
  const defs = shape.definitions.map((d) => {
    const column = PROVENANCE_DEFAULTS.find((c) => d.startsWith(`${q(c)} `));
    return column ? `${d} DEFAULT ${defaults[column]}` : d;
  });
  await client.query(`CREATE TABLE ${q(schema)}.${q(name)} (${[...defs, `${q(ROW_NO)} bigint`].join(', ')})`);
}

/** The schema a table lives in (the first on the search path that has it). */
export async function schemaOf(client: pg.Client, table: string): Promise<string> {
  const r = await client.query<{ schema: string }>(
    'SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass',
    [q(table)],
  );
  return r.rows[0]!.schema;
}

/** The columns of a table as one comparable text: names, types, collations, NOT NULL, defaults, in order. */
const SHAPE_SQL = `
  SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' c' || a.attcollation || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum) AS shape
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> '${ROW_NO}'`;

/**
 * Whether the staged table may take the record table's place: the record table is empty, has the
 * staged table's columns, its primary key on `keys` and nothing else depending on it. Returns the
 * name of its primary key constraint, or null. The caller holds the table lock.
 */
export async function swapTarget(client: pg.Client, schema: string, table: string, staging: string, keys: string[]): Promise<string | null> {
  const t = `${q(schema)}.${q(table)}`;
  const empty = (await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${t}) AS empty`)).rows[0]!.empty;
  if (!empty) return null;
  const shape = async (name: string) => (await client.query<{ shape: string }>(SHAPE_SQL, [name])).rows[0]!.shape;
  if ((await shape(`${q(schema)}.${q(staging)}`)) !== (await shape(t))) return null;
  const r = await client.query<{ pkey: string | null; plain: boolean; sameKeys: boolean; others: number }>(
    `SELECT (SELECT conname FROM pg_constraint WHERE conrelid = c.oid AND contype = 'p') AS pkey,
            coalesce((SELECT array_agg(a.attname::text ORDER BY k.o) FROM pg_constraint p, unnest(p.conkey) WITH ORDINALITY k(n, o), pg_attribute a
              WHERE p.conrelid = c.oid AND p.contype = 'p' AND a.attrelid = c.oid AND a.attnum = k.n) = $3::text[], false) AS "sameKeys",
            c.relkind = 'r' AND c.relpersistence = 'p' AND c.relacl IS NULL AND c.reloptions IS NULL AND NOT c.relrowsecurity
              AND NOT c.relispartition AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
              AND c.reltablespace = (SELECT reltablespace FROM pg_class WHERE oid = $2::regclass)
              AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid OR inhparent = c.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_description WHERE objoid = c.oid AND classoid = 'pg_class'::regclass) AS plain,
            (SELECT count(*)::int FROM pg_depend d
              WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                AND NOT (d.classid = 'pg_type'::regclass
                         OR d.classid = 'pg_attrdef'::regclass
                         OR (d.classid = 'pg_class'::regclass AND d.objid = c.reltoastrelid)
                         OR (d.classid = 'pg_constraint'::regclass AND d.objid IN (SELECT oid FROM pg_constraint WHERE conrelid = c.oid AND contype = 'p')))) AS others
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [t, `${q(schema)}.${q(staging)}`, keys],
  );
  const row = r.rows[0]!;
  return row.pkey !== null && row.plain && row.sameKeys && row.others === 0 ? row.pkey : null;
}

export type Deduplicated = { repeated: number; repeatedKeys: number };

/**
 * Builds the key index over the staged rows. A key the file repeats: its earlier rows are deleted
 * first (the last row wins, as in every merge) and counted.
 */
export async function buildKeyIndex(client: pg.Client, schema: string, staging: string, index: string, keys: string[]): Promise<Deduplicated> {
  const s = `${q(schema)}.${q(staging)}`;
  const keyList = keys.map(q).join(', ');
  const create = `CREATE UNIQUE INDEX ${q(index)} ON ${s} (${keyList})`;
  // The index is one sort of the keys: in memory rather than in runs on disk.
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  await client.query('SAVEPOINT key_index');
  try {
    await client.query(create);
    await client.query('RELEASE SAVEPOINT key_index');
    return { repeated: 0, repeatedKeys: 0 };
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT key_index');
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  const r = await client.query<{ rows: number; keys: number }>(
    `WITH gone AS (
       DELETE FROM ${s} x USING (SELECT ${keyList}, max(${q(ROW_NO)}) AS last FROM ${s} GROUP BY ${keyList} HAVING count(*) > 1) d
       WHERE ${keys.map((k) => `x.${q(k)} = d.${q(k)}`).join(' AND ')} AND x.${q(ROW_NO)} < d.last
       RETURNING ${keys.map((k) => `x.${q(k)}`).join(', ')})
     SELECT count(*)::int AS rows, (SELECT count(*)::int FROM (SELECT DISTINCT * FROM gone) k) AS keys FROM gone`,
  );
  await client.query(create);
  return { repeated: r.rows[0]!.rows, repeatedKeys: r.rows[0]!.keys };
}

/** The staged table becomes the record table: same name, same columns, its index the primary key. */
export async function swapIn(client: pg.Client, schema: string, table: string, staging: string, index: string, pkey: string): Promise<void> {
  const t = `${q(schema)}.${q(table)}`;
  await client.query(`DROP TABLE ${t}`);
  await client.query(`ALTER TABLE ${q(schema)}.${q(staging)} RENAME TO ${q(table)}`);
  await client.query(`ALTER TABLE ${t} DROP COLUMN ${q(ROW_NO)}, ADD CONSTRAINT ${q(pkey)} PRIMARY KEY USING INDEX ${q(index)}`);
}

/** The staging table without the provenance defaults: the record table's own shape, for the comparison. */
export async function dropStagingDefaults(client: pg.Client, schema: string, staging: string): Promise<void> {
  await client.query(`ALTER TABLE ${q(schema)}.${q(staging)} ${PROVENANCE_DEFAULTS.map((c) => `ALTER COLUMN ${q(c)} DROP DEFAULT`).join(', ')}`);
}
