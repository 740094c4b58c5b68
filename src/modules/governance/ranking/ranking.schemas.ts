import { z } from 'zod';
import { parseWeek } from './iso-week.js';

export const RankingQuery = z
  .object({
    week: z
      .string()
      .regex(/^\d{4}-W\d{2}$/, 'an ISO week: YYYY-Www (e.g. 2026-W48)')
      .refine((w) => parseWeek(w) !== null, 'no such ISO week in that year')
      .optional()
      .describe('ISO 8601 week in China Standard Time (Monday to Sunday); default: the current week'),
  })
  .strict();

const count = z.number().int().min(0);
const score = z.number().min(0).max(1).nullable();

export const RankingOut = z.object({
  week: z.string().describe('YYYY-Www'),
  firstDay: z.string().describe('Monday'),
  lastDay: z.string().describe('Sunday'),
  asOf: z.string().describe('the instant the figures stand at: the end of the week, or now for the current week'),
  previousWeek: z.string(),
  items: z.array(
    z.object({
      rank: z.number().int().min(1).nullable().describe('1 = best score; equal scores share a rank (1, 2, 2, 4); null: nothing scanned'),
      departmentId: z.string(),
      departmentName: z.string(),
      score: score.describe("mean of the department's resources' scores (GB/T 36344 X = A/B, ADR 0014) from their latest scans by the week's end"),
      resourcesScanned: count,
      checked: count.describe('B: elements checked, summed over the latest results'),
      passed: count.describe('A: elements that passed'),
      problems: z.object({
        opened: count.describe('problems opened in the week'),
        open: count.describe('neither closed nor explained at the week’s end'),
        overdue: count.describe('of those, past their deadline'),
        closed: count.describe('closed in the week'),
      }),
      previous: z.object({ rank: z.number().int().nullable(), score }),
      change: z.object({
        rank: z.number().int().nullable().describe('previous rank − rank: positive moved up; null when either week has no rank'),
        score: z.number().nullable().describe('score − previous score'),
      }),
    }),
  ),
});
