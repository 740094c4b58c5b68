import { z } from 'zod';

const count = z.number().int().min(0);
const matchRate = z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .describe('crosswalk rows linked to a master ÷ crosswalk rows (a review may link an UNMATCHED row); null without rows');

const Tiers = z
  .object({ KEY: count, LEGACY: count, BRIDGE: count, ATTRIBUTES: count, UNMATCHED: count })
  .describe('crosswalk rows by how they matched: a valid key, a 15-digit ID upgraded, the organisation-code bridge, an attribute combination, or not at all');

const Crosswalk = z.object({ sources: count.describe('crosswalk rows: member records folded into the theme'), linked: count, tiers: Tiers, matchRate });

export const ThemesFiguresOut = z.object({
  scope: z.enum(['all', 'public', 'department']).describe('as in /collection/stats: which member resources the per-member lists name'),
  themes: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      masters: count.describe('master records'),
      ...Crosswalk.shape,
      conflictsOpen: count.describe('attributes on which member sources disagree, not yet resolved'),
      reviewPending: count.describe('member records without a usable key or attribute match, waiting in the review queue'),
      members: z.array(z.object({ resourceId: z.string(), resourceCode: z.string(), resourceName: z.string(), ...Crosswalk.shape })),
    }),
  ),
  totals: z
    .object({ themes: count, masters: count, ...Crosswalk.shape, conflictsOpen: count, reviewPending: count })
    .describe("the six thematic databases together (the seed's 六大主题库)"),
});
export type ThemesFigures = z.infer<typeof ThemesFiguresOut>;
