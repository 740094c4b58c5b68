import { z } from 'zod';
import { OBJECTION_STATES } from './objection-states.js';

const Id = z.string().min(1).max(64);
const KeyValue = z.union([z.string().max(4000), z.number(), z.boolean()]);

export const ObjectionParams = z.object({ id: Id }).strict();

export const ObjectionIn = z
  .object({
    resourceId: Id,
    key: z.record(z.string().max(100), KeyValue).describe("the record's primary-key values: { item code: value } for every primary-key item"),
    description: z.string().trim().min(2).max(2000).describe('what is wrong with the record'),
    contact: z.string().trim().min(3).max(200).optional().describe('how the provider reaches the submitter: required from anonymous callers (the public)'),
  })
  .strict();

export const ObjectionListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    status: z.enum(OBJECTION_STATES).optional(),
    resourceId: Id.optional(),
  })
  .strict();

export const ObjectionTransitionBody = z
  .object({
    to: z.enum(['accepted', 'corrected', 'explained', 'closed']),
    note: z.string().trim().max(2000).optional(),
    reason: z.string().trim().max(2000).optional().describe('required with to=explained: why the record is right'),
  })
  .strict();

export const ObjectionExtensionBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();

const KeyOut = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const ObjectionOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  departmentId: z.string().describe('the provider department it is routed to'),
  key: KeyOut,
  description: z.string(),
  status: z.enum(OBJECTION_STATES),
  disputed: z.boolean().describe('the record is marked disputed (every state but closed)'),
  submitter: z.string().nullable().describe('the user who submitted it; null for the public'),
  contact: z.string().nullable(),
  submittedOn: z.string().describe('YYYY-MM-DD (Asia/Shanghai)'),
  forwardBy: z.string().describe('YYYY-MM-DD: the provider accepts it by then (working days)'),
  acceptedOn: z.string().nullable(),
  verifyBy: z.string().nullable().describe('YYYY-MM-DD: corrected or explained by then (working days from acceptance; extendable once)'),
  extended: z.boolean(),
  overdue: z.boolean().describe('past forwardBy while submitted, or past verifyBy while accepted'),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

export const ObjectionHistoryOut = z.object({
  at: z.string(),
  actor: z.string().nullable().describe('null for the public'),
  from: z.enum(OBJECTION_STATES).nullable(),
  to: z.enum(OBJECTION_STATES),
  note: z.string().nullable(),
});

export const ObjectionDetailOut = ObjectionOut.extend({ history: z.array(ObjectionHistoryOut) });
export const ObjectionPageOut = z.object({ items: z.array(ObjectionOut), nextCursor: z.string().nullable() });

export type ObjectionInput = z.infer<typeof ObjectionIn>;
export type ObjectionListQuery = z.infer<typeof ObjectionListQuery>;
export type ObjectionTransition = z.infer<typeof ObjectionTransitionBody>;
