import { fromJson, toBool } from '../../../storage/dialect.js';
import type { SharingApplicationHistoryTable } from '../../../storage/schema.js';
import { AWAITING, isPending, SHARE_TYPE_NAMES, type ApplicationStatus } from './application-states.js';
import type { ApplicationRow } from './applications.repository.js';

/** Whether the pending step is past its due date (the due date itself is still in time). */
export function isOverdue(row: Pick<ApplicationRow, 'status' | 'compliance_due' | 'review_due'>, today: string): boolean {
  if (row.status === 'COMPLIANCE_CHECK') return row.compliance_due !== null && row.compliance_due < today;
  if (row.status === 'PROVIDER_REVIEW') return row.review_due !== null && row.review_due < today;
  return false;
}

export function presentApplication(row: ApplicationRow, today: string) {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    consumerDepartmentId: row.consumer_department_id,
    providerDepartmentId: row.provider_department_id,
    resourceId: row.resource_id,
    interfaceId: row.interface_id,
    items: fromJson<string[]>(row.items, []),
    shareType: SHARE_TYPE_NAMES[row.share_type] ?? 'NOT_SHARED',
    purpose: row.purpose,
    scenario: row.scenario,
    legalBasis: row.legal_basis,
    validUntil: row.valid_until,
    status: row.status as ApplicationStatus,
    awaiting: isPending(row.status) ? AWAITING[row.status] : null,
    submittedOn: row.submitted_on,
    complianceDue: row.compliance_due,
    reviewDue: row.review_due,
    overdue: isOverdue(row, today),
    escalated: toBool(row.escalated),
    reason: row.reason,
    applicant: row.applicant_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decidedAt: row.decided_at,
  };
}

export function presentApplicationHistory(row: SharingApplicationHistoryTable) {
  return { at: row.at, actor: row.actor_name, from: row.from_status as ApplicationStatus | null, to: row.to_status as ApplicationStatus, note: row.note };
}

export type AccessApplication = ReturnType<typeof presentApplication>;
