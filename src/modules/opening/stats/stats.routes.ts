import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { OpenStatsOut, OpenStatsQuery } from './stats.schemas.js';
import type { OpenStatsService } from './stats.service.js';

export function openStatsRoutes(stats: OpenStatsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/stats',
      operationId: 'openStats',
      tag: 'opening',
      auth: 'public',
      summary:
        "Open-data statistics: views, downloads and API calls per published dataset and in total (optionally over days), and the seed's open figures computed now",
      query: OpenStatsQuery,
      response: OpenStatsOut,
      handler: async ({ query }) => stats.report(query),
    }),
  ];
}
