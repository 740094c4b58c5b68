import { z } from 'zod';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const OpenStatsQuery = z
  .object({
    from: IsoDate.optional().describe('first day counted (Beijing calendar), inclusive'),
    to: IsoDate.optional().describe('last day counted, inclusive'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'from is after to' });

const Counts = z.object({ views: z.number(), downloads: z.number(), apiCalls: z.number() });

export const OpenStatsOut = z.object({
  totals: Counts,
  datasets: z.array(Counts.extend({ datasetId: z.string(), name: z.string(), title: z.string() })).describe('every published dataset, most viewed first'),
  figures: z
    .object({
      units: z.number().describe('departments with an open dataset (开放单位)'),
      domains: z.number().describe('open domains with an open dataset (开放领域)'),
      openClasses: z.number().describe('resources opened (开放数据类)'),
      datasets: z.number(),
      apis: z.number().describe('datasets served by the row API (开放接口)'),
      dataItems: z.number().describe('open data items over all datasets'),
      records: z.number().describe('records of the open datasets, counted live'),
      scenarios: z.number().describe('published scenarios (应用场景)'),
      competitionTeams: z.number().describe('competition entries (大赛参赛团队)'),
    })
    .describe("the seed's open figures (DOMAIN.md §1), computed now from the store"),
});

export type OpenStatsQuery = z.infer<typeof OpenStatsQuery>;
export type OpenStatsReport = z.infer<typeof OpenStatsOut>;
