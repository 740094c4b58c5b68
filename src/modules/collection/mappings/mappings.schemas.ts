import { z } from 'zod';

export const MappingsIn = z
  .object({
    mappings: z
      .record(z.string().trim().min(1).max(200), z.string().trim().toLowerCase().min(1).max(64).nullable())
      .describe('file header → item code, or null to skip the header (reported as skipped, never loaded)'),
  })
  .strict();
export type Mappings = z.infer<typeof MappingsIn>;

const MatchKind = z.enum(['saved', 'code', 'name', 'nameEn', 'dataElement', 'synonym', 'prefix', 'suffix']);

/** The answer of an upload with dryRun=true (mappings/preview.ts): nothing was stored. */
export const PreviewOut = z.object({
  dryRun: z.literal(true),
  format: z.enum(['csv', 'tsv', 'xlsx', 'json', 'ndjson']),
  encoding: z.string().nullable(),
  headers: z
    .array(
      z.object({
        index: z.number(),
        header: z.string(),
        status: z.enum(['mapped', 'skipped', 'unmapped', 'ambiguous', 'duplicate']),
        itemCode: z.string().optional(),
        how: MatchKind.optional().describe('saved mapping, exact code/name/nameEn/data element, or a tolerant match: synonym, prefix, suffix'),
        reason: z.string().optional(),
        candidates: z.array(z.string()).optional().describe('ambiguous: the item codes that matched equally well (never guessed between)'),
      }),
    )
    .describe('every header of the file, in file order'),
  unfilledItems: z.array(z.object({ code: z.string(), name: z.string(), required: z.boolean() })),
  loadable: z.boolean().describe('whether a load of this file would start'),
  problems: z.array(z.string()).describe('why it would not'),
  rows: z.array(z.object({ rowNumber: z.number(), values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) })),
  rejects: z.array(z.object({ rowNumber: z.number(), field: z.string().nullable(), reason: z.string() })),
  more: z.boolean().describe('whether the file has rows past the ones shown'),
});
