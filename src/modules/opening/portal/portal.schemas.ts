import { z } from 'zod';
import { OpenDatasetOut } from '../datasets/datasets.schemas.js';

const csvList = z
  .string()
  .max(2000)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const DatasetSearchQuery = z
  .object({
    q: z.string().trim().max(200).optional().describe('text: Chinese segmented into words, English lower-cased; every word must match'),
    domain: csvList.optional().describe('open domain codes, comma-separated'),
    department: csvList.optional().describe('provider department ids'),
    region: csvList.optional().describe('region codes'),
    format: csvList.optional().describe('CSV, XLSX, JSON, API'),
    openType: csvList.optional().describe('UNCONDITIONAL, RESTRICTED'),
    sort: z
      .enum(['relevance', 'modified', 'name', 'records'])
      .default('relevance')
      .describe('relevance (modified when there is no q), modified, name, records'),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type DatasetSearchQuery = z.infer<typeof DatasetSearchQuery>;

const FacetCountOut = z.object({ value: z.string(), label: z.string(), count: z.number() });

export const DatasetSummaryOut = OpenDatasetOut.omit({ items: true }).extend({ itemCount: z.number() });

export const DatasetSearchOut = z.object({
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
  items: z.array(DatasetSummaryOut),
  facets: z.object({
    domain: z.array(FacetCountOut),
    department: z.array(FacetCountOut),
    region: z.array(FacetCountOut),
    format: z.array(FacetCountOut),
    openType: z.array(FacetCountOut),
  }),
});

export const DomainsOut = z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), datasets: z.number() })) });

export const DatasetDetailOut = OpenDatasetOut.extend({
  withheld: z.array(z.string()).describe('RESTRICTED items whose values this caller may not read (an approved application is needed)'),
});

export const RowsQuery = z
  .object({
    fields: csvList.optional().describe('item codes to return; every item the caller may read when absent'),
    filters: z.string().max(10_000).optional().describe('JSON object: item code → value, or array of values (any of); unmasked open items only'),
    q: z.string().trim().max(200).optional().describe('text contained in any returned text item'),
    sort: z.string().max(500).optional().describe('"code [asc|desc], …" (CKAN style); key order when absent'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).optional(),
    cursor: z.string().max(6000).optional().describe('nextCursor of the previous page (key order only)'),
  })
  .strict();
export type RowsQuery = z.infer<typeof RowsQuery>;

export const PreviewQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(6000).optional() }).strict();

export const RowsOut = z.object({
  fields: z.array(z.object({ id: z.string(), type: z.string(), title: z.string() })),
  records: z.array(z.record(z.string(), z.unknown())),
  total: z.number(),
  nextCursor: z.string().nullable(),
  withheld: z.array(z.string()).describe('RESTRICTED items left out: they need an approved application'),
});
