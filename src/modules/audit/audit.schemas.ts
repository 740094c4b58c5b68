import { z } from 'zod';

const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-01-31T00:00:00Z');

export const AuditEventsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
    actor: z.string().min(1).max(36).optional().describe('user id of the actor'),
    action: z.string().min(1).max(64).optional().describe('e.g. records.read, records.export, resource.update'),
    targetType: z.string().min(1).max(32).optional(),
    targetId: z.string().min(1).max(64).optional(),
    from: Instant.optional().describe('events at or after this instant'),
    to: Instant.optional().describe('events before this instant'),
  })
  .strict();
export type AuditEventsQuery = z.infer<typeof AuditEventsQuery>;

export const AuditEventOut = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable() }),
  outcome: z.enum(['success', 'failure']),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEventOut = z.infer<typeof AuditEventOut>;

export const AuditEventsOut = z.object({ items: z.array(AuditEventOut), nextCursor: z.string().nullable() });
