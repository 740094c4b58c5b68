import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { createAuditModule } from './modules/audit/index.js';
import { createCatalogModule } from './modules/catalog/index.js';
import { createCollectionModule, headerSynonymsFromConfig, type CollectionModuleDeps } from './modules/collection/index.js';
import { calendarFromConfig, createGovernanceModule, createThemeConsistencySink, type GovernanceModuleDeps } from './modules/governance/index.js';
import { createIdentityModule } from './modules/identity/index.js';
import { createOpeningModule, type OpeningModuleDeps } from './modules/opening/index.js';
import { createThemesModule } from './modules/themes/index.js';
import { createSharingModule, type CallAuditOptions, type SharingModuleDeps } from './modules/sharing/index.js';
import type { KuaijiModule } from './modules/module.js';
import { createWorkerPool } from './jobs/worker-pool.js';
import { leaseTiming, type LeaseTiming } from './jobs/lease.js';
import { SYSTEM_ACTOR } from './shared/actor.js';
import { systemClock, type Clock } from './shared/clock.js';
import { openStorage } from './storage/database.js';
import type { Storage } from './storage/dialect.js';

/** The only place concrete things are wired together. Tests call buildServices() with their own storage and clock. */
export type ServiceOptions = {
  /** Where uploads and scratch files go; tests pass a temporary directory. */
  dataDir?: string;
  maxUploadBytes?: number;
  collectionConcurrency?: number;
  /** Heap limit of each worker thread of the job pool (MB). */
  workerHeapMb?: number;
  /** A job's time limit when neither it nor its source sets one (ms). */
  jobTimeLimitMs?: number | null;
  /** How long a failed load's uploaded input is kept (ms). */
  failedInputRetentionMs?: number;
  /** Job leases' length and heartbeat (ADR 0016); 30 s and 5 s when absent. */
  jobLease?: LeaseTiming;
  /** Options of pull sources (allowed targets; kinds for tests). */
  sources?: CollectionModuleDeps['sources'];
  /** Column-name synonyms that file headers are matched with; the shipped list when absent. */
  headerSynonyms?: CollectionModuleDeps['headerSynonyms'];
  /** Problems' deadline, objections' SLA and the working-day calendar (governance). */
  governance?: GovernanceModuleDeps['workflow'];
  /** Open-API app limits, public users' session lifetime, the statistics' flush interval (opening). */
  openCommunity?: OpeningModuleDeps['community'];
  /** Upstream interfaces' circuit breaker and answer cap (their allowed targets are the sources' KUAIJI_SOURCE_ALLOW). */
  upstream?: SharingModuleDeps['upstream'];
  /** The sharing gateway's call audit: retention and batching. */
  callAudit?: CallAuditOptions;
  /** The sharing gateway's call counters (KUAIJI_REDIS_URL: shared by several processes) and caches. */
  gateway?: SharingModuleDeps['gateway'];
  /** KUAIJI_REDIS_URL: failed sign-ins (console and open portal) counted in Redis, shared by several processes. */
  loginThrottleRedis?: { url: string; prefix?: string };
  /** Access applications' working-day deadlines (KUAIJI_SHARING_COMPLIANCE_DAYS, KUAIJI_SHARING_REVIEW_DAYS). */
  sharingDeadlines?: { complianceDays: number; reviewDays: number };
};

/**
 * Builds every module over one storage. Modules see each other only through what their factory
 * returns (their readers); the flat `Services` object is what routes, the CLI and tests call.
 */
export function buildModules(storage: Storage, clock: Clock = systemClock, options: ServiceOptions = {}) {
  const { db, dialect } = storage;
  const audit = createAuditModule({ db, dialect, clock });
  const auditor = audit.auditor;
  const base = { db, dialect, clock, auditor };
  const identity = createIdentityModule({ ...base, loginThrottleRedis: options.loginThrottleRedis });
  // One worker pool for every module's job kinds (collection loads, catalogue imports …).
  const pool = createWorkerPool({ concurrency: options.collectionConcurrency ?? 2, heapMb: options.workerHeapMb });
  const jobTimeLimitMs = options.jobTimeLimitMs ?? null;
  const jobLease = options.jobLease;
  const catalog = createCatalogModule({ ...base, pool, jobTimeLimitMs });
  const collection = createCollectionModule({
    ...base,
    pool,
    jobTimeLimitMs,
    jobLease,
    catalog: catalog.reader,
    databaseUrl: storage.url,
    dataDir: options.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data'),
    maxUploadBytes: options.maxUploadBytes ?? 20 * 1024 ** 3,
    concurrency: options.collectionConcurrency,
    failedInputRetentionMs: options.failedInputRetentionMs,
    sources: options.sources,
    headerSynonyms: options.headerSynonyms,
    // Records under an open objection are marked in reads; governance is built below (it reads collection).
    disputedKeys: (resourceId, keys, stamp) => governance.services.objections.disputedKeys(resourceId, keys, stamp),
    // A successful load re-scans its resource (in a serving process: the governance module's start enables it).
    onLoaded: (resourceId) => {
      opening.afterLoad(resourceId);
      themes.afterLoad(resourceId);
      return governance.services.scans.afterLoad(resourceId);
    },
  });
  const governance = createGovernanceModule({
    ...base,
    pool,
    jobTimeLimitMs,
    jobLease,
    catalog: catalog.reader,
    databaseUrl: storage.url,
    dataDir: options.dataDir,
    workflow: options.governance,
  });
  const sharing = createSharingModule({
    ...base,
    catalog: catalog.reader,
    records: collection.reader,
    calendar: options.governance?.calendar,
    callAudit: options.callAudit,
    databaseUrl: storage.url,
    // Consumers' secrets are sealed with the same platform key as sources' (KUAIJI_SECRET_KEY or the data directory's key file).
    secretKey: options.sources?.security?.secretKey,
    dataDir: options.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data'),
    applicationDeadlines: options.sharingDeadlines,
    upstream: { allow: options.sources?.security?.allow, ...options.upstream },
    gateway: options.gateway,
  });
  const opening = createOpeningModule({
    ...base,
    catalog: catalog.reader,
    records: collection.reader,
    community: options.openCommunity,
    loginThrottleRedis: options.loginThrottleRedis,
    // An error report (纠错) on an open dataset that names a record opens an objection from the public (with the reporter's contact).
    openObjection: (input) => governance.services.objections.submit(null, input),
    objectionStatus: async (id) => (await governance.services.objections.get(SYSTEM_ACTOR, id)).status,
  });
  const themes = createThemesModule({
    ...base,
    // The one-ID query's consumer route authenticates, authorises and audits as the sharing gateway does.
    gateway: sharing.access,
    catalog: catalog.reader,
    records: collection.reader,
    databaseUrl: storage.url,
    pool,
    jobTimeLimitMs,
    jobLease,
    dataDir: options.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data'),
    // Conflicts between a theme's member sources become consistency problems (一致性) of the provider departments.
    consistency: createThemeConsistencySink(governance.services.problems),
  });
  return {
    auditor,
    audit,
    identity,
    catalog,
    collection,
    governance,
    sharing,
    opening,
    themes,
    list: [catalog, collection, governance, sharing, opening, themes, identity, audit] as const satisfies readonly KuaijiModule[],
  };
}

export type Modules = ReturnType<typeof buildModules>;

export function buildServices(storage: Storage, clock: Clock = systemClock, options: ServiceOptions = {}) {
  const modules = buildModules(storage, clock, options);
  return {
    storage,
    clock,
    auditor: modules.auditor,
    modules: modules.list as readonly KuaijiModule[],
    catalogReader: modules.catalog.reader,
    ...modules.identity.services,
    ...modules.catalog.services,
    ...modules.collection.services,
    ...modules.governance.services,
    ...modules.sharing.services,
    ...modules.opening.services,
    ...modules.themes.services,
    ...modules.audit.services,
  };
}

export type Services = ReturnType<typeof buildServices>;

export const serviceOptions = (config: Config): ServiceOptions => ({
  dataDir: config.dataDir,
  maxUploadBytes: config.uploadLimitBytes,
  collectionConcurrency: config.collectionWorkers,
  workerHeapMb: config.workerHeapMb,
  jobTimeLimitMs: config.jobTimeLimitS * 1000,
  failedInputRetentionMs: config.failedInputRetentionH * 3_600_000,
  callAudit: { retentionDays: config.auditRetentionDays },
  gateway: { redisUrl: config.redisUrl },
  ...(config.redisUrl ? { loginThrottleRedis: { url: config.redisUrl } } : {}),
  openCommunity: { appLimits: config.openAppLimits },
  sharingDeadlines: { complianceDays: config.sharingComplianceDays, reviewDays: config.sharingReviewDays },
  jobLease: leaseTiming(config.jobLeaseS, config.jobHeartbeatS),
  upstream: { breaker: { threshold: config.upstreamFailures, cooldownMs: config.upstreamCooldownS * 1000 } },
  sources: { security: { allow: config.sourceAllow, secretKey: config.secretKey } },
  // The shipped column-name synonyms with KUAIJI_HEADER_SYNONYMS_FILE's (a bad file stops here, naming it).
  headerSynonyms: headerSynonymsFromConfig(config),
  // Shipped holidays and make-up working days, with KUAIJI_CALENDAR_FILE's (a bad file stops here, naming it).
  governance: {
    calendar: calendarFromConfig(config),
    problemDeadlineDays: config.problemDeadlineDays,
    objectionSla: config.objectionSla,
    scanSchedule: config.scanSchedule,
  },
});

export type Deps = { config: Config; logger: Logger; services: Services };

export function buildDeps(config: Config): Deps {
  // A serving process checkpoints SQLite's log from a thread of its own (ADR 0017).
  const storage = openStorage(config.databaseUrl, { sqliteBusyWaitMs: config.sqliteBusyWaitMs, sqliteCheckpointEveryMs: 30_000 });
  return { config, logger: pino({ level: config.logLevel }), services: buildServices(storage, systemClock, serviceOptions(config)) };
}

/**
 * What the primary of several serving processes needs (ADR 0039): the database, to migrate it,
 * and the identity service, to make sure of the first administrator — no other module, worker
 * pool, checkpointer thread or Redis connection: it serves nothing.
 */
export function buildPrimaryDeps(config: Config) {
  const storage = openStorage(config.databaseUrl, { sqliteBusyWaitMs: config.sqliteBusyWaitMs });
  const auditor = createAuditModule({ db: storage.db, dialect: storage.dialect, clock: systemClock }).auditor;
  const { identity } = createIdentityModule({ db: storage.db, clock: systemClock, auditor }).services;
  return { config, logger: pino({ level: config.logLevel }), storage, identity };
}
