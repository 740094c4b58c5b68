import { fromJson } from '../../storage/dialect.js';
import type { AuditTable } from '../../storage/schema.js';
import type { AuditEventOut } from './audit.schemas.js';

type AuditRow = Omit<AuditTable, 'id'> & { id: number | string };

export function presentAuditEvent(row: AuditRow): AuditEventOut {
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    detail: fromJson<Record<string, unknown>>(row.detail, {}),
  };
}
