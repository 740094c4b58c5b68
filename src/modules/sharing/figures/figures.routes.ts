import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { SharingFiguresOut, SharingFiguresQuery } from './figures.schemas.js';
import type { SharingFiguresService } from './figures.service.js';

export function sharingFiguresRoutes(figures: SharingFiguresService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/stats',
      operationId: 'sharingStats',
      tag: 'sharing: figures',
      auth: 'public',
      summary:
        'Sharing figures: interfaces (generated vs upstream, city vs provincial), connected systems, calls per interface, consumer, department and day with the error rate, applications and grants',
      query: SharingFiguresQuery,
      response: SharingFiguresOut,
      handler: async ({ actor, query }) => figures.figures(actor, query),
    }),
  ];
}
