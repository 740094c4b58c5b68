import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createCollectionService } from './modules/collection/collection.service.js';
import { createJobsService } from './modules/collection/jobs/jobs.service.js';
import { createFiguresService } from './modules/collection/figures/figures.service.js';
import { createSourcesService } from './modules/collection/sources/sources.service.js';
import type { Config } from './config.js';
import { createAuditor } from './modules/audit/audit.service.js';
import { createDepartmentsService } from './modules/catalog/departments/departments.service.js';
import { createCatalogExcelService } from './modules/catalog/excel/excel.service.js';
import { createRegionsService } from './modules/catalog/regions/regions.service.js';
import { createResourcesService } from './modules/catalog/resources/resources.service.js';
import { createSystemsService } from './modules/catalog/systems/systems.service.js';
import { createIdentityService } from './modules/identity/identity.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import { openStorage } from './storage/database.js';
import type { Storage } from './storage/dialect.js';
import { createEditionsService } from './modules/catalog/editions/editions.service.js';
import { createStatsService } from './modules/catalog/stats/stats.service.js';

/** The only place concrete things are wired together. Tests call buildServices() with their own storage and clock. */
export type ServiceOptions = {
  /** Where uploads and scratch files go; tests pass a temporary directory. */
  dataDir?: string;
  maxUploadBytes?: number;
  collectionConcurrency?: number;
};

export function buildServices(storage: Storage, clock: Clock = systemClock, options: ServiceOptions = {}) {
  const { db, dialect } = storage;
  const auditor = createAuditor({ db, dialect, clock });
  const base = { db, dialect, clock, auditor };
  const regions = createRegionsService(base);
  const departments = createDepartmentsService(base);
  const systems = createSystemsService(base);
  const resources = createResourcesService(base);
  const dataDir = options.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data');
  const jobs = createJobsService({ db, clock, auditor, databaseUrl: storage.url, dataDir, concurrency: options.collectionConcurrency });
  const collection = createCollectionService({ db, clock, auditor, jobs, dataDir, maxUploadBytes: options.maxUploadBytes ?? 20 * 1024 ** 3 });
  const sources = createSourcesService({ db, dialect, clock, auditor, jobs });
  return {
    storage,
    clock,
    auditor,
    identity: createIdentityService(base),
    regions,
    departments,
    systems,
    resources,
    catalogExcel: createCatalogExcelService({ db, clock, resources }),
    jobs,
    collection,
    sources,
    collectionFigures: createFiguresService({ db, clock }),
    editions: createEditionsService(base),
    stats: createStatsService(base),
  };
}

export type Services = ReturnType<typeof buildServices>;

export const serviceOptions = (config: Config): ServiceOptions => ({
  dataDir: config.dataDir,
  maxUploadBytes: config.uploadLimitBytes,
  collectionConcurrency: config.collectionWorkers,
});

export type Deps = { config: Config; logger: Logger; services: Services };

export function buildDeps(config: Config): Deps {
  const logger = pino({ level: config.logLevel });
  const storage = openStorage(config.databaseUrl);
  return { config, logger, services: buildServices(storage, systemClock, serviceOptions(config)) };
}
