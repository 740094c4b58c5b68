import type { Logger } from 'pino';
import type { AnyRoute } from '../../../http/route.js';
import type { WorkerPool } from '../../../jobs/worker-pool.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordReader } from '../../collection/index.js';
import type { ThemeConsistencySink } from '../../governance/index.js';
import { themesRoutes } from '../definitions/themes.routes.js';
import { createThemesService } from '../definitions/themes.service.js';
import { createMasterReader } from './masters.reader.js';
import { mastersRoutes } from './masters.routes.js';
import { createMastersService } from './masters.service.js';
import { createSyncService } from './sync.service.js';

export type CorePartDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  records: RecordReader;
  databaseUrl: string | null;
  pool?: WorkerPool;
  jobTimeLimitMs?: number | null;
  consistency?: ThemeConsistencySink;
};

/** A: the master-data mechanism — definitions, the sync (worker pool), masters, review queue, conflicts — and the MasterReader. */
export function createCorePart(deps: CorePartDeps) {
  const sync = createSyncService({ ...deps, timeLimitMs: deps.jobTimeLimitMs });
  const themes = createThemesService({ ...deps, sync });
  const themeMasters = createMastersService({ ...deps, themes });
  const routes: AnyRoute[] = [...themesRoutes(themes), ...mastersRoutes(themeMasters)];
  return {
    masters: createMasterReader({ db: deps.db }),
    services: { themes, themeMasters, themeSync: sync },
    routes,
    afterLoad: (resourceId: string) => sync.afterLoad(resourceId),
    start: (ctx: { logger: Logger }) => sync.recover(ctx.logger),
  };
}
