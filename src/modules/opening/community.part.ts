import type { AnyRoute } from '../../http/route.js';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import { openApplicationRoutes } from './applications/applications.routes.js';
import { createOpenApplicationsService } from './applications/applications.service.js';
import { openAppRoutes } from './apps/apps.routes.js';
import { createOpenAppsService, type AppLimitDefaults } from './apps/apps.service.js';
import type { OpenAccess, OpenCatalog, OpenStats } from './contracts.js';
import { openFeedbackRoutes } from './feedback/feedback.routes.js';
import { createOpenFeedbackService, type ObjectionStatus, type OpenObjection } from './feedback/feedback.service.js';
import { createOpenCompetitionsService } from './scenarios/competitions.service.js';
import { openScenarioRoutes } from './scenarios/scenarios.routes.js';
import { createOpenScenariosService } from './scenarios/scenarios.service.js';
import { createEventCounter } from './stats/event-counter.js';
import { createOpenStatsRepository } from './stats/stats.repository.js';
import { openStatsRoutes } from './stats/stats.routes.js';
import { createOpenStatsService } from './stats/stats.service.js';
import { DEFAULT_LOGIN_THROTTLE, type ThrottleOptions } from '../../shared/login-throttle.js';
import { createRedisLoginThrottle } from '../../shared/redis-login-throttle.js';
import { createOpenViewer } from './users/open-viewer.js';
import { openUserRoutes } from './users/users.routes.js';
import { createOpenUsersService } from './users/users.service.js';

export type CommunityOptions = {
  /** Limits of a new app (per second, per day). */
  appLimits?: Partial<AppLimitDefaults>;
  /** How long a public user's session token lives (ms; 7 days by default). */
  sessionTtlMs?: number;
  loginThrottle?: ThrottleOptions;
  /** How often counted events and app calls are written (ms; 10 s by default). */
  flushEveryMs?: number;
};

export type CommunityPartDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  /** The open catalogue, read at each use (the datasets part is built beside this one). */
  openCatalog: () => Pick<OpenCatalog, 'dataset' | 'datasets'>;
  /** Governance's objections: an error report with a record key opens one; its state shows on the report. */
  openObjection?: OpenObjection;
  objectionStatus?: ObjectionStatus;
  options?: CommunityOptions;
  /** KUAIJI_REDIS_URL: public users' failed logins counted in Redis, shared by every serving process (ADR 0039). */
  loginThrottleRedis?: { url: string; prefix?: string };
};

/**
 * Opening's community part: public users and sessions, apps and keys, restricted-open
 * applications, scenarios and competitions, feedback and error reports, statistics. It answers OpenAccess and OpenStats for the datasets part.
 */
export function createCommunityPart(deps: CommunityPartDeps) {
  const { db, clock, auditor } = deps;
  const options = deps.options ?? {};
  const throttleStore = deps.loginThrottleRedis
    ? createRedisLoginThrottle(deps.loginThrottleRedis, () => clock.now().getTime(), options.loginThrottle ?? DEFAULT_LOGIN_THROTTLE, 'OPEN_LOGIN_THROTTLED')
    : undefined;
  const users = createOpenUsersService({ db, clock, auditor, options: { sessionTtlMs: options.sessionTtlMs, throttle: options.loginThrottle, throttleStore } });
  const viewers = createOpenViewer(users);
  const apps = createOpenAppsService({ db, clock, auditor, limits: options.appLimits });
  const datasets = { dataset: (idOrName: string) => deps.openCatalog().dataset(idOrName), datasets: () => deps.openCatalog().datasets() };
  const applications = createOpenApplicationsService({ db, clock, auditor, datasets });
  const scenarios = createOpenScenariosService({ db, clock, auditor, datasets });
  const competitions = createOpenCompetitionsService({ db, clock, auditor, datasets });
  const feedback = createOpenFeedbackService({ db, clock, auditor, datasets, openObjection: deps.openObjection, objectionStatus: deps.objectionStatus });
  const statsRepo = createOpenStatsRepository();
  const counter = createEventCounter({ now: () => clock.now().getTime(), write: (rows) => statsRepo.add(db, rows) });

  /** Writes counted events and accepted app calls; both keep what a failed write did not store. */
  async function flush(): Promise<void> {
    const results = await Promise.allSettled([counter.flush(), apps.flushUsage()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  const stats = createOpenStatsService({ db, datasets: () => datasets, flush });

  const openAccess: OpenAccess = { restrictedAllowed: applications.restrictedAllowed, appFor: apps.appFor };
  const openStats: OpenStats = { count: counter.count };
  const routes: AnyRoute[] = [
    ...openUserRoutes(users, viewers),
    ...openAppRoutes(apps, viewers),
    ...openApplicationRoutes(applications, viewers),
    ...openScenarioRoutes(scenarios, competitions, viewers),
    ...openFeedbackRoutes(feedback, viewers),
    ...openStatsRoutes(stats),
  ];

  let timer: NodeJS.Timeout | null = null;
  return {
    routes,
    services: {
      openUsers: users,
      openApps: apps,
      openApplications: applications,
      openScenarios: scenarios,
      openCompetitions: competitions,
      openFeedback: feedback,
      openStatsReport: stats,
    },
    openAccess,
    openStats,
    /** Resolves the public user of a request (Authorization: Bearer kjo_…), for every opening part. */
    openViewer: viewers,
    flush,
    /** In a serving process: flush every `flushEveryMs`; a failed flush keeps its counts for the next. */
    start(onError: (err: unknown) => void) {
      timer ??= setInterval(() => void flush().catch(onError), options.flushEveryMs ?? 10_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
      await throttleStore?.close();
    },
  };
}

export type CommunityPart = ReturnType<typeof createCommunityPart>;
