import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AnyRoute } from '../http/route.js';

/**
 * What every module's `<module>.module.ts` factory returns: its routes (app.ts mounts them), and
 * what it starts and stops with the server (main.ts calls these in order, and in reverse on
 * shutdown). A module's services and readers are returned beside these, typed by the module.
 */
export interface KuaijiModule {
  readonly name: string;
  readonly routes: readonly AnyRoute[];
  /**
   * HTTP surfaces that are not `/api/v1` routes (the sharing gateway under `/gateway/`, CKAN's
   * Action API, the DCAT export): mounted by buildApp after the routes, with the app's error
   * handling, and left out of the OpenAPI document.
   */
  mount?(app: FastifyInstance): void;
  /** Background work that runs only in a serving process (recovery of jobs, schedulers). */
  start?(ctx: { logger: Logger }): Promise<void>;
  stop?(): Promise<void>;
}
