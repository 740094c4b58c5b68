import { z } from 'zod';

const count = z.number().int().min(0);
const coverage = z.number().min(0).max(1).nullable().describe('resources with data ÷ catalogued resources (应归尽归); null when nothing is catalogued');

const Coverage = z.object({ resources: count, resourcesWithData: count, records: count, coverage });

export const CollectionFiguresQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional().describe('the year of "records added"; default: this year'),
    top: z.coerce.number().int().min(0).max(1000).default(20).describe('how many resources to list in byResource (largest first)'),
  })
  .strict();
export type CollectionFiguresQuery = z.infer<typeof CollectionFiguresQuery>;

export const CollectionFiguresOut = z.object({
  scope: z.enum(['all', 'public', 'department']).describe('as in /catalog/stats: which resources the figures cover'),
  year: z.number().int(),
  resources: count.describe('catalogued resources'),
  resourcesWithData: count.describe('catalogued resources holding at least one live record'),
  coverage,
  records: count.describe('live records (not marked deleted) over all resources'),
  recordsAddedInYear: count.describe('records first inserted by loads that finished in `year`'),
  cityLevel: Coverage.describe('resources whose region is the city (prefecture level)'),
  districts: Coverage.describe('resources whose region is a district or county'),
  byRegion: z.array(Coverage.extend({ regionCode: z.string(), regionName: z.string(), level: z.string() })),
  byDepartment: z.array(Coverage.extend({ departmentId: z.string(), departmentName: z.string(), regionCode: z.string(), recordsAddedInYear: count })),
  byResource: z.array(
    z.object({ resourceId: z.string(), code: z.string(), name: z.string(), departmentId: z.string(), records: count, lastLoadedAt: z.string().nullable() }),
  ),
});
export type CollectionFigures = z.infer<typeof CollectionFiguresOut>;
