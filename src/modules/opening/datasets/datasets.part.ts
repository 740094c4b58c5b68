import { AppError } from '../../../errors.js';
import type { AnyRoute } from '../../../http/route.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordReader } from '../../collection/index.js';
import type { OpenAccess, OpenStats } from '../contracts.js';
import { datasetsRoutes } from './datasets.routes.js';
import { createDatasetsService } from './datasets.service.js';
import { createOpenCatalog } from './open-catalog.js';
import { createOpenRows } from './open-rows.js';
import { createCursorSeal } from './sealed-cursor.js';

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
  const routes: AnyRoute[] = [...datasetsRoutes(service)];
  return {
    openCatalog,
    openRows,
    service,
    routes,
    /** A load changed a resource's records: its dataset's count and modified time are read again. */
    afterLoad: (_resourceId: string) => openCatalog.invalidate(),
  };
}
