import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { WorkerPool } from '../../jobs/worker-pool.js';
import type { Auditor } from '../audit/index.js';
import type { KuaijiModule } from '../module.js';
import { createCatalogReader } from './catalog-reader.js';
import { createDepartmentsService } from './departments/departments.service.js';
import { departmentRoutes } from './departments/departments.routes.js';
import { createEditionsService } from './editions/editions.service.js';
import { editionRoutes } from './editions/editions.routes.js';
import { createCatalogExcelService } from './excel/excel.service.js';
import { catalogExcelRoutes } from './excel/excel.routes.js';
import { createRegionsService } from './regions/regions.service.js';
import { regionRoutes } from './regions/regions.routes.js';
import { createResourcesService } from './resources/resources.service.js';
import { resourceRoutes } from './resources/resources.routes.js';
import { createStatsService } from './stats/stats.service.js';
import { statsRoutes } from './stats/stats.routes.js';
import { createSystemsService } from './systems/systems.service.js';
import { systemRoutes } from './systems/systems.routes.js';

export type CatalogModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  /** The process's worker pool: Excel imports read their workbook there. */
  pool?: WorkerPool;
  jobTimeLimitMs?: number | null;
};

/** The data catalogue (DOMAIN.md §3): its services, its routes, and the reader other modules use. */
export function createCatalogModule(deps: CatalogModuleDeps) {
  const regions = createRegionsService(deps);
  const departments = createDepartmentsService(deps);
  const systems = createSystemsService(deps);
  const resources = createResourcesService(deps);
  const catalogExcel = createCatalogExcelService({ db: deps.db, clock: deps.clock, resources, pool: deps.pool, timeLimitMs: deps.jobTimeLimitMs });
  const editions = createEditionsService(deps);
  const stats = createStatsService(deps);
  const services = { regions, departments, systems, resources, catalogExcel, editions, stats };
  const routes = [
    ...regionRoutes(regions),
    ...departmentRoutes(departments),
    ...systemRoutes(systems),
    ...resourceRoutes(resources),
    ...catalogExcelRoutes(catalogExcel),
    ...editionRoutes(editions),
    ...statsRoutes(stats),
  ];
  return { name: 'catalog', routes, services, reader: createCatalogReader(deps) } satisfies KuaijiModule & Record<string, unknown>;
}

export type CatalogModule = ReturnType<typeof createCatalogModule>;
