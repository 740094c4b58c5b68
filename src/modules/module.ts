import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AnyRoute } from '../http/route.js';

/** What `start` is told: the logger, and whether this process runs the platform's background work. */
export type StartContext = { logger: Logger; background?: boolean };

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
  /**
   * What a serving process runs besides answering HTTP. `background` (absent: true) is the
   * platform's once-only work — recovery of what a killed process left, schedulers, escalation
   * timers; with KUAIJI_SERVE_PROCESSES > 1 one process runs it and the others only what each
   * serving process needs of its own (the call audit's writer, counters to flush; ADR 0039).
   */
  start?(ctx: StartContext): Promise<void>;
  stop?(): Promise<void>;
}
