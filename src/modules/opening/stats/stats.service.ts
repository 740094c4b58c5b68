import type { Db } from '../../../storage/dialect.js';
import type { OpenCatalog } from '../contracts.js';
import { createOpenStatsRepository } from './stats.repository.js';
import type { OpenStatsQuery, OpenStatsReport } from './stats.schemas.js';

/**
 * Open statistics (DOMAIN.md §7): views, downloads and API calls per dataset and in total, and
 * the seed's open figures computed live from the open catalogue and this part's tables. Counts
 * still in memory are flushed first, so the answer includes every event counted before it.
 * Only published datasets appear (ids counted for a dataset since withdrawn are left out).
 */
export function createOpenStatsService(deps: { db: Db; datasets: () => Pick<OpenCatalog, 'datasets'>; flush: () => Promise<void> }) {
  const repo = createOpenStatsRepository();
  return {
    async report(q: OpenStatsQuery): Promise<OpenStatsReport> {
      await deps.flush();
      const [all, totals, scenarios, competitionTeams] = await Promise.all([
        deps.datasets().datasets(),
        repo.totals(deps.db, q),
        repo.publishedScenarios(deps.db),
        repo.competitionTeams(deps.db),
      ]);
      const byDataset = new Map(all.map((d) => [d.id, { datasetId: d.id, name: d.name, title: d.title, views: 0, downloads: 0, apiCalls: 0 }]));
      for (const t of totals) {
        const row = byDataset.get(t.datasetId);
        if (!row) continue;
        if (t.event === 'view') row.views += t.count;
        else if (t.event === 'download') row.downloads += t.count;
        else if (t.event === 'api') row.apiCalls += t.count;
      }
      const datasets = [...byDataset.values()].sort((a, b) => b.views - a.views || b.downloads - a.downloads || a.datasetId.localeCompare(b.datasetId));
      const sum = (k: 'views' | 'downloads' | 'apiCalls') => datasets.reduce((n, d) => n + d[k], 0);
      return {
        totals: { views: sum('views'), downloads: sum('downloads'), apiCalls: sum('apiCalls') },
        datasets,
        figures: {
          units: new Set(all.map((d) => d.departmentId)).size,
          domains: new Set(all.map((d) => d.domain)).size,
          openClasses: new Set(all.map((d) => d.resourceId)).size,
          datasets: all.length,
          apis: all.filter((d) => d.distributions.some((x) => x.format === 'API')).length,
          dataItems: all.reduce((n, d) => n + d.items.length, 0),
          records: all.reduce((n, d) => n + d.recordCount, 0),
          scenarios,
          competitionTeams,
        },
      };
    },
  };
}

export type OpenStatsService = ReturnType<typeof createOpenStatsService>;
