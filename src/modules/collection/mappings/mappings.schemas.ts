import { z } from 'zod';

export const MappingsIn = z
  .object({ mappings: z.record(z.string().trim().min(1).max(200), z.string().trim().toLowerCase().max(64)).describe('file header → item code') })
  .strict();
export type Mappings = z.infer<typeof MappingsIn>;
