import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { QualityStatsOut } from './figures.schemas.js';
import type { QualityFiguresService } from './figures.service.js';

export function qualityFiguresRoutes(figures: QualityFiguresService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/stats',
      operationId: 'qualityStats',
      tag: 'governance',
      auth: 'public',
      summary: 'Governance figures: quality by dimension, department and region, 数据治理 % governed, problems, objections, rules, scans',
      response: QualityStatsOut,
      handler: async ({ actor }) => figures.stats(actor),
    }),
  ];
}
