import { z } from 'zod';
import { KEY_KINDS, MATCH_TIERS } from '../contracts.js';

const code = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'lower-case letters, digits and _ (starting with a letter)');
const resourceId = z.string().min(1).max(36);

export const ThemeParams = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a theme code: lower-case letters, digits and _') }).strict();

const Attribute = z
  .object({
    code,
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    indexed: z.boolean().optional(),
  })
  .strict();

const Member = z
  .object({
    resourceId,
    keyItem: z.string().min(1).max(100),
    attributes: z.record(code, z.string().min(1).max(100)).describe('master attribute code → the member item code'),
    priority: z.number().int().min(0).max(1000).describe('lower wins'),
  })
  .strict();

/** A theme definition as PUT sends it (the code is the URL's). */
export const ThemeInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    keyKind: z.enum(KEY_KINDS),
    attributes: z.array(Attribute).min(1).max(200),
    members: z.array(Member).min(1).max(50),
    attributePriority: z.record(code, z.array(resourceId).min(1).max(50)).optional(),
    fallbackMatch: z.array(z.array(code).min(2, 'a combination needs at least 2 attributes (never a name alone)').max(10)).max(10).optional(),
    geometry: z.union([z.object({ geojson: code }).strict(), z.object({ longitude: code, latitude: code }).strict()]).optional(),
    regionAttribute: code.optional(),
  })
  .strict();
export type ThemeInput = z.infer<typeof ThemeInput>;

const MemberState = z.object({
  status: z.enum(['NEVER', 'QUEUED', 'RUNNING', 'IDLE', 'FAILED']),
  syncedAt: z.string().nullable(),
  rowsSeen: z.number(),
  error: z.string().nullable(),
});

export const ThemeSummaryOut = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  keyKind: z.enum(KEY_KINDS),
  version: z.number(),
  attributes: z.array(Attribute),
  members: z.array(
    z.object({
      resourceId: z.string(),
      resourceCode: z.string().nullable(),
      resourceName: z.string().nullable(),
      keyItem: z.string(),
      priority: z.number(),
      state: MemberState,
    }),
  ),
  counts: z.object({ masters: z.number(), sources: z.number(), reviewPending: z.number(), conflictsOpen: z.number() }),
});
export const ThemeListOut = z.object({ items: z.array(ThemeSummaryOut) });
export const ThemeOut = ThemeSummaryOut.extend({ definition: ThemeInput.extend({ code: z.string() }) });
export const SyncOut = z.object({ members: z.array(MemberState.extend({ resourceId: z.string() })) });

export const Tier = z.enum(MATCH_TIERS);
