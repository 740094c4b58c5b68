import { z } from 'zod';
import { OpenType, RESOURCE_CODE_PATTERN, ResourceOut, Sensitivity, ShareType } from '../resources/resources.schemas.js';

export const EditionCreate = z
  .object({
    name: z.string().trim().min(1).max(100).describe('the edition name, e.g. "2019版"; unique'),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type EditionCreate = z.infer<typeof EditionCreate>;

export const EditionOut = z.object({
  id: z.string(),
  name: z.string(),
  note: z.string().nullable(),
  resourceCount: z.number().describe('every resource of the edition, classified ones included: the published figure'),
  itemCount: z.number(),
  shareableItemCount: z.number().describe('data items whose share type is not NOT_SHARED'),
  publishedBy: z.string(),
  publishedAt: z.string(),
});
export type Edition = z.infer<typeof EditionOut>;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size (1–500)'),
  cursor: z.string().optional().describe('the nextCursor of the previous page'),
};

export const EditionListQuery = z.object(pageQuery).strict();
export type EditionListQuery = z.infer<typeof EditionListQuery>;

export const EditionEntriesQuery = z.object(pageQuery).strict();
export type EditionEntriesQuery = z.infer<typeof EditionEntriesQuery>;

export const EditionIdParams = z.object({ id: z.string().min(1).max(64) }).strict();
export const EditionEntryParams = z.object({ id: z.string().min(1).max(64), classification: z.string().max(32), sequence: z.string().max(16) }).strict();

/** One resource of an edition, as listed: enough to browse; the full snapshot is one request away. */
export const EditionEntrySummaryOut = z.object({
  code: z.string(),
  name: z.string(),
  providerDepartmentId: z.string(),
  regionCode: z.string(),
  category: z.number(),
  shareType: ShareType,
  openType: OpenType,
  sensitivity: Sensitivity,
  classified: z.boolean(),
  itemCount: z.number(),
  shareableItemCount: z.number(),
  contentHash: z.string(),
});
export type EditionEntrySummary = z.infer<typeof EditionEntrySummaryOut>;

export const EditionEntryOut = z.object({
  editionId: z.string(),
  code: z.string(),
  contentHash: z.string(),
  snapshot: ResourceOut.describe('the resource with its data items as it stood when the edition was published'),
});
export type EditionEntry = z.infer<typeof EditionEntryOut>;

export const EditionDiffQuery = z
  .object({
    from: z.string().min(1).max(64).describe('an edition id'),
    to: z.string().min(1).max(64).default('current').describe('an edition id, or "current" for the live catalogue'),
    code: z
      .string()
      .regex(RESOURCE_CODE_PATTERN, 'a resource code: classification code + "/" + sequence number')
      .optional()
      .describe("one resource's code: only that resource is compared (and read), e.g. for its own page"),
  })
  .strict();
export type EditionDiffQuery = z.infer<typeof EditionDiffQuery>;

const FieldChangeOut = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
const CodeName = z.object({ code: z.string(), name: z.string() });
const EditionRef = z.object({
  id: z.string().describe('"current" for the live catalogue'),
  name: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type EditionRef = z.infer<typeof EditionRef>;

export const EditionDiffOut = z.object({
  from: EditionRef,
  to: EditionRef,
  summary: z
    .object({
      resourcesAdded: z.number(),
      resourcesRemoved: z.number(),
      resourcesChanged: z.number(),
      itemsAdded: z.number(),
      itemsRemoved: z.number(),
      itemsChanged: z.number(),
    })
    .describe('item counts include the items of added and removed resources: items(to) = items(from) + itemsAdded − itemsRemoved'),
  added: z.array(CodeName),
  removed: z.array(CodeName),
  changed: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      fields: z.array(FieldChangeOut),
      items: z.object({
        added: z.array(z.string()),
        removed: z.array(z.string()),
        changed: z.array(z.object({ code: z.string(), fields: z.array(FieldChangeOut) })),
      }),
    }),
  ),
});
export type EditionDiff = z.infer<typeof EditionDiffOut>;
