import { z } from 'zod';
import { MATCH_TIERS } from '../contracts.js';
import { WITHHELD_REASONS } from './one-id.policy.js';

export const OneIdParams = z
  .object({
    id: z.string().min(1).max(100).describe('a citizen ID (18 digits, or 15 legacy), a USCC or an organisation code; full-width and lower-case x accepted'),
  })
  .strict();

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const OneIdOut = z.object({
  id: z.string().describe('the id normalised (an organisation code: the USCC it bridged to, when found)'),
  kind: z.enum(['CITIZEN_ID', 'USCC']),
  matchedBy: z.enum(['KEY', 'LEGACY', 'BRIDGE']),
  subjects: z.array(
    z.object({
      theme: z.string(),
      themeName: z.string(),
      masterKey: z.string().nullable(),
      attributes: z.record(z.string(), Value).describe('only attributes from items the caller may read, masked as those items are'),
      provenance: z.record(z.string(), z.object({ resourceId: z.string(), receivedAt: z.string() })),
    }),
  ),
  records: z.array(
    z.object({
      theme: z.string(),
      resourceId: z.string(),
      resourceCode: z.string(),
      resourceName: z.string(),
      tier: z.enum(MATCH_TIERS),
      record: z.record(z.string(), z.unknown()).describe('the visible (staff) or granted (consumer) items only, masked'),
    }),
  ),
  withheld: z.array(z.object({ resourceId: z.string(), resourceName: z.string(), reason: z.enum(WITHHELD_REASONS) })),
});
