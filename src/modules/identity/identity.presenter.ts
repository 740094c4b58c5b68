import { toBool } from '../../storage/dialect.js';
import type { Role } from '../../shared/actor.js';
import type { TokenRow, UserRow } from './identity.repository.js';
import type { TokenInfo, User } from './identity.service.js';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    departmentId: row.department_id,
    disabled: toBool(row.disabled),
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
  };
}

export function toTokenInfo(row: TokenRow): TokenInfo {
  return { id: row.id, label: row.label, last4: row.last4, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}
