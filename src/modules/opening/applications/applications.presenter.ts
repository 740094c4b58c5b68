import { effectiveState } from './application-states.js';
import type { OpenApplicationView } from './applications.repository.js';

export function presentOpenApplication(row: OpenApplicationView, today: string) {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetTitle: row.dataset_title,
    departmentId: row.department_id,
    applicant: { username: row.applicant_username, displayName: row.applicant_name, contact: row.applicant_email ?? row.applicant_phone },
    purpose: row.purpose,
    scenario: row.scenario,
    securityMeasures: row.security_measures,
    status: effectiveState(row.status, row.valid_until, today),
    reason: row.reason,
    validUntil: row.valid_until,
    reviewer: row.reviewer_name,
    reviewedAt: row.reviewed_at,
    agreement:
      row.agreement_accepted_at && row.agreement_version && row.agreement_sha256
        ? { version: row.agreement_version, sha256: row.agreement_sha256, acceptedAt: row.agreement_accepted_at }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}

export type OpenApplication = ReturnType<typeof presentOpenApplication>;
