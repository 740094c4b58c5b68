import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { WorkCalendar } from '../governance/index.js';
import type { KuaijiModule } from '../module.js';
import { createCallAudit, type CallAuditOptions } from './audit/call-audit.js';
import { loadSecretKey } from '../../shared/secret-box.js';
import type { ApplicationDeadlines } from './applications/applications.service.js';
import { createAccessPart } from './consumers/access-part.js';
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
  /** KUAIJI_SECRET_KEY (hex or base64): seals consumers' secrets, signs access tokens; absent, `<dataDir>/source-secret.key`. */
  secretKey?: string;
  /** The data directory (where the generated platform key lives when KUAIJI_SECRET_KEY is not set). */
  dataDir?: string;
  /** Working days of applications' compliance check and provider review (KUAIJI_SHARING_COMPLIANCE_DAYS / _REVIEW_DAYS). */
  applicationDeadlines?: Partial<ApplicationDeadlines>;
  /** Upstream interfaces: targets on this machine's side they may reach (KUAIJI_SOURCE_ALLOW), circuit breaker, answer cap. */
  upstream?: UpstreamOptions;
};

/**
 * Sharing 共享 (DOMAIN.md §6, issue 10): consumer systems and their credentials, access
 * applications and approvals, grants, generated and upstream interfaces, and the gateway under
 * `/gateway/` (authenticate → authorise → quota → query → mask → audit → count).
 */
export function createSharingModule(deps: SharingModuleDeps) {
  // Consumers, credentials, applications and grants: who may call the gateway, and for what.
  const access = createAccessPart({ ...deps, deadlines: deps.applicationDeadlines, platformKey: () => loadSecretKey(deps.secretKey, deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data')).key });
  const callAudit = createCallAudit(deps, deps.callAudit);
  let key: string | undefined;
  const secretKey = () => (key ??= loadSecretKey(deps.secretKey, deps.dataDir ?? path.join(os.tmpdir(), 'kuaiji-data')).key);
  const upstream = createUpstreamProxy({ clock: deps.clock, secretKey, options: deps.upstream });
  const figures = createSharingFiguresService(deps);
  const services = { sharingCalls: callAudit.service, ...access.services, sharingFigures: figures };
  const routes: AnyRoute[] = [...callAudit.routes, ...access.routes, ...sharingFiguresRoutes(figures)];
  return {
    name: 'sharing',
    routes,
    services,
    /** The gateway hands every call to it; batched off the hot path, flushed on stop. */
    callRecorder: callAudit.recorder,
    /** Removes calls past retention now (a serving process does it daily). */
    sweepCalls: callAudit.sweep,
    /** The gateway's authentication (bearer token or HMAC signature) and grant lookups: cached, invalidated by this module's writes. */
    consumerAuth: access.consumerAuth,
    grantLookup: access.grantLookup,
    /** Upstream interfaces' proxy (timeouts, circuit breaker, credentials); `checkTarget(url)` refuses a URL it would refuse to call. */
    upstreamProxy: upstream,
    async start(ctx: { logger: Logger }) {
      callAudit.start(ctx);
      access.start(ctx);
    },
    async stop() {
      access.stop();
      await callAudit.stop();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type SharingModule = ReturnType<typeof createSharingModule>;
