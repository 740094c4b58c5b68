import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAuthentication } from './http/authenticate.js';
import { buildOpenApi } from './http/openapi.js';
import { installProblemHandlers, problemServerOptions } from './http/problem.js';
import { registerRoutes, type AnyRoute } from './http/route.js';
import { installWeb } from './http/web.js';
import { newId } from './shared/ids.js';
import type { Services } from './deps.js';

export const API_VERSION = '0.1.0';

/** Every endpoint of the API: each module's routes, in the order the OpenAPI document lists them. */
export function allRoutes(s: Services): AnyRoute[] {
  return s.modules.flatMap((m) => m.routes);
}

/** `webDir`: the built web UI (default dist/web of this package). */
export type AppOptions = { logger?: Logger | false; bodyLimitBytes?: number; webDir?: string };

/** Builds the HTTP app. It never listens: main.ts does, tests use inject(). */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (options.logger || undefined) as FastifyBaseLogger | undefined,
    bodyLimit: options.bodyLimitBytes ?? 64 * 1024 * 1024,
    genReqId: () => newId(),
    ajv: { customOptions: { removeAdditional: false } },
    ...problemServerOptions,
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
  for (const m of services.modules) m.mount?.(app);
  installWeb(app, options.webDir);
  return app;
}
