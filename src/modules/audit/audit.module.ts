import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { KuaijiModule } from '../module.js';
import { createAuditEventsService } from './audit-events.service.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditor } from './audit.service.js';

/** The audit trail: the auditor every module writes through, and its reading API for auditors. */
export function createAuditModule(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  const auditor = createAuditor(deps);
  const auditEvents = createAuditEventsService(deps);
  return { name: 'audit', routes: auditRoutes(auditEvents), services: { auditEvents }, auditor } satisfies KuaijiModule & Record<string, unknown>;
}

export type AuditModule = ReturnType<typeof createAuditModule>;
