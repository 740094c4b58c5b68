import type { Db } from '../../../storage/dialect.js';
import type { QualityResultTable } from '../../../storage/schema.js';
import type { DataType } from '../../catalog/index.js';
import { crossCheckCitizenId, isBlank, valueChecker, type ValueCheck } from '../checks/value-checks.js';
import { isCrossResource, type Rule } from '../rules/registry.js';
import { createScansRepository, sqlOf, type Tally } from './scans.repository.js';

/** One resource to scan, as plain data (it crosses into the worker thread). */
export type ResourcePlan = {
  resourceId: string;
  /** Null: never collected (no record table). */
  table: string | null;
  keyColumns: string[];
  /** Live item columns: item code → data type. */
  columns: [string, DataType][];
  lastLoadedAt: string | null;
  /** Enabled rules only. */
  rules: Rule[];
  /** The other resources of its cross-resource rules (consistency, relatedness). */
  others?: OtherPlan[];
};
/**
 * Another resource a cross-resource rule compares with, as the planner found it. Its key columns
 * are not needed: a rule names the items that match (consistency's `keys`, relatedness's item).
 * `table` null: nothing to compare (never collected, gone, or hidden from this resource's provider
 * department), and `note` says which.
 */
export type OtherPlan = { resourceId: string; table: string | null; columns: [string, DataType][]; note: string | null };
export type ScanPlan = { scanId: string; scannedAt: string; resources: ResourcePlan[]; pushDown: boolean; sampleSize: number };
export type ScanProgress = { resourcesDone: number; resourcesTotal: number; rowsChecked: number };
/** Hands each live record of a table to `visit` (the row object may be reused between calls); see RecordStore.visitRecords. */
export type VisitRecords = (table: string, columns: string[], visit: (row: Record<string, unknown>) => void) => Promise<number>;

/**
 * A scan of each planned resource: what SQL can express runs as one aggregate query per record
 * table (plus a grouping query when a key repeats, or for a composite key); the rest (check digits, code sets with history,
 * cross-field, regex) in code over one stream of the table's live records. With `pushDown: false`
 * everything but SQL predicates runs in code: the recount that proves both paths agree. Results
 * of each resource are written in one transaction.
 */
export async function runScan(db: Db, visitRecords: VisitRecords, plan: ScanPlan, onProgress: (p: ScanProgress) => void): Promise<ScanProgress> {
  const repo = createScansRepository();
  const progress: ScanProgress = { resourcesDone: 0, resourcesTotal: plan.resources.length, rowsChecked: 0 };
  for (const r of plan.resources) {
    const tallies = new Map<string, Tally>();
    const columns = new Map(r.columns);
    const meta = r.rules.filter((rule) => rule.kind === 'timeliness');
    for (const rule of meta) {
      const p = rule.params as { maxAgeDays: number };
      const age = r.lastLoadedAt ? (Date.parse(plan.scannedAt) - Date.parse(r.lastLoadedAt)) / 86_400_000 : Infinity;
      tallies.set(rule.id, { checked: 1, failed: age <= p.maxAgeDays ? 0 : 1, sample: [] });
    }
    const cross = r.rules.filter((rule) => isCrossResource(rule.kind));
    const rest = r.rules.filter((rule) => rule.kind !== 'timeliness' && !isCrossResource(rule.kind));
    if (r.table) {
      const pushed: { rule: Rule; expr: NonNullable<ReturnType<typeof sqlOf>> }[] = [];
      const inCode: Rule[] = [];
      const unique: Rule[] = [];
      for (const rule of rest) {
        const expr = sqlOf(rule, columns);
        if (expr && (plan.pushDown || rule.kind === 'sql')) pushed.push({ rule, expr });
        else if (rule.kind === 'unique' && plan.pushDown) unique.push(rule);
        else inCode.push(rule);
      }
      if (pushed.length > 0) {
        let agg: Awaited<ReturnType<typeof repo.aggregate>>;
        try {
          agg = await repo.aggregate(db, r.table, r.keyColumns, pushed, plan.sampleSize);
        } catch (err) {
          // A custom SQL predicate that no longer runs (an item renamed since) fails the scan by name, not as a bare driver error.
          for (const { rule } of pushed) {
            if (rule.params.kind !== 'sql') continue;
            try {
              await repo.tryPredicate(db, r.table, rule.params.predicate);
            } catch (cause) {
              throw new Error(
                `the SQL predicate of rule ${rule.id} does not run on resource ${r.resourceId}'s records (${(cause as Error).message}): fix it or switch it off`,
              );
            }
          }
          throw err;
        }
        for (const [id, t] of agg.tallies) tallies.set(id, t);
        unique.push(...agg.repeated);
      }
      for (const rule of unique) {
        const items = (rule.params as { items: string[] }).items.filter((i) => columns.has(i));
        if (items.length > 0) tallies.set(rule.id, await repo.duplicates(db, r.table, items, columns, r.keyColumns, plan.sampleSize));
      }
      if (cross.length > 0) for (const [id, t] of await checkAcross(db, r, columns, cross, plan.sampleSize)) tallies.set(id, t);
      if (inCode.length > 0) {
        const rows = await checkInCode(visitRecords, r, columns, inCode, plan.sampleSize);
        for (const [id, t] of rows.tallies) tallies.set(id, t);
        progress.rowsChecked += rows.rows;
      }
    }
    const results: QualityResultTable[] = r.rules.map((rule) => {
      const t = tallies.get(rule.id) ?? { checked: 0, failed: 0, sample: [] };
      return {
        scan_id: plan.scanId,
        rule_id: rule.id,
        resource_id: r.resourceId,
        item_code: rule.itemCode,
        kind: rule.kind,
        dimension: rule.dimension,
        severity: rule.severity,
        checked: t.checked,
        passed: t.checked - t.failed,
        sample: JSON.stringify(t.sample),
        scanned_at: plan.scannedAt,
      };
    });
    await db.transaction().execute((trx) => repo.replaceResults(trx, plan.scanId, r.resourceId, results));
    progress.resourcesDone += 1;
    onProgress({ ...progress });
  }
  return progress;
}

/**
 * Cross-resource rules (consistency, relatedness): one SQL query per rule joining this resource's
 * record table with the other's, on both paths — the pushDown: false recount too, since a
 * row-by-row check of one table's stream cannot see the other table. A rule whose other resource
 * has no table to compare with checks nothing (B = 0; the scan's note says why).
 */
async function checkAcross(db: Db, r: ResourcePlan, columns: ReadonlyMap<string, DataType>, rules: Rule[], sampleSize: number) {
  const repo = createScansRepository();
  const out = new Map<string, Tally>();
  for (const rule of rules) {
    const p = rule.params;
    const other = p.kind === 'consistency' || p.kind === 'relatedness' ? r.others?.find((o) => o.resourceId === p.otherResourceId) : undefined;
    if (!other?.table) {
      out.set(rule.id, { checked: 0, failed: 0, sample: [] });
      continue;
    }
    const mine = { table: r.table!, keyColumns: r.keyColumns, columns };
    out.set(rule.id, await repo.crossResource(db, rule, mine, { table: other.table, columns: new Map(other.columns) }, sampleSize));
  }
  return out;
}

type Counter = { rule: Rule; check: (row: Record<string, unknown>) => boolean | null; tally: Tally };
const TEXTUAL = new Set(['STRING', 'TEXT']);

/** A per-row check of a rule: true passes, false fails, null is not checked (an empty value). */
function rowCheck(rule: Rule, columns: ReadonlyMap<string, DataType>): Counter['check'] {
  const code = rule.itemCode ?? '';
  const type = columns.get(code);
  const p = rule.params;
  const compiled = (check: ValueCheck) => (row: Record<string, unknown>) => (isBlank(row[code]) ? null : check(row[code]) === true);
  switch (p.kind) {
    case 'not-null':
      return (row) => !isBlank(row[code]) && !(type && !TEXTUAL.has(type) && row[code] === null);
    case 'length':
      return (row) => (row[code] === null || row[code] === undefined ? null : [...String(row[code])].length <= p.max);
    case 'range': {
      const num = type !== undefined && !TEXTUAL.has(type) && type !== 'DATE' && type !== 'DATETIME';
      return (row) => {
        const v = row[code];
        if (v === null || v === undefined) return null;
        const x = num ? Number(v) : String(v);
        return !((p.min !== undefined && x < (num ? Number(p.min) : p.min)) || (p.max !== undefined && x > (num ? Number(p.max) : p.max)));
      };
    }
    case 'in-set': {
      const set = new Set(p.values.map(String));
      return (row) => (row[code] === null || row[code] === undefined ? null : set.has(String(row[code])));
    }
    case 'regex': {
      const re = new RegExp(`^(?:${p.pattern})$`, 'u');
      return (row) => (row[code] === null || row[code] === undefined ? null : re.test(String(row[code])));
    }
    case 'code-set':
      return compiled(valueChecker('code-set', { codeSet: p.codeSet }));
    case 'citizen-id':
    case 'uscc':
    case 'org-code':
    case 'mobile':
    case 'postal-code':
      return compiled(valueChecker(p.kind));
    case 'citizen-id-cross':
      return (row) => {
        if (isBlank(row[code])) return null;
        const birth = p.birthItem ? row[p.birthItem] : null;
        const sex = p.sexItem ? row[p.sexItem] : null;
        if (isBlank(birth) && isBlank(sex)) return null;
        return crossCheckCitizenId(row[code], { birthDate: birth, sex }) === true;
      };
    default:
      // unique is counted over the whole stream (checkInCode); timeliness and sql never come here.
      return () => null;
  }
}

async function checkInCode(visitRecords: VisitRecords, r: ResourcePlan, columns: ReadonlyMap<string, DataType>, rules: Rule[], sampleSize: number) {
  const keyOf = (row: Record<string, unknown>) => r.keyColumns.map((k) => String(row[k] ?? '')).join('|');
  const wanted = new Set(r.keyColumns);
  for (const rule of rules) {
    if (rule.itemCode && columns.has(rule.itemCode)) wanted.add(rule.itemCode);
    const p = rule.params;
    if (p.kind === 'citizen-id-cross') for (const c of [p.birthItem, p.sexItem]) if (c && columns.has(c)) wanted.add(c);
    if (p.kind === 'unique') for (const c of p.items) if (columns.has(c)) wanted.add(c);
  }
  const counters: Counter[] = rules.map((rule) => ({ rule, check: rowCheck(rule, columns), tally: { checked: 0, failed: 0, sample: [] } }));
  const uniques = rules.filter((rule) => rule.kind === 'unique');
  const groups = uniques.map(() => new Map<string, string[]>());
  const rows = await visitRecords(r.table!, [...wanted], (row) => {
    for (const c of counters) {
      if (c.rule.kind === 'unique') continue;
      const ok = c.check(row);
      if (ok === null) continue;
      c.tally.checked += 1;
      if (!ok) {
        c.tally.failed += 1;
        if (c.tally.sample.length < sampleSize) c.tally.sample.push(keyOf(row));
      }
    }
    uniques.forEach((rule, i) => {
      const items = (rule.params as { items: string[] }).items;
      const k = items
        .map((it) =>
          TEXTUAL.has(columns.get(it) ?? '')
            ? String(row[it] ?? '')
                .trim()
                .toUpperCase()
            : String(row[it]),
        )
        .join('\u0000');
      const g = groups[i]!;
      (g.get(k) ?? g.set(k, []).get(k)!).push(keyOf(row));
    });
  });
  uniques.forEach((rule, i) => {
    const c = counters.find((x) => x.rule === rule)!;
    const dupKeys = [...groups[i]!.values()]
      .filter((keys) => keys.length > 1)
      .flat()
      .sort();
    c.tally = { checked: rows, failed: dupKeys.length, sample: dupKeys.slice(0, sampleSize) };
  });
  return { rows, tallies: new Map(counters.map((c) => [c.rule.id, c.tally])) };
}
