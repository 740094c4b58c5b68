import { z } from 'zod';
import { DatasetIds, HttpUrl } from './scenarios.schemas.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const OpenCompetitionIn = z
  .object({
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().min(5).max(4000),
    organiser: z.string().trim().min(2).max(200),
    startsOn: IsoDate,
    endsOn: IsoDate,
    datasetIds: DatasetIds,
  })
  .strict()
  .refine((c) => c.startsOn <= c.endsOn, { path: ['endsOn'], message: 'ends before it starts' });

export const OpenCompetitionParams = z.object({ id: z.string().min(1).max(64) }).strict();

export const OpenEntryIn = z
  .object({
    teamName: z.string().trim().min(2).max(100),
    members: z.number().int().min(1).max(50),
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().min(5).max(4000),
    url: HttpUrl.optional(),
    datasetIds: DatasetIds.optional().describe("the open datasets the entry uses (the competition's when absent)"),
  })
  .strict();

export const OpenEntryOut = z.object({
  id: z.string(),
  teamName: z.string(),
  members: z.number(),
  title: z.string(),
  description: z.string(),
  url: z.string().nullable(),
  datasetIds: z.array(z.string()),
  createdAt: z.string(),
});

export const OpenCompetitionOut = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  organiser: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  datasetIds: z.array(z.string()),
  teams: z.number().describe('entries so far'),
  createdAt: z.string(),
});

export const OpenCompetitionDetailOut = OpenCompetitionOut.extend({ entries: z.array(OpenEntryOut) });
export const OpenCompetitionListOut = z.object({ items: z.array(OpenCompetitionOut) });

export type OpenCompetitionInput = z.infer<typeof OpenCompetitionIn>;
export type OpenEntryInput = z.infer<typeof OpenEntryIn>;
