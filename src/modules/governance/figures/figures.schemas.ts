import { z } from 'zod';

const count = z.number().int().min(0);
const score = z.number().min(0).max(1).nullable().describe('0..1: GB/T 36344 X = A/B per rule, averaged as ADR 0014 says; null when nothing was checked');
const scoreFields = { score, resources: count, rules: count, checked: count.describe('B'), passed: count.describe('A') };

export const QualityStatsOut = z.object({
  scope: z.enum(['all', 'public', 'department']).describe('as in /collection/stats: which resources the figures cover'),
  today: z.string().describe('the date overdue problems are counted on (China Standard Time)'),
  score: score.describe("the platform's score: the mean of the scanned resources' scores"),
  governed: z
    .object({
      resources: count.describe('resources with collected records'),
      scannedResources: count,
      governedResources: count,
      percent: z.number().nullable().describe('数据治理: % of collected resources governed (ADR 0014), computed now'),
      maxAgeDays: z.number(),
      threshold: z.number(),
    })
    .describe("the seed's 数据治理 figure"),
  byDimension: z.array(z.object({ dimension: z.string(), ...scoreFields })),
  byDepartment: z.array(z.object({ departmentId: z.string(), departmentName: z.string(), ...scoreFields })),
  byRegion: z.array(z.object({ regionCode: z.string(), regionName: z.string(), ...scoreFields })),
  problems: z.object({ open: count.describe('neither closed nor explained'), overdue: count, closed: count, explained: count }),
  objections: z.object({ open: count.describe('not closed: the record is marked disputed'), closed: count }),
  rules: z.object({
    total: count.describe('rules of the catalogued resources the caller may see'),
    derived: count,
    custom: count,
    enabled: count,
    disabled: count,
  }),
  scans: z.object({
    total: count,
    succeeded: count,
    failed: count.describe('failed or interrupted'),
    running: count.describe('queued or running'),
    lastFinishedAt: z.string().nullable(),
  }),
});
export type QualityStats = z.infer<typeof QualityStatsOut>;
