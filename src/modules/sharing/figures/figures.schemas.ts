import { z } from 'zod';

const count = z.number().int().min(0);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const calls = { calls: count, errors: count.describe('calls answered with a status of 400 or more') };

export const SharingFiguresQuery = z
  .object({
    from: day.optional().describe('first day of the calls counted (inclusive, China Standard Time); default: the first day counted'),
    to: day.optional().describe('last day of the calls counted (inclusive); default: the last day counted'),
    top: z.coerce.number().int().min(0).max(1000).default(20).describe('how many interfaces, consumers and departments to list (most calls first)'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must not be before from' });
export type SharingFiguresQuery = z.infer<typeof SharingFiguresQuery>;

const byLevel = z.object({ CITY: count, PROVINCIAL: count, NATIONAL: count });

export const SharingFiguresOut = z.object({
  scope: z.enum(['all', 'public', 'department']).describe('as in /collection/stats: whose calls the per-consumer and per-department lists show'),
  today: z.string().describe('the date grants and deadlines are judged on (China Standard Time)'),
  from: z.string().nullable(),
  to: z.string().nullable(),
  interfaces: z.object({
    total: count.describe('every interface, whatever its status'),
    generated: count.describe('generated from a catalogued resource'),
    upstream: count.describe('registered upstream APIs the gateway proxies'),
    byLevel: byLevel.describe('CITY: the city platform; PROVINCIAL / NATIONAL: upstream interfaces of the province or the state'),
    byStatus: z.object({ DRAFT: count, PUBLISHED: count, OFFLINE: count }),
    published: z.object({ total: count, generated: count, upstream: count, byLevel }).describe('the interfaces consumers can call now'),
  }),
  systems: z
    .object({
      census: count.describe('systems in the census (/api/v1/systems)'),
      connected: count.describe('systems marked connected in the census, or registered as a consumer holding an active grant'),
      markedConnected: count.describe('systems marked connected (已对接) in the census'),
      consumers: count.describe('active consumer systems'),
      consumersWithActiveGrant: count.describe('active consumers holding at least one grant valid today'),
    })
    .describe('对接系统: the seed\'s "125 套系统"'),
  calls: z.object({
    ...calls,
    errorRate: z.number().min(0).max(1).nullable().describe('errors ÷ calls; null without calls'),
    byDay: z.array(z.object({ day: z.string(), ...calls })),
    byInterface: z.array(
      z.object({
        interfaceId: z.string(),
        code: z.string().nullable(),
        version: z.string().nullable(),
        name: z.string().nullable(),
        kind: z.string().nullable(),
        ...calls,
      }),
    ),
    byConsumer: z.array(z.object({ consumerId: z.string(), name: z.string().nullable(), departmentId: z.string(), ...calls })),
    byDepartment: z.array(z.object({ departmentId: z.string(), departmentName: z.string().nullable(), ...calls }).describe("the consumer's department")),
  }),
  applications: z.object({
    total: count,
    byStatus: z.object({ COMPLIANCE_CHECK: count, PROVIDER_REVIEW: count, ARBITRATION: count, GRANTED: count, REJECTED: count, WITHDRAWN: count }),
    pending: count,
    overdue: count.describe("in compliance check or provider review past the step's working-day deadline"),
  }),
  grants: z.object({ active: count.describe('not revoked and valid today') }),
});
export type SharingFigures = z.infer<typeof SharingFiguresOut>;
