import { z } from 'zod';

export const OpenAppIn = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();

export const OpenAppParams = z.object({ id: z.string().min(1).max(64) }).strict();

export const OpenAppLimitsIn = z
  .object({
    ratePerSecond: z.number().int().min(1).max(10_000).optional(),
    quotaPerDay: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .strict()
  .refine((v) => v.ratePerSecond !== undefined || v.quotaPerDay !== undefined, { message: 'give ratePerSecond or quotaPerDay' });

export const OpenAppOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  keyLast4: z.string().describe('the last four characters of the app key, to recognise it'),
  ratePerSecond: z.number(),
  quotaPerDay: z.number(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const OpenAppCreatedOut = OpenAppOut.extend({
  appKey: z.string().describe('the app key (kjd_…), shown only now: send it as the X-App-Key header of the open APIs'),
});

export const OpenAppListOut = z.object({ items: z.array(OpenAppOut) });

export type OpenAppInput = z.infer<typeof OpenAppIn>;
export type OpenAppLimitsInput = z.infer<typeof OpenAppLimitsIn>;
