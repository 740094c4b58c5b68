import { AppError } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import { visibleResourceOr404, type CatalogReader, type Resource } from '../../catalog/index.js';
import { DIMENSION_KEYS } from '../rules/registry.js';
import { scoredResult, scoreRows, type ScoreBy, type ScoredResult } from './scores.js';
import { createTrendsRepository, type TrendResultRow } from './trends.repository.js';

export type TrendPoint = { scanId: string; scannedAt: string; score: number | null; resources: number; rules: number; checked: number; passed: number };
type Where = Pick<Resource, 'providerDepartmentId' | 'regionCode'>;

/**
 * A trend: after each of the scans (oldest first), the score of `key` as /scores would have
 * answered then — each resource counted by its latest succeeded scan up to that point, the same
 * X = A / B roll-up (scores.ts, ADR 0014). `before` holds each resource's latest results before
 * the first point; `window` the results of the points' scans.
 */
export function trendPoints(
  before: readonly TrendResultRow[],
  window: readonly TrendResultRow[],
  scans: readonly { scan_id: string; scanned_at: string }[],
  resources: ReadonlyMap<string, Where>,
  by: ScoreBy,
  key: string,
): TrendPoint[] {
  const scored = (r: TrendResultRow): ScoredResult[] => scoredResult(r, resources);
  const state = new Map<string, ScoredResult[]>();
  const put = (rows: readonly TrendResultRow[]) => {
    const fresh = new Map<string, ScoredResult[]>();
    for (const r of rows) for (const s of scored(r)) (fresh.get(s.resourceId) ?? fresh.set(s.resourceId, []).get(s.resourceId)!).push(s);
    for (const [id, rs] of fresh) state.set(id, rs);
  };
  put(before);
  const byScan = new Map<string, TrendResultRow[]>();
  for (const r of window) (byScan.get(r.scan_id) ?? byScan.set(r.scan_id, []).get(r.scan_id)!).push(r);
  return scans.map((s) => {
    put(byScan.get(s.scan_id) ?? []);
    const row = scoreRows([...state.values()].flat(), by).find((x) => x.key === key);
    return {
      scanId: s.scan_id,
      scannedAt: s.scanned_at,
      score: row?.score ?? null,
      resources: row?.resources ?? 0,
      rules: row?.rules ?? 0,
      checked: row?.checked ?? 0,
      passed: row?.passed ?? 0,
    };
  });
}

/** Trends of quality scores over the last scans, by resource, department, region or dimension (visible resources only). */
export function createTrendsService(deps: { db: Db; catalog: CatalogReader }) {
  const { db, catalog } = deps;
  const repo = createTrendsRepository();
  return {
    async trend(actor: Actor | null, query: { by: ScoreBy; key: string; limit: number }) {
      const { by, key, limit } = query;
      if (by === 'dimension' && !(DIMENSION_KEYS as string[]).includes(key)) {
        throw new AppError('VALIDATION_FAILED', `'${key}' is not a quality dimension (${DIMENSION_KEYS.join(', ')})`, {
          errors: [{ path: 'query.key', code: 'invalid_value', message: `one of ${DIMENSION_KEYS.join(', ')}` }],
        });
      }
      let resources: Resource[];
      if (by === 'resource') {
        await visibleResourceOr404(catalog, actor, key);
        resources = await catalog.resources([key], scopeOf(actor));
      } else {
        const all = await catalog.resources(await repo.resultResourceIds(db), scopeOf(actor));
        resources = all.filter((r) => by === 'dimension' || (by === 'department' ? r.providerDepartmentId : r.regionCode) === key);
      }
      const ids = resources.map((r) => r.id);
      const dimension = by === 'dimension' ? key : null;
      const scans = (await repo.lastScans(db, ids, dimension, limit)).reverse();
      if (scans.length === 0) return { by, key, items: [] };
      const [before, window] = await Promise.all([
        repo.latestBefore(db, ids, dimension, scans[0]!.scanned_at),
        repo.resultsBetween(db, ids, dimension, scans[0]!.scanned_at, scans.at(-1)!.scanned_at),
      ]);
      return { by, key, items: trendPoints(before, window, scans, new Map(resources.map((r) => [r.id, r])), by, key) };
    },
  };
}

export type TrendsService = ReturnType<typeof createTrendsService>;
