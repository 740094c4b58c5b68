import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { CatalogStatsOut, CodeListsOut } from './stats.schemas.js';
import type { StatsService } from './stats.service.js';

export function statsRoutes(stats: StatsService): AnyRoute[] {
  const tag = 'catalog: figures';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/catalog/stats',
      operationId: 'catalogStats',
      tag,
      auth: 'public',
      summary: 'Catalogue figures: resources, data items, shareable items, by code list, region, department; system census',
      response: CatalogStatsOut,
      handler: async ({ actor }) => stats.catalogStats(actor),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/catalog/codes',
      operationId: 'catalogCodeLists',
      tag,
      auth: 'public',
      summary: 'Every catalogue code list with Chinese and English labels',
      response: CodeListsOut,
      handler: async () => stats.codeLists(),
    }),
  ];
}
