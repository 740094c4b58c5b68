import { z } from 'zod';
import { listQuery } from '../../../http/route.js';

const Id = z.string().min(1).max(64);

export const ConsumerParams = z.object({ id: Id }).strict();

export const ConsumerIn = z
  .object({
    systemId: Id.describe("one of the department's census systems (GET /api/v1/systems)"),
    name: z.string().trim().min(1).max(200).optional().describe("the consumer's name; the system's when absent"),
  })
  .strict();

export const ConsumerListQuery = z
  .object({
    ...listQuery,
    status: z.enum(['ACTIVE', 'REVOKED']).optional(),
    systemId: Id.optional(),
    departmentId: Id.optional().describe("platform roles: one department's consumers"),
  })
  .strict();

export const ConsumerRevokeBody = z
  .object({ reason: z.string().trim().max(2000).optional() })
  .strict()
  .default({});

export const TokenIn = z
  .object({
    grantType: z.literal('client_credentials').optional(),
    appKey: z.string().min(1).max(64),
    secret: z.string().min(1).max(200),
  })
  .strict();

export const CredentialOut = z.object({
  id: z.string(),
  appKey: z.string(),
  secretLast4: z.string().nullable().describe("the secret's last 4 characters, to recognise it; the secret itself is shown once, at issue"),
  active: z.boolean(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
});

export const ConsumerOut = z.object({
  id: z.string(),
  systemId: z.string(),
  departmentId: z.string(),
  name: z.string(),
  status: z.enum(['ACTIVE', 'REVOKED']),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  credentials: z.array(CredentialOut).describe('every key issued, newest first'),
});

export const IssuedCredentialOut = z.object({
  id: z.string(),
  appKey: z.string(),
  secret: z.string().describe('shown this once: store it now; the platform keeps only a hash (and a sealed copy for signatures)'),
  createdAt: z.string(),
});

export const ConsumerIssuedOut = z.object({ consumer: ConsumerOut, credentials: IssuedCredentialOut });
export const ConsumerPageOut = z.object({ items: z.array(ConsumerOut), nextCursor: z.string().nullable() });

export const TokenOut = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().describe('seconds the token is valid (default 900)'),
});

export type ConsumerInput = z.infer<typeof ConsumerIn>;
export type ConsumerListQuery = z.infer<typeof ConsumerListQuery>;
