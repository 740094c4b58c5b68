import { z } from 'zod';
import { keysOf, UPDATE_FREQUENCIES } from '../../catalog/index.js';
import { LICENCE_IDS } from './licences.js';

const isoDate = z.iso.date();
const Temporal = z
  .object({ from: isoDate.nullable().optional(), to: isoDate.nullable().optional() })
  .strict()
  .refine((t) => !t.from || !t.to || t.from <= t.to, { message: 'from must not be after to', path: ['to'] });

const fields = {
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,99}$/, 'lower-case letters, digits, - and _ (2–100), as CKAN names are')
    .describe('URL-safe unique name; derived from the resource code when absent'),
  title: z.string().trim().min(2).max(300).describe("defaults to the resource's name"),
  description: z.string().trim().min(1).max(4000).describe("defaults to the resource's summary"),
  tags: z.array(z.string().trim().min(1).max(50)).max(30),
  licenceId: z.enum(LICENCE_IDS),
  updateFrequency: z.enum(keysOf(UPDATE_FREQUENCIES)).nullable().describe("defaults to the resource's"),
  temporal: Temporal.nullable().describe('temporal coverage: ISO dates, either end open'),
};

export const PublishInput = z
  .object({
    resourceId: z.string().min(1).max(36),
    name: fields.name.optional(),
    title: fields.title.optional(),
    description: fields.description.optional(),
    tags: fields.tags.default([]),
    licenceId: fields.licenceId.default('CC-BY-4.0'),
    updateFrequency: fields.updateFrequency.optional(),
    temporal: fields.temporal.optional(),
  })
  .strict();
export type PublishInput = z.infer<typeof PublishInput>;

export const UpdateInput = z
  .object({
    title: fields.title.optional(),
    description: fields.description.optional(),
    tags: fields.tags.optional(),
    licenceId: fields.licenceId.optional(),
    updateFrequency: fields.updateFrequency.optional(),
    temporal: fields.temporal.optional(),
  })
  .strict();
export type UpdateInput = z.infer<typeof UpdateInput>;

export const DatasetParams = z.object({ id: z.string().min(1).max(100) }).strict();

export const OpenItemOut = z.object({
  code: z.string(),
  name: z.string(),
  dataType: z.string(),
  openType: z.enum(['UNCONDITIONAL', 'RESTRICTED']),
  masked: z.boolean(),
});

export const OpenDatasetOut = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  domain: z.string(),
  domainName: z.string(),
  tags: z.array(z.string()),
  licenceId: z.string(),
  updateFrequency: z.string().nullable(),
  resourceId: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  openType: z.enum(['UNCONDITIONAL', 'RESTRICTED']),
  items: z.array(OpenItemOut),
  temporal: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
  recordCount: z.number(),
  distributions: z.array(z.object({ id: z.string(), format: z.enum(['CSV', 'XLSX', 'JSON', 'API']), mediaType: z.string(), url: z.string() })),
  publishedAt: z.string(),
  modifiedAt: z.string(),
});
