import { z } from 'zod';
import { keysOf, SYSTEM_LEVELS, SYSTEM_STATUSES } from '../codes.js';

export const SystemInput = z
  .object({
    name: z.string().trim().min(2).max(200),
    departmentId: z.string().min(1).max(36).describe('owner department'),
    level: z.enum(keysOf(SYSTEM_LEVELS)),
    status: z.enum(keysOf(SYSTEM_STATUSES)).default('IN_USE'),
    connected: z.boolean().default(false).describe('connected to the platform (已对接)'),
    description: z.string().max(2000).nullable().optional(),
    vendor: z.string().max(200).nullable().optional(),
    launchedOn: z.iso.date().nullable().optional(),
  })
  .strict();
export type SystemInput = z.infer<typeof SystemInput>;

export const SystemOut = z.object({
  id: z.string(),
  name: z.string(),
  departmentId: z.string(),
  level: z.enum(keysOf(SYSTEM_LEVELS)),
  status: z.enum(keysOf(SYSTEM_STATUSES)),
  connected: z.boolean(),
  description: z.string().nullable(),
  vendor: z.string().nullable(),
  launchedOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InfoSystem = z.infer<typeof SystemOut>;

export const SystemListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().optional(),
    departmentId: z.string().max(36).optional(),
    level: z.enum(keysOf(SYSTEM_LEVELS)).optional(),
    connected: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export type SystemListQuery = z.infer<typeof SystemListQuery>;
