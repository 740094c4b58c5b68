import { z } from 'zod';
import { listQuery } from '../../../http/route.js';
import { APPLICATION_STATUSES } from './application-states.js';

const Id = z.string().min(1).max(64);
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'not a calendar date');

export const ApplicationParams = z.object({ id: Id }).strict();

export const ApplicationIn = z
  .object({
    consumerId: Id.describe('the consumer system that will call (its department applies)'),
    resourceId: Id.optional().describe('a resource (its generated interfaces); exactly one of resourceId and interfaceId'),
    interfaceId: Id.optional().describe('an upstream interface, applied for as a whole'),
    items: z.array(z.string().min(1).max(100)).max(1000).default([]).describe("the resource's item codes asked for; empty for an upstream interface"),
    purpose: z.string().trim().min(2).max(2000).describe('what the data is for (用途)'),
    scenario: z.string().trim().max(2000).optional().describe('the use scenario (应用场景)'),
    legalBasis: z.string().trim().max(2000).optional().describe('the legal basis (法律依据): required for not-shared items'),
    validUntil: IsoDate.describe('the last day the grant is valid (inclusive, Asia/Shanghai)'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.resourceId === undefined) === (v.interfaceId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['resourceId'], message: 'give exactly one of resourceId and interfaceId' });
    }
  });

export const ApplicationListQuery = z
  .object({
    ...listQuery,
    status: z.enum(APPLICATION_STATUSES).optional(),
    role: z
      .enum(['applicant', 'provider', 'admin'])
      .optional()
      .describe(
        "applicant: the caller department's own; provider: addressed to it; admin: awaiting the platform (compliance, arbitration, escalated). Default: both of a department's, all for platform roles",
      ),
    escalated: z.enum(['true', 'false']).optional(),
    consumerId: Id.optional(),
    resourceId: Id.optional(),
  })
  .strict();

export const DecisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(2000).optional().describe('required to reject: the reasons told to the applicant'),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const WithdrawBody = z
  .object({ note: z.string().trim().max(2000).optional() })
  .strict()
  .default({});

const ShareTypeOut = z.enum(['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED']);

export const ApplicationOut = z.object({
  id: z.string(),
  consumerId: z.string(),
  consumerDepartmentId: z.string(),
  providerDepartmentId: z.string(),
  resourceId: z.string().nullable(),
  interfaceId: z.string().nullable(),
  items: z.array(z.string()),
  shareType: ShareTypeOut.describe('the strictest share type of the asked items: it decides the path'),
  purpose: z.string(),
  scenario: z.string().nullable(),
  legalBasis: z.string().nullable(),
  validUntil: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  awaiting: z.enum(['platform', 'provider']).nullable().describe('who the pending step waits on'),
  submittedOn: z.string().describe('YYYY-MM-DD (Asia/Shanghai)'),
  complianceDue: z.string().nullable().describe('the platform compliance check is due then (working days)'),
  reviewDue: z.string().nullable().describe("the provider department's review is due then (working days after the check)"),
  overdue: z.boolean(),
  escalated: z.boolean().describe('the current step is overdue and escalated to the platform administrator'),
  reason: z.string().nullable().describe('the reasons of a rejection'),
  applicant: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const ApplicationHistoryOut = z.object({
  at: z.string(),
  actor: z.string().nullable(),
  from: z.enum(APPLICATION_STATUSES).nullable(),
  to: z.enum(APPLICATION_STATUSES),
  note: z.string().nullable(),
});

export const ApplicationDetailOut = ApplicationOut.extend({
  history: z.array(ApplicationHistoryOut),
  grantId: z.string().nullable().describe('the grant made when it was granted'),
});
export const ApplicationPageOut = z.object({ items: z.array(ApplicationOut), nextCursor: z.string().nullable() });

export type ApplicationInput = z.infer<typeof ApplicationIn>;
export type ApplicationListQuery = z.infer<typeof ApplicationListQuery>;
export type Decision = z.infer<typeof DecisionBody>;
