import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { KuaijiModule, StartContext } from '../module.js';
import type { OpenCatalog } from './contracts.js';
import { createDatasetsPart } from './datasets.part.js';
import { createCommunityPart, type CommunityOptions } from './community.part.js';
import type { ObjectionStatus, OpenObjection } from './feedback/feedback.service.js';
import { mountCkanApi } from './ckan/ckan.routes.js';
import { mountDcat } from './dcat/dcat.routes.js';

export type OpeningModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Collection's record reader: the one way open datasets read records. */
  records: RecordReader;
  /** Public users, apps, applications and statistics: limits, session lifetime, flush interval. */
  community?: CommunityOptions;
  /** KUAIJI_REDIS_URL: public users' failed logins counted in Redis, shared by every serving process (ADR 0039). */
  loginThrottleRedis?: { url: string; prefix?: string };
  /** Governance's objections (when governance is wired): error reports (纠错) with a record key open one. */
  openObjection?: OpenObjection;
  /** An objection's state now, shown on the error report that opened it. */
  objectionStatus?: ObjectionStatus;
};

/**
 * Opening 开放 (DOMAIN.md §7, issue 11): open datasets published from resources, the public
 * portal API under `/api/v1/open/`, restricted-open applications, scenarios and feedback,
 * statistics, a CKAN-compatible Action API and the DCAT-AP export.
 */
export function createOpeningModule(deps: OpeningModuleDeps) {
  // Open datasets, the portal, search and downloads; access and statistics come from the community part (read at each use).
  const datasets = createDatasetsPart({
    ...deps,
    access: () => community.openAccess,
    stats: () => community.openStats,
    viewer: () => community.openViewer.viewer,
  });
  // Public users, apps, restricted-open applications, statistics: OpenAccess and OpenStats for the datasets part.
  const community = createCommunityPart({ ...deps, openCatalog: () => datasets.openCatalog, options: deps.community });
  const services = { openDatasets: datasets.service, openCatalog: datasets.openCatalog as OpenCatalog, openRows: datasets.openRows, ...community.services };
  const routes: AnyRoute[] = [...datasets.routes, ...community.routes];
  return {
    name: 'opening',
    routes,
    services,
    /** The open catalogue and rows the CKAN API and the DCAT export read through. */
    openCatalog: datasets.openCatalog as OpenCatalog,
    openRows: datasets.openRows,
    /** Collection's onLoaded: a dataset's record count and modified time follow a load at once. */
    afterLoad: datasets.afterLoad,
    openAccess: community.openAccess,
    openStats: community.openStats,
    /** The public user of a request (Authorization: Bearer kjo_…). */
    openViewer: community.openViewer,
    async start(ctx: StartContext) {
      // Every serving process flushes its own counts (views, downloads, open-API calls).
      community.start((err) => ctx.logger.warn({ err }, 'open statistics: a flush failed; its counts are kept for the next'));
    },
    stop: () => community.stop(),
    /** The CKAN Action API (/api/3/action/, /api/action/) and the DCAT-AP export (/catalog.ttl, /catalog.jsonld). */
    mount(app: FastifyInstance) {
      mountCkanApi(app, { catalog: datasets.openCatalog, rows: datasets.openRows, clock: deps.clock });
      mountDcat(app, { catalog: datasets.openCatalog, clock: deps.clock });
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type OpeningModule = ReturnType<typeof createOpeningModule>;
