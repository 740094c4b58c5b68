import type { ConsumerRow, CredentialRow } from './consumers.repository.js';

/** Never a secret: the app key, the secret's last 4 characters, and when the key was issued and retired. */
export function presentCredential(row: CredentialRow) {
  return {
    id: row.id,
    appKey: row.app_key,
    secretLast4: row.secret_last4 ?? null,
    active: row.retired_at === null,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

export function presentConsumer(row: ConsumerRow, credentials: readonly CredentialRow[]) {
  return {
    id: row.id,
    systemId: row.system_id,
    departmentId: row.department_id,
    name: row.name,
    status: row.status as 'ACTIVE' | 'REVOKED',
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    credentials: credentials.filter((c) => c.consumer_id === row.id).map(presentCredential),
  };
}

export type Consumer = ReturnType<typeof presentConsumer>;
