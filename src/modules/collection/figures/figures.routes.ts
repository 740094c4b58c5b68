import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { CollectionFiguresOut, CollectionFiguresQuery } from './figures.schemas.js';
import type { FiguresService } from './figures.service.js';

export function figuresRoutes(figures: FiguresService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/stats',
      operationId: 'collectionStats',
      tag: 'collection: figures',
      auth: 'public',
      summary: 'Collection figures: records by resource, department and region (city vs districts), records added in a year, coverage 应归尽归',
      query: CollectionFiguresQuery,
      response: CollectionFiguresOut,
      handler: async ({ actor, query }) => figures.figures(actor, query),
    }),
  ];
}
