import { z } from 'zod';
import { MATCH_TIERS } from '../contracts.js';

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ProvenanceOut = z.object({ resourceId: z.string(), sourceKey: z.string(), receivedAt: z.string() });

export const MasterParams = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), key: z.string().min(1).max(200) }).strict();

const Unmask = {
  unmasked: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('clear values (platform administrators, with a reason; audited)'),
  reason: z.string().max(500).optional(),
};

export const MastersQuery = z
  .object({
    q: z.string().trim().max(100).optional().describe("a key's beginning (normalised as the theme's keys are)"),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    ...Unmask,
  })
  .strict();
export type MastersQuery = z.infer<typeof MastersQuery>;
export const MasterQuery = z.object(Unmask).strict();

export const MasterViewOut = z.object({
  id: z.string(),
  themeCode: z.string(),
  key: z.string().nullable(),
  attributes: z.record(z.string(), Value),
  provenance: z.record(z.string(), ProvenanceOut),
  sourceCount: z.number(),
  regionCode: z.string().nullable(),
  updatedAt: z.string(),
  masked: z.boolean(),
});
export const MasterListOut = z.object({ items: z.array(MasterViewOut), nextCursor: z.string().nullable() });

export const ConflictOut = z.object({
  id: z.string(),
  masterId: z.string(),
  masterKey: z.string().nullable(),
  attribute: z.string(),
  candidates: z.array(z.object({ resourceId: z.string(), sourceKey: z.string(), value: Value, receivedAt: z.string() })),
  status: z.enum(['OPEN', 'RESOLVED']),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export const ConflictListOut = z.object({ items: z.array(ConflictOut), nextCursor: z.string().nullable() });
export const ConflictsQuery = z
  .object({
    status: z.enum(['OPEN', 'RESOLVED']).optional(),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    ...Unmask,
  })
  .strict();

export const MasterDetailOut = MasterViewOut.extend({
  sources: z.array(
    z.object({
      themeCode: z.string(),
      resourceId: z.string(),
      recordKey: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      sourceKey: z.string(),
      masterId: z.string().nullable(),
      tier: z.enum(MATCH_TIERS),
      receivedAt: z.string(),
      attributes: z.record(z.string(), Value),
    }),
  ),
  conflicts: z.array(ConflictOut),
});

export const ReviewQuery = z
  .object({
    status: z.enum(['PENDING', 'LINKED', 'DISMISSED']).default('PENDING'),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    ...Unmask,
  })
  .strict();
export type ReviewQuery = z.infer<typeof ReviewQuery>;
export const ReviewItemOut = z.object({
  resourceId: z.string(),
  sourceKey: z.string(),
  rawKey: z.string().nullable(),
  attributes: z.record(z.string(), Value),
  reviewStatus: z.enum(['PENDING', 'LINKED', 'DISMISSED']),
  reviewReason: z.string().nullable(),
  receivedAt: z.string(),
  masterId: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});
export const ReviewListOut = z.object({ items: z.array(ReviewItemOut), nextCursor: z.string().nullable() });
export const LinkInput = z
  .object({
    resourceId: z.string().min(1).max(36),
    sourceKey: z.string().min(1).max(400),
    masterKey: z.string().min(1).max(200),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export const DismissInput = z
  .object({ resourceId: z.string().min(1).max(36), sourceKey: z.string().min(1).max(400), reason: z.string().trim().min(2).max(1000) })
  .strict();
