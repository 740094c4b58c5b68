import { z } from 'zod';

export const ProfileParams = z.object({ resourceId: z.string().min(1).max(64) }).strict();
export const ProfileStartQuery = z
  .object({
    wait: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

export const ProfileJobOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted']),
  progress: z.object({ rowsRead: z.number() }),
  error: z.string().nullable(),
  requestedBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const Value = z.union([z.string(), z.number(), z.boolean()]);
export const ProfileOut = z.object({
  id: z.string().describe('the profiling run'),
  resourceId: z.string(),
  profiledAt: z.string().describe('when reading the records began'),
  finishedAt: z.string(),
  rows: z.number().describe('live records'),
  valuesShown: z.boolean().describe('false: top values and min/max are withheld (only the provider department and administrators see values)'),
  items: z.array(
    z.object({
      itemCode: z.string(),
      name: z.string().nullable().describe("the catalogue's name of the item"),
      dataType: z.string(),
      rows: z.number(),
      nulls: z.number().describe('NULL values'),
      empty: z.number().describe('empty or blank text'),
      nullRate: z.number().nullable().describe('(nulls + empty) / rows'),
      distinct: z.number().describe('distinct filled values'),
      min: Value.nullable().describe('typed: numbers numerically, dates as ISO text, text by code point'),
      max: Value.nullable(),
      topValues: z.array(z.object({ value: Value, count: z.number() })).describe('at most 10, most frequent first'),
      lengths: z
        .object({
          min: z.number(),
          max: z.number(),
          avg: z.number(),
          histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })).describe('at most 10 buckets of lengths from..to'),
        })
        .nullable()
        .describe("characters of the value's text form; null without values or for binary items"),
      patterns: z.object({
        top: z.array(z.object({ pattern: z.string(), count: z.number() })).describe('at most 10: digits → 9, Latin letters → A/a, CJK → 汉, the rest kept'),
        tracked: z.number().describe('distinct shapes tracked (at most 1000)'),
        exact: z.boolean().describe('false: more shapes than tracked; values of shapes seen after the cap are not in the counts'),
      }),
    }),
  ),
});
