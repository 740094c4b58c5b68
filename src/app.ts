import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAuthentication } from './http/authenticate.js';
import { buildOpenApi } from './http/openapi.js';
import { installProblemHandlers } from './http/problem.js';
import { registerRoutes, type AnyRoute } from './http/route.js';
import { newId } from './shared/ids.js';
import type { Services } from './deps.js';
import { departmentRoutes } from './modules/catalog/departments/departments.routes.js';
import { catalogExcelRoutes } from './modules/catalog/excel/excel.routes.js';
import { regionRoutes } from './modules/catalog/regions/regions.routes.js';
import { resourceRoutes } from './modules/catalog/resources/resources.routes.js';
import { systemRoutes } from './modules/catalog/systems/systems.routes.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { collectionRoutes } from './modules/collection/collection.routes.js';
import { figuresRoutes } from './modules/collection/figures/figures.routes.js';
import { sourceRoutes } from './modules/collection/sources/sources.routes.js';
import { editionRoutes } from './modules/catalog/editions/editions.routes.js';
import { statsRoutes } from './modules/catalog/stats/stats.routes.js';

export const API_VERSION = '0.1.0';

/** Every endpoint of the API, in the order the OpenAPI document lists them. */
export function allRoutes(s: Services): AnyRoute[] {
  return [
    ...regionRoutes(s.regions),
    ...departmentRoutes(s.departments),
    ...systemRoutes(s.systems),
    ...resourceRoutes(s.resources),
    ...catalogExcelRoutes(s.catalogExcel),
    ...editionRoutes(s.editions),
    ...statsRoutes(s.stats),
    ...collectionRoutes(s.collection, s.jobs),
    ...sourceRoutes(s.sources),
    ...figuresRoutes(s.collectionFigures),
    ...identityRoutes(s.identity),
  ];
}

export type AppOptions = { logger?: Logger | false; bodyLimitBytes?: number };

/** Builds the HTTP app. It never listens: main.ts does, tests use inject(). */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024 * 1024,
    genReqId: () => newId(),
    ajv: { customOptions: { removeAdditional: false } },
  });
  installProblemHandlers(app);
  installAuthentication(app, services.identity);
  // Files (Excel templates, data files) arrive as raw bodies; routes that accept them say so.
  app.addContentTypeParser(
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'text/csv'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  const routes = allRoutes(services);
  registerRoutes(app, routes);
  const openapi = buildOpenApi(routes, API_VERSION);
  app.get('/api/v1/openapi.json', async () => openapi);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
