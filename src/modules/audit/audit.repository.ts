import type { Insertable } from 'kysely';
import type { Db } from '../../storage/dialect.js';
import type { AuditTable } from '../../storage/schema.js';

export type AuditEventFilter = {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** ISO instants, inclusive from, exclusive to. */
  from?: string;
  to?: string;
};

/** The audit trail: rows are only ever appended (by the auditor) and read (by auditors). */
export function createAuditRepository() {
  return {
    append: (db: Db, row: Insertable<AuditTable>) => db.insertInto('audit_events').values(row).execute(),
    /** Newest first, keyset-paged by id; fetches `limit + 1` rows. */
    list(db: Db, filter: AuditEventFilter, beforeId: number | undefined, limit: number) {
      let q = db.selectFrom('audit_events').selectAll();
      if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType);
      if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
      if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('at', '<', filter.to);
      if (beforeId !== undefined) q = q.where('id', '<', beforeId);
      return q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
    },
  };
}
