import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { WorkerPool } from '../../jobs/worker-pool.js';
import type { LeaseTiming } from '../../jobs/lease.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { KuaijiModule, StartContext } from '../module.js';
import { objectionRoutes } from './objections/objections.routes.js';
import { createObjectionsService, type ObjectionSla } from './objections/objections.service.js';
import { problemRoutes } from './problems/problems.routes.js';
import { createProblemsService } from './problems/problems.service.js';
import type { WorkCalendar } from './calendar/working-days.js';
import { ruleRoutes } from './rules/rules.routes.js';
import { createRulesService } from './rules/rules.service.js';
import { createScansRepository } from './scans/scans.repository.js';
import { scanRoutes, trendRoutes } from './scans/scans.routes.js';
import { createTrendsService } from './scans/trends.js';
import { profileRoutes } from './profiles/profiles.routes.js';
import { createProfilesService } from './profiles/profiles.service.js';
import { createScansService } from './scans/scans.service.js';
import { rankingRoutes } from './ranking/ranking.routes.js';
import { createRankingService } from './ranking/ranking.service.js';
import { createScanScheduler, parseScanSchedule } from './scans/scan-schedule.js';
import { qualityFiguresRoutes } from './figures/figures.routes.js';
import { createQualityFiguresService } from './figures/figures.service.js';
import { createRecordRegistryRepository } from '../collection/index.js';

export type GovernanceModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** How worker threads reach the database; null (a private in-memory database) runs scans inline. */
  databaseUrl: string | null;
  /** The process's worker pool (shared with other modules' job kinds). */
  pool?: WorkerPool;
  jobTimeLimitMs?: number | null;
  /** Scan leases' length and heartbeat (ADR 0016). */
  jobLease?: LeaseTiming;
  /** Where scratch files go (a scan worker's record store). */
  dataDir?: string;
  /** Problems' deadline in working days (default 5), objections' SLA (2/5/10), the working-day calendar (the shipped one when absent). */
  workflow?: {
    problemDeadlineDays?: number;
    objectionSla?: Partial<ObjectionSla>;
    calendar?: WorkCalendar;
    /** KUAIJI_SCAN_SCHEDULE: the daily scan of everything, `HH:MM` China Standard Time, or `off` (absent: off). Started by start(). */
    scanSchedule?: string;
  };
};

/**
 * Governance 治理 (DOMAIN.md §5, §9): quality rules derived from the catalogue and custom ones,
 * scans of record tables (pushed-down aggregates and in-code checks in the worker pool), scores,
 * problems routed to provider departments, objections.
 */
export function createGovernanceModule(deps: GovernanceModuleDeps) {
  const { db, clock, auditor, catalog } = deps;
  const calendar = deps.workflow?.calendar;
  const problems = createProblemsService({ db, clock, auditor, catalog, deadlineDays: deps.workflow?.problemDeadlineDays, calendar });
  const objections = createObjectionsService({ db, clock, auditor, catalog, sla: deps.workflow?.objectionSla, calendar });
  const registry = createRecordRegistryRepository();
  const scansRepo = createScansRepository();
  const qualityRules = createRulesService({
    db,
    clock,
    auditor,
    catalog,
    async checkPredicate(resourceId, predicate) {
      const table = await registry.findTable(db, resourceId);
      if (!table) return;
      try {
        await scansRepo.tryPredicate(db, table.table_name, predicate);
      } catch (err) {
        throw new AppError('VALIDATION_FAILED', `The SQL predicate does not run on this resource's records: ${(err as Error).message}`, {
          errors: [{ path: 'body.predicate', code: 'invalid_value', message: (err as Error).message }],
        });
      }
    },
  });
  const scans = createScansService({
    db,
    lease: deps.jobLease,
    clock,
    auditor,
    catalog,
    rules: qualityRules,
    databaseUrl: deps.databaseUrl,
    dataDir: deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data'),
    pool: deps.pool,
    timeLimitMs: deps.jobTimeLimitMs,
    problemSink: () => problems,
  });
  const qualityProfiles = createProfilesService({
    db,
    clock,
    auditor,
    catalog,
    databaseUrl: deps.databaseUrl,
    dataDir: deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data'),
    pool: deps.pool,
    timeLimitMs: deps.jobTimeLimitMs,
    lease: deps.jobLease,
  });
  const qualityTrends = createTrendsService({ db, catalog });
  const qualityRanking = createRankingService({ db, clock, catalog });
  const qualityFigures = createQualityFiguresService({ db, clock, catalog, rules: qualityRules });
  const scheduleAt = parseScanSchedule(deps.workflow?.scanSchedule ?? 'off');
  let log: Logger | null = null;
  const scanScheduler =
    scheduleAt === null
      ? null
      : createScanScheduler({
          clock,
          minuteOfDay: scheduleAt,
          scans: { scanOfAllInProgress: () => scans.scanOfAllInProgress(), startScanOfAll: () => scans.start(SYSTEM_ACTOR, {}) },
          onTick: (t) =>
            log?.info(
              { scanId: t.started, skipped: t.skipped },
              t.started ? 'scheduled quality scan started' : 'scheduled quality scan skipped: a scan of everything is running',
            ),
          onError: (err) => log?.error({ err }, 'scheduled quality scan could not start'),
        });
  const services = { problems, objections, qualityRules, scans, qualityProfiles, qualityTrends, qualityRanking, qualityFigures };
  const routes: AnyRoute[] = [
    ...ruleRoutes(qualityRules),
    ...scanRoutes(scans),
    ...trendRoutes(qualityTrends),
    ...profileRoutes(qualityProfiles),
    ...problemRoutes(problems),
    ...objectionRoutes(objections),
    ...rankingRoutes(qualityRanking),
    ...qualityFiguresRoutes(qualityFigures),
  ];

  return {
    name: 'governance',
    routes,
    services,
    async start(ctx?: StartContext) {
      log = ctx?.logger ?? null;
      // Every serving process re-scans what its own loads changed; recovery and the daily scan run in one (ADR 0039).
      if (ctx?.background !== false) {
        await scans.recover();
        await qualityProfiles.recover();
      }
      scans.enableAfterLoad();
      if (ctx?.background !== false) scanScheduler?.start();
    },
    async stop() {
      await scanScheduler?.stop();
      await scans.idle();
      await qualityProfiles.idle();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type GovernanceModule = ReturnType<typeof createGovernanceModule>;
