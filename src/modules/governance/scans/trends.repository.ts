import type { Db } from '../../../storage/dialect.js';

export type TrendResultRow = {
  scan_id: string;
  resource_id: string;
  dimension: string;
  severity: string;
  checked: number;
  passed: number;
  scanned_at: string;
};

/**
 * Trends' SQL: results of succeeded scans only (an interrupted or failed scan's partial results
 * are no point of a trend). Every scan keeps its own result rows (quality_results is keyed by
 * scan and rule; nothing deletes an older scan's), so history is there to read.
 */
export function createTrendsRepository() {
  const succeeded = (db: Db, resourceIds: readonly string[], dimension: string | null) => {
    let q = db
      .selectFrom('quality_results as r')
      .innerJoin('quality_scans as s', 's.id', 'r.scan_id')
      .where('s.status', '=', 'succeeded')
      .where('r.resource_id', 'in', resourceIds);
    if (dimension) q = q.where('r.dimension', '=', dimension);
    return q;
  };
  const rowsOf = (rows: TrendResultRow[]) => rows.map((r) => ({ ...r, checked: Number(r.checked), passed: Number(r.passed) }));
  const columns = ['r.scan_id', 'r.resource_id', 'r.dimension', 'r.severity', 'r.checked', 'r.passed', 'r.scanned_at'] as const;

  return {
    /** Resources with any stored result. */
    async resultResourceIds(db: Db): Promise<string[]> {
      const rows = await db.selectFrom('quality_results').select('resource_id').distinct().execute();
      return rows.map((r) => r.resource_id);
    },

    /** The last `limit` succeeded scans with results for these resources (in this dimension), newest first. */
    async lastScans(db: Db, resourceIds: readonly string[], dimension: string | null, limit: number) {
      if (resourceIds.length === 0) return [];
      return succeeded(db, resourceIds, dimension)
        .select(['r.scan_id', 'r.scanned_at'])
        .groupBy(['r.scan_id', 'r.scanned_at'])
        .orderBy('r.scanned_at', 'desc')
        .orderBy('r.scan_id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Results of succeeded scans for these resources from `from` to `to`, both included. */
    async resultsBetween(db: Db, resourceIds: readonly string[], dimension: string | null, from: string, to: string) {
      if (resourceIds.length === 0) return [];
      const rows = await succeeded(db, resourceIds, dimension).where('r.scanned_at', '>=', from).where('r.scanned_at', '<=', to).select(columns).execute();
      return rowsOf(rows);
    },

    /** Each resource's results from its latest succeeded scan before `before`: where a trend's first point starts from. */
    async latestBefore(db: Db, resourceIds: readonly string[], dimension: string | null, before: string) {
      if (resourceIds.length === 0) return [];
      const latest = succeeded(db, resourceIds, dimension)
        .where('r.scanned_at', '<', before)
        .select(['r.resource_id', (eb) => eb.fn.max('r.scanned_at').as('at')])
        .groupBy('r.resource_id')
        .as('l');
      const rows = await succeeded(db, resourceIds, dimension)
        .innerJoin(latest, (j) => j.onRef('l.resource_id', '=', 'r.resource_id').onRef('l.at', '=', 'r.scanned_at'))
        .select(columns)
        .execute();
      return rowsOf(rows);
    },
  };
}
