import type { OpenAppRow } from './apps.repository.js';

export function presentOpenApp(row: OpenAppRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    keyLast4: row.key_last4,
    ratePerSecond: Number(row.rate_per_second),
    quotaPerDay: Number(row.quota_per_day),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export type OpenApp = ReturnType<typeof presentOpenApp>;
