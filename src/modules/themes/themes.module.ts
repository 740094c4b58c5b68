import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { WorkerPool } from '../../jobs/worker-pool.js';
import type { LeaseTiming } from '../../jobs/lease.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { KuaijiModule, StartContext } from '../module.js';
import { createCorePart } from './masters/core.part.js';
import type { ThemeConsistencySink } from '../governance/index.js';
import { themesFiguresRoutes } from './figures/figures.routes.js';
import { createThemesFiguresService } from './figures/figures.service.js';
import { createSpatialPart } from './spatial/spatial.part.js';
import { createOneIdPart } from './one-id/one-id.part.js';
import { createLicencesPart } from './licences/licences.part.js';
import type { GatewayAccess } from '../sharing/index.js';

export type ThemesModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Member records are read through collection's record reader, never their tables. */
  records: RecordReader;
  /** How worker threads reach the database; null (a private in-memory database) runs syncs inline. */
  databaseUrl: string | null;
  pool?: WorkerPool;
  jobTimeLimitMs?: number | null;
  jobLease?: LeaseTiming;
  dataDir?: string;
  /** Sharing's gateway steps for the one-ID query's consumer route (deps.ts: sharing is built first); no one-ID routes without it. */
  gateway?: GatewayAccess;
  /** Governance's consistency problems for conflicts between member sources (deps.ts). */
  consistency?: ThemeConsistencySink;
};

/**
 * Thematic databases 主题库 (issue 13, DOMAIN.md §8): one master-data mechanism configured six
 * times (population, legal entity, credit, e-licence, grassroots, spatial), the one-ID query,
 * e-licence reads and OGC API – Features. The parts and their seams: contracts.ts.
 */
export function createThemesModule(deps: ThemesModuleDeps) {
  // A: the master-data mechanism (keys/, definitions/, masters/): definitions, the sync, masters, review, conflicts.
  const core = createCorePart(deps);
  const themesFigures = createThemesFiguresService({ db: deps.db });
  const services = { themesFigures, ...core.services };
  const routes: AnyRoute[] = [...themesFiguresRoutes(themesFigures), ...core.routes];
  const mounts: ((app: FastifyInstance) => void)[] = [];
  // D: spatial themes as OGC API – Features at /ogc (ADR 0029).
  const spatial = createSpatialPart({ db: deps.db, dialect: deps.dialect, clock: deps.clock, catalog: deps.catalog });
  mounts.push((app) => spatial.mount(app));
  // B: the one-ID query 一证通办 (ADR 0027).
  if (deps.gateway) {
    const oneId = createOneIdPart({ ...deps, masters: core.masters, gateway: deps.gateway });
    routes.push(...oneId.routes);
    mounts.push((app) => oneId.mount(app));
  }
  const starts: ((ctx: { logger: Logger }) => Promise<void>)[] = [];
  const stops: (() => Promise<void>)[] = [];
  const masters = core.masters;
  starts.push((ctx) => core.start(ctx));
  // C: e-licences 电子证照 (ADR 0028).
  const licences = createLicencesPart({ ...deps, masters });
  routes.push(...licences.routes);

  return {
    name: 'themes',
    routes,
    services,
    /** A: the masters as the other parts (one-id, licences, spatial, figures) read them. */
    masters,
    /** Collection calls this after a successful load: a member resource's theme(s) fold the change in. */
    afterLoad(resourceId: string): void {
      void core.afterLoad(resourceId).catch(() => undefined);
    },
    mount(app: FastifyInstance) {
      for (const m of mounts) m(app);
    },
    async start(ctx: StartContext) {
      // Syncs a killed process left are queued again by one process only (ADR 0039).
      if (ctx.background === false) return;
      for (const s of starts) await s(ctx);
    },
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type ThemesModule = ReturnType<typeof createThemesModule>;
