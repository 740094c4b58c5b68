import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { WorkerPool } from '../../jobs/worker-pool.js';
import type { LeaseTiming } from '../../jobs/lease.js';
import type { Logger } from 'pino';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { KuaijiModule } from '../module.js';
import { collectionRoutes } from './collection.routes.js';
import { createCollectionService } from './collection.service.js';
import { figuresRoutes } from './figures/figures.routes.js';
import { createFiguresService } from './figures/figures.service.js';
import { jobRoutes } from './jobs/jobs.routes.js';
import { createJobsService } from './jobs/jobs.service.js';
import { mappingRoutes } from './mappings/mappings.routes.js';
import { createMappingsService } from './mappings/mappings.service.js';
import { createScheduler } from './sources/scheduler.js';
import { sourceRoutes } from './sources/sources.routes.js';
import { createSourcesService, type SourcesDeps } from './sources/sources.service.js';
import { resolveSourceSecurity, type SourceSecurityOptions } from './sources/security/source-security.js';
import type { DisputedKeys } from './records/record-key.js';
import { createRecordReader } from './records/record-reader.js';
import { headerSynonyms } from './mappings/header-synonyms.js';
import type { SynonymGroups } from './parsing/header-mapping.js';

export type CollectionModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** How worker threads reach the database; null (a private in-memory database) runs jobs inline. */
  databaseUrl: string | null;
  /** Where uploads and scratch files go. */
  dataDir: string;
  maxUploadBytes: number;
  concurrency?: number;
  /** The process's worker pool (shared with other modules' job kinds). */
  pool?: WorkerPool;
  /** A job's time limit when neither it nor its source sets one. */
  jobTimeLimitMs?: number | null;
  /** Job leases' length and heartbeat (ADR 0016). */
  jobLease?: LeaseTiming;
  /** How long a failed load's uploaded input is kept (ms); 72 h when absent. */
  failedInputRetentionMs?: number;
  /** Which records have an open objection (governance's; collection must not import governance). */
  disputedKeys?: DisputedKeys;
  /** Told after each successful load (governance re-scans the resource). */
  onLoaded?: (resourceId: string, jobId: string) => void;
  /** Column-name synonyms file headers are matched with (shipped list + KUAIJI_HEADER_SYNONYMS_FILE); the shipped list when absent. */
  headerSynonyms?: SynonymGroups;
  /** Options of pull sources (allowed targets, kinds for tests). */
  sources?: Partial<Omit<SourcesDeps, 'db' | 'dialect' | 'clock' | 'auditor' | 'jobs' | 'security'>> & { security?: SourceSecurityOptions };
};

/**
 * Collection 归集 (DOMAIN.md §4): uploads, pushes, pulls, jobs in the worker pool and figures.
 * Started with a serving process: jobs a killed process left behind are recovered, and due
 * pulls are triggered by the scheduler.
 */
export function createCollectionModule(deps: CollectionModuleDeps) {
  const { db, dialect, clock, auditor } = deps;
  const synonyms = deps.headerSynonyms ?? headerSynonyms();
  const sourceSecurity = resolveSourceSecurity(deps.sources?.security, deps.dataDir, deps.databaseUrl);
  let log: Logger | null = null;
  const jobs = createJobsService({
    db,
    clock,
    lease: deps.jobLease,
    // A serving process logs it; the CLI says it on stderr.
    onLeaseError: (err) =>
      log
        ? log.warn({ err }, 'a collection job lease could not be written')
        : process.stderr.write(`warning: a job lease could not be written: ${String(err)}\n`),
    auditor,
    catalog: deps.catalog,
    databaseUrl: deps.databaseUrl,
    dataDir: deps.dataDir,
    concurrency: deps.concurrency,
    sourceSecurity,
    pool: deps.pool,
    timeLimitMs: deps.jobTimeLimitMs,
    failedInputRetentionMs: deps.failedInputRetentionMs,
    onLoaded: deps.onLoaded,
    headerSynonyms: synonyms,
  });
  const mappings = createMappingsService({ db, auditor, catalog: deps.catalog, synonyms, pool: deps.pool, previewTimeLimitMs: deps.jobTimeLimitMs });
  const collection = createCollectionService({
    db,
    clock,
    auditor,
    catalog: deps.catalog,
    jobs,
    mappings,
    dataDir: deps.dataDir,
    maxUploadBytes: deps.maxUploadBytes,
    disputedKeys: deps.disputedKeys,
  });
  const sources = createSourcesService({ db, dialect, clock, auditor, jobs, catalog: deps.catalog, ...deps.sources, security: sourceSecurity });
  const figures = createFiguresService({ db, clock });
  // The record reader other modules read records through (sharing's gateway, opening's datasets).
  // Whole-file exports (downloads) stream from an export thread of their own when the database has a URL (ADR 0031).
  const reader = createRecordReader({
    db,
    auditor,
    disputedKeys: deps.disputedKeys,
    databaseUrl: deps.databaseUrl,
    changeStamp: dialect.changeStamp,
    changeStampExpression: dialect.changeStampExpression,
  });
  const services = { jobs, collection, mappings, sources, collectionFigures: figures };
  const routes = [...collectionRoutes(collection), ...jobRoutes(jobs), ...mappingRoutes(mappings), ...sourceRoutes(sources), ...figuresRoutes(figures)];
  let scheduler: ReturnType<typeof createScheduler> | null = null;

  return {
    name: 'collection',
    routes,
    services,
    reader,
    async start({ logger, background = true }) {
      log = logger;
      // A second serving process answers and runs the loads submitted to it; recovery, the lease
      // watch and the pull scheduler run in one process only (ADR 0039).
      if (!background) return;
      if (sourceSecurity.keyFileCreated)
        logger.warn(
          { file: sourceSecurity.keyFileCreated },
          "KUAIJI_SECRET_KEY is not set: generated the key of sources' secrets into this file (0600); back it up with the database",
        );
      const sealed = await sources.sealStoredSecrets();
      if (sealed > 0) logger.info({ sources: sealed }, 'encrypted the plain-text secrets of sources saved before secrets were encrypted');
      // Loads a killed process left unfinished start again, or are marked interrupted (see recover()).
      const { leftRunning, ...recovered } = await jobs.recover();
      if (Object.values(recovered).some((n) => n > 0)) logger.warn(recovered, 'collection jobs left unfinished by the last shutdown');
      // Held by another live process (a CLI load): left to it, and taken here only if its lease runs out (ADR 0016).
      if (leftRunning > 0) logger.info({ jobs: leftRunning }, 'collection jobs another process is running were left to it');
      jobs.watchLeases((r) => logger.warn(r, 'collection jobs whose process went away were recovered'));
      scheduler = createScheduler({
        sources,
        clock,
        onError: (err, run) => logger.warn({ err, sourceId: run?.sourceId }, 'a scheduled pull could not start'),
      });
      scheduler.start();
    },
    async stop() {
      await scheduler?.stop();
      await jobs.stop();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type CollectionModule = ReturnType<typeof createCollectionModule>;
