import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { KuaijiModule } from '../module.js';
import type { OpenCatalog } from './contracts.js';
import { createDatasetsPart, DENY_ACCESS, NO_STATS } from './datasets.part.js';
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
};

/**
 * Opening 开放 (DOMAIN.md §7, issue 11): open datasets published from resources, the public
 * portal API under `/api/v1/open/`, restricted-open applications, scenarios and feedback,
 * statistics, a CKAN-compatible Action API and the DCAT-AP export.
 */
export function createOpeningModule(deps: OpeningModuleDeps) {
  // Open datasets, the portal, search and downloads; access and statistics deny and count nothing until the community part supplies them.
  const datasets = createDatasetsPart({ ...deps, access: () => DENY_ACCESS, stats: () => NO_STATS });
  const services = { openDatasets: datasets.service, openCatalog: datasets.openCatalog as OpenCatalog, openRows: datasets.openRows };
  const routes: AnyRoute[] = [...datasets.routes];
  return {
    name: 'opening',
    routes,
    services,
    /** The open catalogue and rows the CKAN API and the DCAT export read through. */
    openCatalog: datasets.openCatalog as OpenCatalog,
    openRows: datasets.openRows,
    /** Collection's onLoaded: a dataset's record count and modified time follow a load at once. */
    afterLoad: datasets.afterLoad,
    /** The CKAN Action API (/api/3/action/, /api/action/) and the DCAT-AP export (/catalog.ttl, /catalog.jsonld). */
    mount(app: FastifyInstance) {
      mountCkanApi(app, { catalog: datasets.openCatalog, rows: datasets.openRows, clock: deps.clock });
      mountDcat(app, { catalog: datasets.openCatalog, clock: deps.clock });
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type OpeningModule = ReturnType<typeof createOpeningModule>;
