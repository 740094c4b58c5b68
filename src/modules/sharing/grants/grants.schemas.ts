import { z } from 'zod';
import { listQuery } from '../../../http/route.js';

const Id = z.string().min(1).max(64);
export const GRANT_STATUSES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;

export const GrantParams = z.object({ id: Id }).strict();

export const GrantListQuery = z
  .object({
    ...listQuery,
    status: z.enum(GRANT_STATUSES).optional().describe('EXPIRED: past validUntil (inclusive, Asia/Shanghai), never revoked'),
    consumerId: Id.optional(),
    resourceId: Id.optional(),
    interfaceId: Id.optional(),
  })
  .strict();

export const GrantRevokeBody = z
  .object({ reason: z.string().trim().min(2).max(2000).describe('why the grant is revoked (told to the consumer department)') })
  .strict();

export const GrantOut = z.object({
  id: z.string(),
  applicationId: z.string(),
  consumerId: z.string(),
  consumerDepartmentId: z.string(),
  providerDepartmentId: z.string(),
  resourceId: z.string().nullable(),
  interfaceId: z.string().nullable(),
  items: z.array(z.string()).describe('item codes granted; empty for an upstream interface (granted as a whole)'),
  validUntil: z.string().describe('YYYY-MM-DD, inclusive (Asia/Shanghai)'),
  status: z.enum(GRANT_STATUSES),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

export const GrantPageOut = z.object({ items: z.array(GrantOut), nextCursor: z.string().nullable() });

export type GrantListQuery = z.infer<typeof GrantListQuery>;
