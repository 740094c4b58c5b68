import { z } from 'zod';

const Id = z.string().min(1).max(36);
const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2026-01-31T00:00:00Z');

export const CallListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    consumerId: Id.optional(),
    interfaceId: Id.optional(),
    departmentId: Id.optional().describe("the consumer's department"),
    from: Instant.optional().describe('calls at or after this instant'),
    to: Instant.optional().describe('calls before this instant'),
  })
  .strict();
export type CallListQuery = z.infer<typeof CallListQuery>;

export const CallOut = z.object({
  seq: z.number().describe('position in the hash chain'),
  id: z.string(),
  at: z.string(),
  consumerId: z.string().nullable().describe('null when the caller was not authenticated'),
  departmentId: z.string().nullable(),
  interfaceId: z.string().nullable(),
  interfaceCode: z.string().nullable(),
  purpose: z.string().nullable().describe('the purpose the call stated'),
  keys: z.array(z.unknown()).describe('the keys or filters asked for'),
  items: z.array(z.string()).describe('item codes returned'),
  rowCount: z.number(),
  status: z.number().describe('HTTP status answered'),
  errorCode: z.string().nullable(),
  latencyMs: z.number(),
  hash: z.string().describe("sha256 of the previous call's hash and this call's fields"),
});
export type CallOut = z.infer<typeof CallOut>;

export const CallPageOut = z.object({ items: z.array(CallOut), nextCursor: z.string().nullable() });

export const ChainVerdictOut = z.object({
  ok: z.boolean(),
  checked: z.number().describe('calls whose links were checked'),
  anchor: z.object({ seq: z.number(), hash: z.string() }).describe('the first call kept after retention and the hash it follows'),
  head: z.object({ seq: z.number(), hash: z.string() }).describe('the last call recorded when the check began'),
  broken: z
    .object({
      seq: z.number(),
      check: z.enum(['missing', 'unexpected', 'prev_hash', 'hash', 'head']),
      detail: z.string(),
    })
    .nullable()
    .describe('the first broken link; null when the chain holds'),
});
