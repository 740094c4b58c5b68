import { z } from 'zod';

const Id = z.string().min(1).max(64);
const KeyValue = z.union([z.string().max(4000), z.number(), z.boolean()]);

export const OpenFeedbackIn = z
  .object({
    datasetId: Id,
    kind: z.enum(['feedback', 'error']).describe('general feedback, or an error report (纠错) on the data'),
    description: z.string().trim().min(2).max(4000),
    key: z
      .record(z.string().max(100), KeyValue)
      .optional()
      .describe("an error report's record: its primary-key values { item code: value }; with it the report opens an objection (异议) on that record"),
    contact: z.string().trim().min(3).max(200).optional().describe('how the provider reaches the reporter: required without a public-user sign-in'),
  })
  .strict()
  .refine((v) => v.kind === 'error' || v.key === undefined, { path: ['key'], message: 'only an error report names a record' });

export const OpenFeedbackListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    kind: z.enum(['feedback', 'error']).optional(),
    datasetId: Id.optional(),
  })
  .strict();

export const OpenFeedbackOut = z.object({
  id: z.string(),
  kind: z.enum(['feedback', 'error']),
  datasetId: z.string(),
  departmentId: z.string().describe('the provider department it is listed to'),
  key: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  description: z.string(),
  reporter: z.string().nullable().describe('the public user; null when anonymous'),
  contact: z.string().nullable(),
  objection: z
    .object({ id: z.string(), status: z.string().nullable().describe("governance's objection state now (null when it cannot be read)") })
    .nullable()
    .describe('the objection an error report with a record key opened'),
  createdAt: z.string(),
});

export const OpenFeedbackPageOut = z.object({ items: z.array(OpenFeedbackOut), nextCursor: z.string().nullable() });

export type OpenFeedbackInput = z.infer<typeof OpenFeedbackIn>;
export type OpenFeedbackListQuery = z.infer<typeof OpenFeedbackListQuery>;
