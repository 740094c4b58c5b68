import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import { toIsoDate } from '../calendar/working-days.js';
import { DISPUTING_STATES } from '../objections/objection-states.js';
import type { RulesService } from '../rules/rules.service.js';
import { collectedResourceIds, createScansRepository } from '../scans/scans.repository.js';
import { governedShare, scoredResult, scoreRows, type ScoreRow } from '../scans/scores.js';
import { createQualityFiguresRepository } from './figures.repository.js';
import type { QualityStats } from './figures.schemas.js';

const scoreFields = (r: ScoreRow) => ({ score: r.score, resources: r.resources, rules: r.rules, checked: r.checked, passed: r.passed });

/**
 * Governance's figures beside /collection/stats and /catalog/stats (issue 9): scores from each
 * resource's latest scan (scores.ts, ADR 0014) by dimension, department and region; the seed's
 * 数据治理 percentage, computed now as ADR 0014 defines it (governed ÷ collected resources);
 * problems, objections, rules and scans counted. Everything covers the resources the caller may
 * see (classified entries of other departments left out), as the catalogue's figures do.
 */
export function createQualityFiguresService(deps: { db: Db; clock: Clock; catalog: CatalogReader; rules: Pick<RulesService, 'rulesOf'> }) {
  const { db, clock, catalog } = deps;
  const repo = createQualityFiguresRepository();
  const scans = createScansRepository();

  return {
    async stats(actor: Actor | null): Promise<QualityStats> {
      const scope = scopeOf(actor);
      const now = clock.now();
      const today = toIsoDate(now);
      const [latest, collected, catalogued, problems, objections, scanRows] = await Promise.all([
        scans.latestResults(db),
        collectedResourceIds(db),
        repo.resourceIds(db, scope),
        repo.problems(db, scope, today),
        repo.objections(db, scope),
        repo.scans(db, scope),
      ]);
      const resources = await catalog.resources([...new Set([...catalogued, ...latest.map((r) => r.resource_id)])], scope);
      const byId = new Map(resources.map((r) => [r.id, r]));
      const scored = latest.flatMap((r) => scoredResult(r, byId));
      const perResource = scoreRows(scored, 'resource').flatMap((r) => (r.score === null ? [] : [r.score]));
      const byDepartment = scoreRows(scored, 'department');
      const byRegion = scoreRows(scored, 'region');
      const [departmentNames, regionNames] = await Promise.all([
        repo.departmentNames(
          db,
          byDepartment.map((d) => d.key),
        ),
        repo.regionNames(
          db,
          byRegion.map((r) => r.key),
        ),
      ]);

      const rules = [...(await deps.rules.rulesOf(catalogued.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])))).values()].flat();
      const sumOf = (rows: { status: string; n: number }[], statuses: readonly string[]) =>
        rows.filter((r) => statuses.includes(r.status)).reduce((a, r) => a + r.n, 0);
      const problemTotals = { closed: sumOf(problems.byState, ['closed']), explained: sumOf(problems.byState, ['explained']) };
      const finished = scanRows.map((s) => s.last).filter((t): t is string => t !== null);

      return {
        scope: scope === 'all' ? 'all' : scope === 'none' ? 'public' : 'department',
        today,
        score: perResource.length ? Math.round((perResource.reduce((a, b) => a + b, 0) / perResource.length) * 10000) / 10000 : null,
        governed: governedShare(
          scored,
          collected.filter((id) => byId.has(id)),
          now,
        ),
        byDimension: scoreRows(scored, 'dimension').map((r) => ({ dimension: r.key, ...scoreFields(r) })),
        byDepartment: byDepartment.map((r) => ({ departmentId: r.key, departmentName: departmentNames.get(r.key) ?? r.key, ...scoreFields(r) })),
        byRegion: byRegion.map((r) => ({ regionCode: r.key, regionName: regionNames.get(r.key) ?? r.key, ...scoreFields(r) })),
        problems: {
          open: problems.byState.reduce((a, r) => a + r.n, 0) - problemTotals.closed - problemTotals.explained,
          overdue: problems.overdue,
          ...problemTotals,
        },
        objections: { open: sumOf(objections, DISPUTING_STATES), closed: sumOf(objections, ['closed']) },
        rules: {
          total: rules.length,
          derived: rules.filter((r) => r.derived).length,
          custom: rules.filter((r) => !r.derived).length,
          enabled: rules.filter((r) => r.enabled).length,
          disabled: rules.filter((r) => !r.enabled).length,
        },
        scans: {
          total: scanRows.reduce((a, r) => a + r.n, 0),
          succeeded: sumOf(scanRows, ['succeeded']),
          failed: sumOf(scanRows, ['failed', 'interrupted']),
          running: sumOf(scanRows, ['queued', 'running']),
          lastFinishedAt: finished.length ? finished.reduce((a, b) => (a > b ? a : b)) : null,
        },
      };
    },
  };
}

export type QualityFiguresService = ReturnType<typeof createQualityFiguresService>;
