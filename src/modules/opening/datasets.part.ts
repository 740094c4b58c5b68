import { AppError } from '../../errors.js';
import type { AnyRoute } from '../../http/route.js';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { OpenAccess, OpenStats } from './contracts.js';
import { downloadsRoutes } from './downloads/downloads.routes.js';
import { createDownloadsService } from './downloads/downloads.service.js';
import { portalRoutes } from './portal/portal.routes.js';
import { createPortalService } from './portal/portal.service.js';
import type { ViewerOf } from './datasets/viewer.js';
import { datasetsRoutes } from './datasets/datasets.routes.js';
import { createDatasetsService } from './datasets/datasets.service.js';
import { createOpenCatalog } from './datasets/open-catalog.js';
import { createOpenRows } from './datasets/open-rows.js';
import { createCursorSeal } from './datasets/sealed-cursor.js';

/** Until the community part answers: nobody holds a RESTRICTED application, no app key is known. */
export const DENY_ACCESS: OpenAccess = {
  restrictedAllowed: async () => false,
  appFor: async () => {
    throw new AppError('UNAUTHENTICATED', 'Open-API app keys are not available on this server');
  },
};
export const NO_STATS: OpenStats = { count: () => undefined };

export type DatasetsPartDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  records: RecordReader;
  /** Read at each use, so the module may build the community part after this one. */
  access: () => OpenAccess;
  stats: () => OpenStats;
  /** The public user of a request (the community part's sessions); anonymous when absent. */
  viewer?: () => ViewerOf;
  /** Seals the row API's cursors; a random key per process when absent. */
  cursorKey?: Buffer;
};

/**
 * Open datasets, the portal, search and downloads, built as one part of the opening module:
 * the OpenCatalog and OpenRows that the CKAN API and the DCAT export read through, the
 * publication service and the routes.
 */
export function createDatasetsPart(deps: DatasetsPartDeps) {
  const openCatalog = createOpenCatalog(deps);
  const access: OpenAccess = {
    restrictedAllowed: (userId, datasetId) => deps.access().restrictedAllowed(userId, datasetId),
    appFor: (appKey) => deps.access().appFor(appKey),
  };
  const openRows = createOpenRows({ catalog: openCatalog, records: deps.records, access, seal: createCursorSeal(deps.cursorKey) });
  const service = createDatasetsService({ ...deps, openCatalog });
  const session: ViewerOf = (request) => (deps.viewer ? deps.viewer()(request) : Promise.resolve(null));
  const portal = createPortalService({ catalog: openCatalog, rows: openRows, access, stats: deps.stats });
  const downloads = createDownloadsService({ catalog: openCatalog, access, records: deps.records, stats: deps.stats });
  const routes: AnyRoute[] = [...datasetsRoutes(service), ...portalRoutes(portal, access, session), ...downloadsRoutes(downloads, access, session)];
  return {
    openCatalog,
    openRows,
    service,
    routes,
    /** A load changed a resource's records: its dataset's count and modified time are read again. */
    afterLoad: (_resourceId: string) => openCatalog.invalidate(),
  };
}
