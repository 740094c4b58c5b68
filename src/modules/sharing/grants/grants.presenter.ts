import { fromJson } from '../../../storage/dialect.js';
import type { GrantView } from './grants.repository.js';

/** A grant's status as the platform states it: revoked, else expired after its validUntil (inclusive) in Asia/Shanghai. */
export function grantStatus(row: Pick<GrantView, 'status' | 'valid_until'>, today: string): 'ACTIVE' | 'EXPIRED' | 'REVOKED' {
  if (row.status === 'REVOKED') return 'REVOKED';
  return row.valid_until < today ? 'EXPIRED' : 'ACTIVE';
}

export function presentGrant(row: GrantView, today: string) {
  return {
    id: row.id,
    applicationId: row.application_id,
    consumerId: row.consumer_id,
    consumerDepartmentId: row.consumer_department_id,
    providerDepartmentId: row.provider_department_id,
    resourceId: row.resource_id,
    interfaceId: row.interface_id,
    items: fromJson<string[]>(row.items, []),
    validUntil: row.valid_until,
    status: grantStatus(row, today),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}

export type Grant = ReturnType<typeof presentGrant>;
