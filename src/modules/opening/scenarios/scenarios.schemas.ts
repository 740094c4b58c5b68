import { z } from 'zod';

const Id = z.string().min(1).max(64);
const Url = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) address');
export const DatasetIds = z.array(Id).min(1).max(20).describe('the open datasets it uses');

export const SCENARIO_TYPES = ['APP', 'MINI_PROGRAM', 'WEBSITE', 'RESEARCH', 'VISUALISATION', 'SERVICE', 'OTHER'] as const;
export const SCENARIO_STATES = ['pending', 'published', 'rejected'] as const;

export const OpenScenarioIn = z
  .object({
    type: z.enum(SCENARIO_TYPES),
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().min(5).max(4000),
    url: Url.optional(),
    datasetIds: DatasetIds,
  })
  .strict();

export const OpenScenarioParams = z.object({ id: Id }).strict();

export const OpenScenarioListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
    datasetId: Id.optional(),
    status: z.enum(SCENARIO_STATES).optional().describe('pending and rejected ones: platform roles only'),
    mine: z.enum(['true', 'false']).optional().describe("true: the signed-in public user's own, in every state"),
  })
  .strict();

export const OpenModerationIn = z
  .object({
    decision: z.enum(['publish', 'reject']),
    reason: z.string().trim().max(2000).optional().describe('required when rejecting'),
  })
  .strict();

export const OpenScenarioOut = z.object({
  id: z.string(),
  type: z.enum(SCENARIO_TYPES),
  title: z.string(),
  description: z.string(),
  url: z.string().nullable(),
  datasetIds: z.array(z.string()),
  submitter: z.string(),
  status: z.enum(SCENARIO_STATES),
  reason: z.string().nullable(),
  moderatedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const OpenScenarioPageOut = z.object({ items: z.array(OpenScenarioOut), nextCursor: z.string().nullable() });

export type OpenScenarioInput = z.infer<typeof OpenScenarioIn>;
export type OpenScenarioListQuery = z.infer<typeof OpenScenarioListQuery>;
export type OpenModeration = z.infer<typeof OpenModerationIn>;
export { Url as HttpUrl };
