import { z } from 'zod';

const count = z.number().int().min(0);

/** One value of a code list with its counts. */
const Breakdown = z.object({
  code: z.union([z.string(), z.number()]),
  zh: z.string(),
  en: z.string(),
  resources: count,
  items: count,
});

const Figures = z.object({ resources: count, items: count, shareableItems: count });

export const CatalogStatsOut = z.object({
  scope: z
    .enum(['all', 'public', 'department'])
    .describe(
      "what the figures cover: 'all' (every entry), 'public' (classified entries left out), 'department' (public entries plus the caller's department's classified ones)",
    ),
  resources: count,
  items: count,
  shareableItems: count.describe('data items whose own share type is not NOT_SHARED (不予共享)'),
  openableItems: count.describe('data items whose own open type is not PROHIBITED (禁止开放)'),
  classifiedResources: count,
  byCategory: z.array(Breakdown).describe('resources of each category, and their data items'),
  byShareType: z.array(Breakdown).describe("resources by the resource's share type; items by the item's own share type"),
  byOpenType: z.array(Breakdown).describe("resources by the resource's open type; items by the item's own open type"),
  bySensitivity: z.array(Breakdown).describe("resources by the resource's sensitivity; items by the item's own sensitivity"),
  byUpdateFrequency: z.array(Breakdown).describe('resources of each update frequency, and their data items'),
  cityLevel: Figures.describe('resources whose region is the city (prefecture level)'),
  districts: Figures.describe('resources whose region is a district or county'),
  byRegion: z.array(z.object({ regionCode: z.string(), regionName: z.string(), level: z.string(), resources: count, items: count, shareableItems: count })),
  byDepartment: z.array(
    z.object({ departmentId: z.string(), departmentName: z.string(), regionCode: z.string(), resources: count, items: count, shareableItems: count }),
  ),
  systems: z.object({
    total: count,
    connected: count.describe('connected to the platform (已对接)'),
    byLevel: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string(), systems: count, connected: count })),
  }),
});
export type CatalogStats = z.infer<typeof CatalogStatsOut>;

const Code = z.object({ code: z.union([z.string(), z.number()]), zh: z.string(), en: z.string() });

export const CodeListsOut = z.object({
  categories: z.array(Code),
  shareTypes: z.array(Code),
  openTypes: z.array(Code),
  shareModes: z.array(Code),
  updateFrequencies: z.array(Code),
  formatCategories: z.array(Code),
  sensitivityLevels: z.array(Code),
  importanceLevels: z.array(Code),
  openDomains: z.array(Code),
  dataTypes: z.array(Code.extend({ letter: z.string().describe('the legacy xBase/DBF letter of the national template') })),
  legacyTypeLetters: z.array(z.object({ letter: z.string(), dataType: z.string() })),
  systemLevels: z.array(Code),
  systemStatuses: z.array(Code),
  departmentKinds: z.array(Code),
  maskingRules: z.array(Code),
});
export type CodeLists = z.infer<typeof CodeListsOut>;
