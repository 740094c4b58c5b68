import { z } from 'zod';

export const RegionCode = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code');

export const RegionCreate = z
  .object({
    code: RegionCode,
    name: z.string().min(1).max(100).optional().describe('defaults to the official name; must match it when given'),
  })
  .strict();

export const RegionOut = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'prefecture', 'county']),
  parentCode: z.string().nullable(),
  createdAt: z.string(),
});
export type Region = z.infer<typeof RegionOut>;

export const RegionParams = z.object({ code: RegionCode }).strict();
