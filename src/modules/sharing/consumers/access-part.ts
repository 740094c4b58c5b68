import type { Logger } from 'pino';
import type { AnyRoute } from '../../../http/route.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { WorkCalendar } from '../../governance/index.js';
import { applicationRoutes } from '../applications/applications.routes.js';
import { createApplicationsService, type ApplicationDeadlines } from '../applications/applications.service.js';
import { startEscalationTimer } from '../applications/escalation-timer.js';
import { createGrantLookup } from '../grants/grant-lookup.js';
import { grantRoutes } from '../grants/grants.routes.js';
import { createGrantsService } from '../grants/grants.service.js';
import { createConsumerAuth } from './consumer-auth.js';
import { consumerRoutes } from './consumers.routes.js';
import { createConsumersService } from './consumers.service.js';
import { createCredentialCache } from './credential-cache.js';
import type { NonceStore } from './nonce-store.js';
import { createRedisNonceStore } from './redis-nonce-store.js';

export type AccessPartDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  calendar?: WorkCalendar;
  /** The platform key (hex): KUAIJI_SECRET_KEY or the data directory's key file. */
  platformKey: () => string;
  deadlines?: Partial<ApplicationDeadlines>;
  tokenTtlSeconds?: number;
  /** Where signed calls' nonces are kept; default: Redis when `redisUrl` is set (several gateway processes), else this process's memory. */
  nonces?: NonceStore;
  redisUrl?: string;
  redisPrefix?: string;
};

/**
 * Who may call the gateway and for what: consumer systems with their credentials and
 * authentication, access applications and their grants, wired together. Each write invalidates
 * the in-memory caches the gateway reads (credentials, grants), so it takes effect on the next call.
 */
export function createAccessPart(deps: AccessPartDeps) {
  const { db, clock, auditor } = deps;
  const secretKey = deps.platformKey();
  const cache = createCredentialCache({ db, secretKey });
  const grantLookup = createGrantLookup({ db, clock });
  const redisNonces =
    !deps.nonces && deps.redisUrl ? createRedisNonceStore({ url: deps.redisUrl, prefix: deps.redisPrefix ? `${deps.redisPrefix}nonce:` : undefined }) : null;
  const consumerAuth = createConsumerAuth({
    cache,
    clock,
    secretKey,
    tokenTtlSeconds: deps.tokenTtlSeconds,
    nonces: deps.nonces ?? redisNonces ?? undefined,
  });
  const consumers = createConsumersService({
    db,
    clock,
    auditor,
    secretKey,
    onChanged: (consumerId) => {
      cache.invalidate();
      grantLookup.invalidate(consumerId);
    },
  });
  const onGranted = (consumerId: string) => grantLookup.invalidate(consumerId);
  const applications = createApplicationsService({ db, clock, auditor, catalog: deps.catalog, calendar: deps.calendar, deadlines: deps.deadlines, onGranted });
  const grants = createGrantsService({ db, clock, auditor, onChanged: onGranted });
  const routes: AnyRoute[] = [...consumerRoutes(consumers, consumerAuth), ...applicationRoutes(applications), ...grantRoutes(grants)];
  let stopTimer: (() => void) | null = null;
  return {
    services: { sharingConsumers: consumers, sharingApplications: applications, sharingGrants: grants },
    routes,
    consumerAuth,
    grantLookup,
    start(ctx: { logger: Logger }) {
      stopTimer ??= startEscalationTimer(() => applications.escalateOverdue(), ctx.logger);
    },
    async stop() {
      stopTimer?.();
      stopTimer = null;
      await redisNonces?.close();
    },
  };
}
