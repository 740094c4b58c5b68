import { fromJson, toBool } from '../../../storage/dialect.js';
import type { ObjectionHistoryTable, ObjectionTable } from '../../../storage/schema.js';
import { DISPUTING_STATES, type ObjectionState } from './objection-states.js';

function overdue(row: ObjectionTable, today: string): boolean {
  if (row.status === 'submitted') return row.forward_by < today;
  if (row.status === 'accepted') return row.verify_by !== null && row.verify_by < today;
  return false;
}

export function presentObjection(row: ObjectionTable, today: string) {
  return {
    id: row.id,
    resourceId: row.resource_id,
    departmentId: row.department_id,
    key: fromJson<Record<string, string | number | boolean | null>>(row.record_key, {}),
    description: row.description,
    status: row.status as ObjectionState,
    disputed: DISPUTING_STATES.includes(row.status as ObjectionState),
    submitter: row.submitter_name,
    contact: row.contact,
    submittedOn: row.submitted_on,
    forwardBy: row.forward_by,
    acceptedOn: row.accepted_on,
    verifyBy: row.verify_by,
    extended: toBool(row.extended),
    overdue: overdue(row, today),
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export function presentObjectionHistory(row: ObjectionHistoryTable) {
  return { at: row.at, actor: row.actor_name, from: row.from_status as ObjectionState | null, to: row.to_status as ObjectionState, note: row.note };
}

export type Objection = ReturnType<typeof presentObjection>;
