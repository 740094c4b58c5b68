import { z } from 'zod';
import { DEPARTMENT_KINDS, keysOf } from '../codes.js';
import { RegionCode } from '../regions/regions.schemas.js';

export const DepartmentInput = z
  .object({
    name: z.string().trim().min(2).max(200),
    shortName: z.string().trim().max(100).nullable().optional(),
    uscc: z.string().trim().min(1).max(40).describe('统一社会信用代码 (GB 32100), validated'),
    regionCode: RegionCode,
    kind: z.enum(keysOf(DEPARTMENT_KINDS)).default('GOVERNMENT'),
    contactName: z.string().max(100).nullable().optional(),
    contactPhone: z.string().max(32).nullable().optional(),
  })
  .strict();
export type DepartmentInput = z.infer<typeof DepartmentInput>;

export const DepartmentOut = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  uscc: z.string(),
  regionCode: z.string(),
  kind: z.enum(keysOf(DEPARTMENT_KINDS)),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof DepartmentOut>;

export const DepartmentListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().optional(),
    regionCode: RegionCode.optional(),
    q: z.string().trim().min(1).max(100).optional().describe('text in the name'),
  })
  .strict();
