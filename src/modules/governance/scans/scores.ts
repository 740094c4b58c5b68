/** One rule's latest outcome, with what scores group by. */
export type ScoredResult = {
  resourceId: string;
  departmentId: string;
  regionCode: string;
  dimension: string;
  severity: string;
  checked: number;
  passed: number;
  scannedAt: string;
};

/** A stored result as scoring reads it (a quality_results row). */
export type StoredResult = { resource_id: string; dimension: string; severity: string; checked: number; passed: number; scanned_at: string };
/** Where a resource sits, from the catalogue: its provider department and region. */
export type ResourcePlace = { providerDepartmentId: string; regionCode: string };

/**
 * A stored result with its resource's department and region, ready to score; nothing when the
 * resource is not in `resources` (the caller may not see it, or it left the catalogue).
 */
export function scoredResult(r: StoredResult, resources: ReadonlyMap<string, ResourcePlace>): ScoredResult[] {
  const where = resources.get(r.resource_id);
  if (!where) return [];
  return [
    {
      resourceId: r.resource_id,
      departmentId: where.providerDepartmentId,
      regionCode: where.regionCode,
      dimension: r.dimension,
      severity: r.severity,
      checked: r.checked,
      passed: r.passed,
      scannedAt: r.scanned_at,
    },
  ];
}

export type ScoreBy = 'resource' | 'department' | 'region' | 'dimension';
export type ScoreRow = { key: string; score: number | null; resources: number; rules: number; checked: number; passed: number };

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);

/**
 * Scores per GB/T 36344 (ADR 0014): a rule scores X = A / B (rules that checked nothing do not
 * count); a resource's dimension score is the mean of its rules' X in that dimension, its score
 * the mean of its dimension scores; a department or region scores the mean of its resources'
 * scores, a dimension the mean of the resources' scores in it.
 */
export function scoreRows(results: readonly ScoredResult[], by: ScoreBy): ScoreRow[] {
  const perResource = new Map<string, { r: ScoredResult; dims: Map<string, number[]> }>();
  for (const r of results) {
    const entry = perResource.get(r.resourceId) ?? perResource.set(r.resourceId, { r, dims: new Map() }).get(r.resourceId)!;
    if (r.checked > 0) (entry.dims.get(r.dimension) ?? entry.dims.set(r.dimension, []).get(r.dimension)!).push(r.passed / r.checked);
  }
  const dimScore = (dims: Map<string, number[]>, d: string) => mean(dims.get(d) ?? []);
  const resourceScore = (dims: Map<string, number[]>) => mean([...dims.keys()].map((d) => dimScore(dims, d)!));
  const groups = new Map<string, { scores: number[]; resources: Set<string>; rules: number; checked: number; passed: number }>();
  const group = (key: string) => groups.get(key) ?? groups.set(key, { scores: [], resources: new Set(), rules: 0, checked: 0, passed: 0 }).get(key)!;
  for (const r of results) {
    const key = by === 'resource' ? r.resourceId : by === 'department' ? r.departmentId : by === 'region' ? r.regionCode : r.dimension;
    const g = group(key);
    g.rules += 1;
    g.checked += r.checked;
    g.passed += r.passed;
    g.resources.add(r.resourceId);
  }
  for (const [resourceId, { r, dims }] of perResource) {
    if (by === 'dimension') {
      for (const d of dims.keys()) group(d).scores.push(dimScore(dims, d)!);
      continue;
    }
    const s = resourceScore(dims);
    if (s === null) continue;
    group(by === 'resource' ? resourceId : by === 'department' ? r.departmentId : r.regionCode).scores.push(s);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, score: round(mean(g.scores)), resources: g.resources.size, rules: g.rules, checked: g.checked, passed: g.passed }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A resource counts as governed when its latest scan is this recent … */
export const GOVERNED_MAX_AGE_DAYS = 30;
/** … and each of its high-severity rules passed at least this share of what it checked. */
export const GOVERNED_THRESHOLD = 0.95;

/**
 * "% of data governed" (ADR 0014): of the resources with collected records, the share whose latest
 * scan is at most 30 days old and in which every high-severity rule scored X ≥ 0.95.
 */
export function governedShare(results: readonly ScoredResult[], collected: readonly string[], now: Date) {
  const latest = new Map<string, ScoredResult[]>();
  for (const r of results) (latest.get(r.resourceId) ?? latest.set(r.resourceId, []).get(r.resourceId)!).push(r);
  let governed = 0;
  let scanned = 0;
  for (const id of collected) {
    const rs = latest.get(id);
    if (!rs) continue;
    scanned += 1;
    const fresh = (now.getTime() - Date.parse(rs[0]!.scannedAt)) / 86_400_000 <= GOVERNED_MAX_AGE_DAYS;
    const high = rs.filter((r) => r.severity === 'high' && r.checked > 0);
    if (fresh && high.every((r) => r.passed / r.checked >= GOVERNED_THRESHOLD)) governed += 1;
  }
  const total = collected.length;
  return {
    resources: total,
    scannedResources: scanned,
    governedResources: governed,
    percent: total === 0 ? null : Math.round((governed / total) * 10000) / 100,
    maxAgeDays: GOVERNED_MAX_AGE_DAYS,
    threshold: GOVERNED_THRESHOLD,
  };
}
