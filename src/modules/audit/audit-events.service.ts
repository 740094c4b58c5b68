import type { Actor } from '../../shared/actor.js';
import { decodeCompositeCursor, toPage, type Page } from '../../shared/page.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../storage/dialect.js';
import { auditPolicy } from './audit.policy.js';
import { presentAuditEvent } from './audit.presenter.js';
import { createAuditRepository } from './audit.repository.js';
import type { AuditEventOut, AuditEventsQuery } from './audit.schemas.js';

/** The audit trail as auditors read it: filters on actor, action, target and time; newest first. */
export function createAuditEventsService(deps: { db: Db }) {
  const repo = createAuditRepository();
  return {
    async list(actor: Actor, query: AuditEventsQuery): Promise<Page<AuditEventOut>> {
      auditPolicy.assertCanReadTrail(actor);
      const cursor = decodeCompositeCursor(query.cursor, 1);
      const beforeId = cursor?.[0];
      if (cursor && (typeof beforeId !== 'number' || !Number.isSafeInteger(beforeId) || beforeId < 1)) {
        throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
      }
      // Stored instants are ISO strings in UTC (SQLite compares them as text).
      const instant = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());
      const rows = await repo.list(
        deps.db,
        {
          actorId: query.actor,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          from: instant(query.from),
          to: instant(query.to),
        },
        beforeId as number | undefined,
        query.limit,
      );
      return toPage(rows, query.limit, (r) => [Number(r.id)], presentAuditEvent);
    },
  };
}

export type AuditEventsService = ReturnType<typeof createAuditEventsService>;
