import { z } from 'zod';
import { PROBLEM_STATES, REQUESTABLE_PROBLEM_STATES } from './problem-states.js';

const Id = z.string().min(1).max(64);
const BoolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ProblemParams = z.object({ id: Id }).strict();

export const ProblemListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    status: z.enum(PROBLEM_STATES).optional(),
    resourceId: Id.optional(),
    departmentId: Id.optional().describe("the provider department's problems"),
    overdue: BoolParam.optional().describe('true: past the deadline and neither closed nor explained (the escalation list 督办)'),
  })
  .strict();

export const ProblemTransitionBody = z
  .object({
    to: z.enum(REQUESTABLE_PROBLEM_STATES).describe('rechecked and closed are set by scans; open reopens an explained problem (administrators)'),
    note: z.string().trim().max(2000).optional(),
    reason: z.string().trim().max(2000).optional().describe('required with to=explained: why the failing data is right'),
  })
  .strict();

export const ProblemOut = z.object({
  id: z.string(),
  ruleId: z.string(),
  resourceId: z.string(),
  departmentId: z.string(),
  status: z.enum(PROBLEM_STATES),
  ruleKind: z.string().nullable(),
  dimension: z.string().nullable(),
  itemCode: z.string().nullable(),
  severity: z.string().nullable(),
  checked: z.number().describe('elements checked in the last scan (B)'),
  failed: z.number().describe('elements failing in the last scan'),
  sample: z.array(z.string()).describe('a capped sample of failing record keys from the last scan'),
  openedOn: z.string().describe('YYYY-MM-DD (Asia/Shanghai)'),
  deadline: z.string().describe('YYYY-MM-DD: the last working day to rectify (working days from openedOn)'),
  overdue: z.boolean().describe('the deadline has passed and the problem is neither closed nor explained'),
  reason: z.string().nullable().describe('why the data is right (explained problems)'),
  lastScanId: z.string().nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

export const ProblemHistoryOut = z.object({
  at: z.string(),
  actor: z.string().nullable().describe('the user who moved it; null for a scan'),
  from: z.enum(PROBLEM_STATES).nullable(),
  to: z.enum(PROBLEM_STATES),
  note: z.string().nullable(),
  scanId: z.string().nullable(),
});

export const ProblemDetailOut = ProblemOut.extend({ history: z.array(ProblemHistoryOut) });
export const ProblemPageOut = z.object({ items: z.array(ProblemOut), nextCursor: z.string().nullable() });

export type ProblemListQuery = z.infer<typeof ProblemListQuery>;
export type ProblemTransition = z.infer<typeof ProblemTransitionBody>;

const ProblemCounts = z.object({
  open: z.number().describe('not yet closed or explained (open, acknowledged, rectifying, submitted)'),
  overdue: z.number().describe('open ones past their deadline'),
  closed: z.number(),
  explained: z.number(),
});

export const ProblemFiguresOut = z.object({
  today: z.string().describe('YYYY-MM-DD (Asia/Shanghai): the day overdue is counted on'),
  total: ProblemCounts,
  byDepartment: z.array(ProblemCounts.extend({ departmentId: z.string() })).describe('provider departments with at least one problem, most overdue first'),
});
