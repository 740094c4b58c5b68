import { sql, type RawBuilder } from 'kysely';
import { fromJson, type Db } from '../../../storage/dialect.js';
import type { QualityResultTable, QualityScanTable } from '../../../storage/schema.js';
import type { DataType } from '../../catalog/index.js';
import { comparisonOf, type Rule, type RuleParams } from '../rules/registry.js';

/** A rule's outcome over one table: B checked, failed (A = B − failed), a capped sample of failing keys. */
export type Tally = { checked: number; failed: number; sample: string[] };

const TEXTUAL = new Set(['STRING', 'TEXT']);
const NUMERIC = new Set(['INTEGER', 'DECIMAL', 'DOUBLE']);
const live = sql`NOT ${sql.ref('_deleted')}`;
const keyExpr = (k: string, columns: ReadonlyMap<string, DataType>) => (TEXTUAL.has(columns.get(k) ?? '') ? sql`upper(trim(${sql.ref(k)}))` : sql.ref(k));

/**
 * What a rule checks as SQL over one record table: `fails`, a condition on a record; or, for the
 * uniqueness of one key item, `extraCopies`, an expression whose distinct count tells whether any
 * key repeats (then the grouping query counts the records involved). Null when SQL cannot say it.
 */
export type PushedExpr = { checked: RawBuilder<unknown>; fails: RawBuilder<unknown> } | { checked: RawBuilder<unknown>; distinctOf: RawBuilder<unknown> };

export function sqlOf(rule: Rule, columns: ReadonlyMap<string, DataType>): PushedExpr | null {
  const p = rule.params;
  const type = rule.itemCode ? columns.get(rule.itemCode) : undefined;
  const c = rule.itemCode ? sql.ref(rule.itemCode) : null;
  const all = sql`count(*)`;
  switch (p.kind) {
    case 'not-null':
      // An item never collected (no column yet) is empty in every record.
      if (!c || !type) return { checked: all, fails: sql`1 = 1` };
      return { checked: all, fails: TEXTUAL.has(type) ? sql`(${c} IS NULL OR trim(${c}) = '')` : sql`${c} IS NULL` };
    case 'length':
      if (!c || !type) return null;
      return { checked: sql`count(${c})`, fails: sql`length(${c}) > ${p.max}` };
    case 'range': {
      if (!c || !type) return null;
      const num = NUMERIC.has(type);
      const v = num ? sql`CAST(${c} AS NUMERIC)` : c;
      const bound = (b: number | string) => (num ? sql`CAST(${b} AS NUMERIC)` : sql`${b}`);
      const parts = [...(p.min !== undefined ? [sql`${v} < ${bound(p.min)}`] : []), ...(p.max !== undefined ? [sql`${v} > ${bound(p.max)}`] : [])];
      return { checked: sql`count(${c})`, fails: sql`(${c} IS NOT NULL AND (${sql.join(parts, sql` OR `)}))` };
    }
    case 'in-set':
      if (!c || !type) return null;
      return { checked: sql`count(${c})`, fails: sql`(${c} IS NOT NULL AND ${c} NOT IN (${sql.join(p.values)}))` };
    case 'sql':
      return { checked: all, fails: sql`NOT COALESCE((${sql.raw(p.predicate)}), ${false})` };
    case 'unique': {
      const items = p.items.filter((i) => columns.has(i));
      return items.length === 1 ? { checked: all, distinctOf: keyExpr(items[0]!, columns) } : null;
    }
    default:
      return null;
  }
}

/** The one aggregate query over a record table: `n` rows, then per rule `c<i>` checked and `f<i>` failed. */
export function aggregateQuery(table: string, exprs: readonly PushedExpr[]) {
  const selects = [sql`count(*) AS n`];
  exprs.forEach((expr, i) => {
    const failed = 'fails' in expr ? sql`SUM(CASE WHEN ${expr.fails} THEN 1 ELSE 0 END)` : sql`count(*) - count(DISTINCT ${expr.distinctOf})`;
    selects.push(sql`${expr.checked} AS ${sql.ref(`c${i}`)}`, sql`${failed} AS ${sql.ref(`f${i}`)}`);
  });
  return sql<Record<string, unknown>>`SELECT ${sql.join(selects)} FROM ${sql.table(table)} WHERE ${live}`;
}

/** One side of a cross-resource rule: a record table and its live item columns (item code → data type). */
export type CrossSide = { table: string; columns: ReadonlyMap<string, DataType> };
type CrossParams = Extract<RuleParams, { kind: 'consistency' | 'relatedness' }>;

/**
 * A value as two resources compare it (registry's comparisonOf). Consistency compares values as
 * text trimmed (textual items: case matters, 'Zhang' is not 'ZHANG') or by numeric value
 * (INTEGER 7 = DECIMAL 7.00 = DOUBLE 7); booleans as 0/1 (PostgreSQL has no min/max of boolean);
 * dates as stored. Keys and references (`fold`) are matched the way uniqueness groups keys:
 * trimmed and case-folded, so 330…12x finds 330…12X.
 */
function comparable(ref: RawBuilder<unknown>, type: DataType, fold: boolean): RawBuilder<unknown> {
  switch (comparisonOf(type)) {
    case 'text':
      return fold ? sql`upper(trim(${ref}))` : sql`trim(${ref})`;
    case 'number':
      return sql`CAST(${ref} AS NUMERIC)`;
    case 'boolean':
      return sql`CAST(${ref} AS INTEGER)`;
    default:
      return ref;
  }
}
const nonEmpty = (ref: RawBuilder<unknown>, type: DataType) =>
  comparisonOf(type) === 'text' ? sql`(${ref} IS NOT NULL AND trim(${ref}) <> '')` : sql`${ref} IS NOT NULL`;

/**
 * A cross-resource rule as SQL over this resource's records `t` joined with the other's, live rows
 * only on both sides: `from` (FROM … WHERE, the records checked) and `fails`, a condition on a
 * checked record. The other side is grouped by its join key, so each record of this resource is
 * counted once whatever the other holds (and SQLite can index the grouped rows for the join).
 * Null when an item has no column on either side yet (never collected): nothing to compare.
 *
 * - relatedness: checked = records whose item has a value; failed = values with no live record
 *   holding them in the other resource's item.
 * - consistency: checked = records whose item has a value and whose key has a live record in the
 *   other resource with a value in its item; failed = those whose value is not the other's (when the
 *   other holds several records under one key, all of their values must equal this one).
 */
export function crossSql(
  p: CrossParams,
  itemCode: string,
  mine: CrossSide,
  other: CrossSide,
): { from: RawBuilder<unknown>; fails: RawBuilder<unknown> } | null {
  const mineType = mine.columns.get(itemCode);
  const otherType = other.columns.get(p.otherItemCode);
  const keys = p.kind === 'consistency' ? p.keys : [];
  if (!mineType || !otherType || keys.some((k) => !mine.columns.has(k.item) || !other.columns.has(k.otherItem))) return null;
  const t = (c: string) => sql.ref(`t.${c}`);
  const o = (c: string) => sql.ref(`o.${c}`);
  const liveMine = sql`NOT ${t('_deleted')} AND ${nonEmpty(t(itemCode), mineType)}`;
  const otherLive = sql`NOT ${sql.ref('_deleted')} AND ${nonEmpty(sql.ref(p.otherItemCode), otherType)}`;
  if (p.kind === 'relatedness') {
    const ref = comparable(sql.ref(p.otherItemCode), otherType, true);
    const values = sql`SELECT ${ref} AS ${sql.ref('v')} FROM ${sql.table(other.table)} WHERE ${otherLive} GROUP BY ${ref}`;
    return {
      from: sql`FROM ${sql.table(mine.table)} t LEFT JOIN (${values}) o ON ${o('v')} = ${comparable(t(itemCode), mineType, true)} WHERE ${liveMine}`,
      fails: sql`${o('v')} IS NULL`,
    };
  }
  const otherKeys = keys.map((k) => comparable(sql.ref(k.otherItem), other.columns.get(k.otherItem)!, true));
  const value = comparable(sql.ref(p.otherItemCode), otherType, false);
  const grouped = sql`SELECT ${sql.join(otherKeys.map((k, i) => sql`${k} AS ${sql.ref(`k${i}`)}`))}, min(${value}) AS ${sql.ref('lo')}, max(${value}) AS ${sql.ref('hi')}
    FROM ${sql.table(other.table)} WHERE ${otherLive} GROUP BY ${sql.join(otherKeys)}`;
  const on = sql.join(
    keys.map((k, i) => sql`${o(`k${i}`)} = ${comparable(t(k.item), mine.columns.get(k.item)!, true)}`),
    sql` AND `,
  );
  return {
    from: sql`FROM ${sql.table(mine.table)} t JOIN (${grouped}) o ON ${on} WHERE ${liveMine}`,
    fails: sql`NOT (${o('lo')} = ${o('hi')} AND ${o('lo')} = ${comparable(t(itemCode), mineType, false)})`,
  };
}

const keyText = (row: Record<string, unknown>, keys: readonly string[]) => keys.map((k) => String(row[k] ?? '')).join('|');

/** Scans and their results; the pushed-down aggregate queries over record tables. */
export function createScansRepository() {
  return {
    /**
     * One aggregate query over the table covering every rule SQL can express (a checked and a
     * failing count per rule), then a capped sample of failing keys for each rule that failed.
     */
    /** Tallies, and the uniqueness rules whose key repeats somewhere (the grouping query counts those). */
    async aggregate(db: Db, table: string, keyColumns: readonly string[], rules: readonly { rule: Rule; expr: PushedExpr }[], sampleSize: number) {
      const out = new Map<string, Tally>();
      const repeated: Rule[] = [];
      const { rows } = await aggregateQuery(
        table,
        rules.map((r) => r.expr),
      ).execute(db);
      const row = rows[0] ?? {};
      const keys = sql.join(keyColumns.map((k) => sql.ref(k)));
      for (const [i, { rule, expr }] of rules.entries()) {
        const failed = Number(row[`f${i}`] ?? 0);
        if (!('fails' in expr)) {
          if (failed > 0) repeated.push(rule);
          else out.set(rule.id, { checked: Number(row[`c${i}`] ?? 0), failed: 0, sample: [] });
          continue;
        }
        let sample: string[] = [];
        if (failed > 0 && sampleSize > 0) {
          const s = await sql<
            Record<string, unknown>
          >`SELECT ${keys} FROM ${sql.table(table)} WHERE ${live} AND ${expr.fails} ORDER BY ${keys} LIMIT ${sampleSize}`.execute(db);
          sample = s.rows.map((r) => keyText(r, keyColumns));
        }
        out.set(rule.id, { checked: Number(row[`c${i}`] ?? 0), failed, sample });
      }
      return { rows: Number(row.n ?? 0), tallies: out, repeated };
    },

    /** Uniqueness of the key items (text compared trimmed and case-folded: 330…12x and 330…12X are one person): rows in a duplicated group fail. */
    async duplicates(
      db: Db,
      table: string,
      items: readonly string[],
      columns: ReadonlyMap<string, DataType>,
      keyColumns: readonly string[],
      sampleSize: number,
    ): Promise<Tally> {
      const groupBy = sql.join(items.map((k) => keyExpr(k, columns)));
      const dup = sql`SELECT ${sql.join(items.map((k, i) => sql`${keyExpr(k, columns)} AS ${sql.ref(`g${i}`)}`))} FROM ${sql.table(table)} WHERE ${live} GROUP BY ${groupBy} HAVING count(*) > 1`;
      const on = sql.join(
        items.map((k, i) => sql`${keyExpr(k, columns)} = ${sql.ref(`d.g${i}`)}`),
        sql` AND `,
      );
      const { rows } = await sql<{ n: unknown; f: unknown }>`SELECT (SELECT count(*) FROM ${sql.table(table)} WHERE ${live}) AS n,
        (SELECT count(*) FROM ${sql.table(table)} JOIN (${dup}) d ON ${on} WHERE ${live}) AS f`.execute(db);
      const failed = Number(rows[0]?.f ?? 0);
      let sample: string[] = [];
      if (failed > 0 && sampleSize > 0) {
        const keys = sql.join(keyColumns.map((k) => sql.ref(`${table}.${k}`)));
        const s = await sql<
          Record<string, unknown>
        >`SELECT ${keys} FROM ${sql.table(table)} JOIN (${dup}) d ON ${on} WHERE ${live} ORDER BY ${keys} LIMIT ${sampleSize}`.execute(db);
        sample = s.rows.map((r) => keyText(r, keyColumns));
      }
      return { checked: Number(rows[0]?.n ?? 0), failed, sample };
    },

    /** A consistency or relatedness rule: one query joining the two record tables, then a capped sample of this resource's failing keys. */
    async crossResource(db: Db, rule: Rule, mine: CrossSide & { keyColumns: readonly string[] }, other: CrossSide, sampleSize: number): Promise<Tally> {
      const p = rule.params;
      if ((p.kind !== 'consistency' && p.kind !== 'relatedness') || !rule.itemCode) return { checked: 0, failed: 0, sample: [] };
      const q = crossSql(p, rule.itemCode, mine, other);
      if (!q) return { checked: 0, failed: 0, sample: [] };
      const { rows } = await sql<{ c: unknown; f: unknown }>`SELECT count(*) AS c, SUM(CASE WHEN ${q.fails} THEN 1 ELSE 0 END) AS f ${q.from}`.execute(db);
      const failed = Number(rows[0]?.f ?? 0);
      let sample: string[] = [];
      if (failed > 0 && sampleSize > 0) {
        const keys = sql.join(mine.keyColumns.map((k) => sql.ref(`t.${k}`)));
        const s = await sql<Record<string, unknown>>`SELECT ${keys} ${q.from} AND ${q.fails} ORDER BY ${keys} LIMIT ${sampleSize}`.execute(db);
        sample = s.rows.map((r) => keyText(r, mine.keyColumns));
      }
      return { checked: Number(rows[0]?.c ?? 0), failed, sample };
    },

    /** Runs a predicate once over no rows: a syntax error or an unknown column shows before the rule is saved. */
    async tryPredicate(db: Db, table: string, predicate: string) {
      await sql`SELECT count(*) AS n FROM (SELECT * FROM ${sql.table(table)} WHERE 1 = 0) t WHERE ${sql.raw(predicate)}`.execute(db);
    },

    insertScan: (db: Db, row: QualityScanTable) => db.insertInto('quality_scans').values(row).execute(),
    updateScan: (db: Db, id: string, set: Partial<QualityScanTable>) => db.updateTable('quality_scans').set(set).where('id', '=', id).execute(),
    /** Progress of a running scan only: a late write (it may wait for the write lock) never rewinds a finished scan's figures. */
    scanProgress: (db: Db, id: string, set: Pick<QualityScanTable, 'resources_done' | 'rows_checked'>) =>
      db.updateTable('quality_scans').set(set).where('id', '=', id).where('status', '=', 'running').execute(),
    findScan: (db: Db, id: string) => db.selectFrom('quality_scans').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Scans a killed process left queued or running. */
    unfinishedScans: (db: Db) => db.selectFrom('quality_scans').select(['id', 'resource_id']).where('status', 'in', ['queued', 'running']).execute(),
    async replaceResults(db: Db, scanId: string, resourceId: string, rows: QualityResultTable[]) {
      await db.deleteFrom('quality_results').where('scan_id', '=', scanId).where('resource_id', '=', resourceId).execute();
      for (let i = 0; i < rows.length; i += 200)
        await db
          .insertInto('quality_results')
          .values(rows.slice(i, i + 200))
          .execute();
    },
    async results(db: Db, scanId: string) {
      const rows = await db.selectFrom('quality_results').selectAll().where('scan_id', '=', scanId).orderBy('resource_id').orderBy('rule_id').execute();
      return rows.map((r) => ({ ...r, checked: Number(r.checked), passed: Number(r.passed), sample: fromJson<string[]>(r.sample, []) }));
    },
    /** Each resource's results from its latest scan. */
    async latestResults(db: Db) {
      const latest = db
        .selectFrom('quality_results')
        .select(['resource_id', (eb) => eb.fn.max('scanned_at').as('at')])
        .groupBy('resource_id')
        .as('l');
      const rows = await db
        .selectFrom('quality_results as r')
        .innerJoin(latest, (j) => j.onRef('l.resource_id', '=', 'r.resource_id').onRef('l.at', '=', 'r.scanned_at'))
        .selectAll('r')
        .execute();
      return rows.map((r) => ({ ...r, checked: Number(r.checked), passed: Number(r.passed) }));
    },
  };
}

export type ScansRepository = ReturnType<typeof createScansRepository>;

/** The resources that have a record table (collected at least once): what a scan of everything covers. */
export async function collectedResourceIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('record_tables').select('resource_id').orderBy('resource_id').execute();
  return rows.map((r) => r.resource_id);
}

/** Visits a table's records on the calling connection: only for a private in-memory database, whose record tables are small. */
export function inlineVisitor(db: Db) {
  return async (table: string, columns: string[], visit: (row: Record<string, unknown>) => void) => {
    const { rows } = await db.executeQuery<Record<string, unknown>>(
      db
        .selectFrom(table as never)
        .select(columns as never[])
        .where('_deleted' as never, '=', false as never)
        .compile(),
    );
    rows.forEach(visit);
    return rows.length;
  };
}

/** Reads a table on the calling connection: only for a private in-memory database, whose record tables are small. */
export function inlineReader(db: Db) {
  return async function* (table: string, columns: string[]) {
    const { rows } = await db.executeQuery<Record<string, unknown>>(
      db
        .selectFrom(table as never)
        .select(columns as never[])
        .where('_deleted' as never, '=', false as never)
        .compile(),
    );
    yield* rows;
  };
}
