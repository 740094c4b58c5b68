import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ThemesFiguresOut } from './figures.schemas.js';
import type { ThemesFiguresService } from './figures.service.js';

export function themesFiguresRoutes(figures: ThemesFiguresService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/themes/stats',
      operationId: 'themesStats',
      tag: 'themes: figures',
      auth: 'public',
      summary: 'Thematic databases figures: master records per theme, crosswalk rows by match tier and the match rate, conflicts open, reviews pending',
      response: ThemesFiguresOut,
      handler: async ({ actor }) => figures.figures(actor),
    }),
  ];
}
