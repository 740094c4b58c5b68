import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { WorkCalendar } from '../governance/index.js';
import type { KuaijiModule, StartContext } from '../module.js';
import { createCallAudit, type CallAuditOptions } from './audit/call-audit.js';
import { createAccessPart } from './consumers/access-part.js';
import type { ApplicationDeadlines } from './applications/applications.service.js';
import { loadSecretKey } from '../../shared/secret-box.js';
import { createGateway, type GatewayOptions } from './gateway/create-gateway.js';
import { createGatewayAccess } from './gateway-access.js';
import { interfaceRoutes } from './interfaces/interfaces.routes.js';
import { createInterfacesService } from './interfaces/interfaces.service.js';
import { createUpstreamProxy, type UpstreamOptions } from './upstream/upstream-proxy.js';
import { sharingFiguresRoutes } from './figures/figures.routes.js';
import { createSharingFiguresService } from './figures/figures.service.js';

export type SharingModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Collection's record reader: the one way the gateway reads records. */
  records: RecordReader;
  /** Governance's working-day calendar (application deadlines); the shipped one when absent. */
  calendar?: WorkCalendar;
  /** The gateway's call audit: retention (KUAIJI_AUDIT_RETENTION_DAYS) and batching. */
  callAudit?: CallAuditOptions;
  /** How another thread opens the database (Storage.url): the call audit is written from a thread of its own (ADR 0030); null: inline. */
  databaseUrl?: string | null;
  /** KUAIJI_SECRET_KEY (hex or base64): seals consumers' secrets, signs access tokens; absent, `<dataDir>/source-secret.key`. */
  secretKey?: string;
  /** The data directory (where the generated platform key lives when KUAIJI_SECRET_KEY is not set). */
  dataDir?: string;
  /** Working days of applications' compliance check and provider review (KUAIJI_SHARING_COMPLIANCE_DAYS / _REVIEW_DAYS). */
  applicationDeadlines?: Partial<ApplicationDeadlines>;
  /** The gateway's call counters (in memory, or Redis with KUAIJI_REDIS_URL) and caches. */
  gateway?: GatewayOptions;
  /** Upstream interfaces: targets on this machine's side they may reach (KUAIJI_SOURCE_ALLOW), circuit breaker, answer cap. */
  upstream?: UpstreamOptions;
};

/**
 * Sharing 共享 (DOMAIN.md §6, issue 10): consumer systems and their credentials, access
 * applications and approvals, grants, generated and upstream interfaces, and the gateway under
 * `/gateway/` (authenticate → authorise → quota → query → mask → audit → count).
 */
export function createSharingModule(deps: SharingModuleDeps) {
  void deps;
  const callAudit = createCallAudit(deps, deps.callAudit);
  // Consumers, credentials, applications and grants: who may call the gateway, and for what.
  const access = createAccessPart({
    ...deps,
    deadlines: deps.applicationDeadlines,
    redisUrl: deps.gateway?.redisUrl,
    redisPrefix: deps.gateway?.redisPrefix,
    platformKey: () => loadSecretKey(deps.secretKey, deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data')).key,
  });
  // Interfaces and the gateway: the hot path reads interfaces and catalogue entries through a cache that sharing's writes empty.
  let key: string | undefined;
  const secretKey = () => (key ??= loadSecretKey(deps.secretKey, deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data')).key);
  const interfaces = createInterfacesService({ ...deps, secretKey, onChange: () => gateway.clear() });
  const upstream = createUpstreamProxy({ clock: deps.clock, secretKey, options: deps.upstream });
  const figures = createSharingFiguresService(deps);
  const gateway = createGateway({
    ...deps,
    published: interfaces.published,
    auth: access.consumerAuth,
    grants: access.grantLookup,
    calls: callAudit.recorder,
    upstream,
    secretKey,
    options: deps.gateway,
  });
  const services = { sharingCalls: callAudit.service, ...access.services, sharingInterfaces: interfaces, sharingFigures: figures };
  const routes: AnyRoute[] = [...callAudit.routes, ...access.routes, ...interfaceRoutes(interfaces), ...sharingFiguresRoutes(figures)];
  return {
    name: 'sharing',
    routes,
    services,
    /** The gateway hands every call to it; batched off the hot path, flushed on stop. */
    callRecorder: callAudit.recorder,
    /** The gateway's authentication (bearer token or HMAC signature) and grant lookups: cached, invalidated by this module's writes. */
    consumerAuth: access.consumerAuth,
    grantLookup: access.grantLookup,
    /** The gateway's authentication, purpose, grants, record access and call audit, for other modules' `/gateway/` routes (the one-ID query). */
    access: createGatewayAccess({ clock: deps.clock, auth: access.consumerAuth, grants: access.grantLookup, calls: callAudit.recorder }),
    /** Upstream interfaces' proxy (timeouts, circuit breaker, credentials); `checkTarget(url)` refuses a URL it would refuse to call. */
    upstreamProxy: upstream,
    /** Removes calls past retention now (a serving process does it daily). */
    sweepCalls: callAudit.sweep,
    /** The gateway under /gateway/ (buildApp mounts it). */
    mount: (app: FastifyInstance) => gateway.mount(app),
    async start(ctx: StartContext) {
      // Each serving process writes its own calls into the one chain (the writer takes the chain's
      // head in its transaction); overdue applications escalate from one process only (ADR 0039).
      callAudit.start(ctx);
      if (ctx.background !== false) access.start(ctx);
    },
    async stop() {
      await access.stop();
      await callAudit.stop();
      await gateway.close();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type SharingModule = ReturnType<typeof createSharingModule>;
