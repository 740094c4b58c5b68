import { z } from 'zod';
import {
  CATEGORIES,
  DATA_TYPES,
  FORMAT_CATEGORIES,
  IMPORTANCE_LEVELS,
  keysOf,
  MASKING_RULES,
  OPEN_DOMAINS,
  OPEN_TYPES,
  SENSITIVITY_LEVELS,
  SHARE_MODES,
  SHARE_TYPES,
  UPDATE_FREQUENCIES,
} from '../codes.js';
import { RegionCode } from '../regions/regions.schemas.js';

const numericKeys = (o: object) => Object.keys(o).map(Number) as [number, ...number[]];
const oneOfNumbers = (o: object, what: string) =>
  z
    .number()
    .int()
    .refine((n) => numericKeys(o).includes(n), { message: `not a ${what} code (${numericKeys(o).join(', ')})` });

export const ShareType = z.enum(keysOf(SHARE_TYPES));
export const OpenType = z.enum(keysOf(OPEN_TYPES));
export const Sensitivity = z.enum(keysOf(SENSITIVITY_LEVELS));

/** Resource code = classification code (类 1 digit + 项 2 [+ 目 3 [+ 细目]]) "/" sequence number. */
export const RESOURCE_CODE_PATTERN = /^([1-3]\d{2}(?:\d{3}\d*)?)\/(\d{1,10})$/;

/** Item codes become column names when data is collected, so they are SQL-safe identifiers. */
export const ITEM_CODE_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export const DataItemInput = z
  .object({
    id: z.string().max(36).optional().describe('keep the id of an existing item when it is renamed'),
    code: z
      .string()
      .trim()
      .transform((s) => s.toLowerCase())
      .pipe(z.string().regex(ITEM_CODE_PATTERN, 'a letter, then letters, digits or _ (at most 63)')),
    name: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().max(200).nullable().optional(),
    dataType: z.enum(keysOf(DATA_TYPES)),
    legacyType: z
      .string()
      .regex(/^[A-Z]$/)
      .nullable()
      .optional(),
    length: z.number().int().min(1).max(100000).nullable().optional(),
    precision: z.number().int().min(0).max(30).nullable().optional(),
    primaryKey: z.boolean().default(false),
    nullable: z.boolean().optional().describe('defaults to false for primary-key items, true otherwise'),
    codeSet: z.string().max(100).nullable().optional(),
    dataElement: z.string().max(100).nullable().optional(),
    shareType: ShareType.optional().describe("defaults to the resource's"),
    shareCondition: z.string().max(2000).nullable().optional(),
    openType: OpenType.optional().describe("defaults to the resource's"),
    openCondition: z.string().max(2000).nullable().optional(),
    sensitivity: Sensitivity.optional().describe("defaults to the resource's"),
    maskingRule: z.enum(keysOf(MASKING_RULES)).nullable().optional(),
    sourceField: z.string().max(200).nullable().optional(),
    description: z.string().max(2000).nullable().optional(),
  })
  .strict();
export type DataItemInput = z.infer<typeof DataItemInput>;

export const ResourceInput = z
  .object({
    code: z.string().trim().regex(RESOURCE_CODE_PATTERN, 'classification code (e.g. 101001) + "/" + sequence number'),
    name: z.string().trim().min(2).max(200),
    nameEn: z.string().trim().max(200).nullable().optional(),
    category: oneOfNumbers(CATEGORIES, 'category'),
    providerDepartmentId: z.string().min(1).max(36),
    regionCode: RegionCode.optional().describe("defaults to the provider department's region"),
    summary: z.string().trim().min(1).max(4000),
    formatCategory: oneOfNumbers(FORMAT_CATEGORIES, 'format category'),
    formatType: z.string().max(32).nullable().optional(),
    shareType: ShareType,
    shareCondition: z.string().max(2000).nullable().optional(),
    notSharedBasis: z.string().max(2000).nullable().optional().describe('不予共享依据: required for NOT_SHARED'),
    shareModes: z
      .array(z.enum(keysOf(SHARE_MODES)))
      .max(5)
      .default([]),
    openType: OpenType,
    openCondition: z.string().max(2000).nullable().optional(),
    openDomain: oneOfNumbers(OPEN_DOMAINS, 'open domain').nullable().optional(),
    updateFrequency: z.enum(keysOf(UPDATE_FREQUENCIES)),
    publishedOn: z.iso.date().nullable().optional(),
    relatedCodes: z.array(z.string().regex(RESOURCE_CODE_PATTERN)).max(100).default([]),
    systemId: z.string().max(36).nullable().optional(),
    sensitivity: Sensitivity,
    importance: z.enum(keysOf(IMPORTANCE_LEVELS)).default('GENERAL'),
    classified: z.boolean().default(false),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    recordCounts: z
      .object({ total: z.number().int().min(0), shared: z.number().int().min(0), open: z.number().int().min(0) })
      .strict()
      .optional(),
    items: z.array(DataItemInput).min(1).max(2000),
  })
  .strict();
export type ResourceInput = z.infer<typeof ResourceInput>;

export const DataItemOut = z.object({
  id: z.string(),
  seq: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  dataType: z.enum(keysOf(DATA_TYPES)),
  legacyType: z.string().nullable(),
  length: z.number().nullable(),
  precision: z.number().nullable(),
  primaryKey: z.boolean(),
  nullable: z.boolean(),
  codeSet: z.string().nullable(),
  dataElement: z.string().nullable(),
  shareType: ShareType,
  shareCondition: z.string().nullable(),
  openType: OpenType,
  openCondition: z.string().nullable(),
  sensitivity: Sensitivity,
  maskingRule: z.enum(keysOf(MASKING_RULES)).nullable(),
  sourceField: z.string().nullable(),
  description: z.string().nullable(),
});
export type DataItem = z.infer<typeof DataItemOut>;

export const ResourceOut = z.object({
  id: z.string(),
  code: z.string(),
  classificationCode: z.string(),
  sequenceNo: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  category: z.number(),
  providerDepartmentId: z.string(),
  regionCode: z.string(),
  summary: z.string(),
  formatCategory: z.number(),
  formatType: z.string().nullable(),
  shareType: ShareType,
  shareCondition: z.string().nullable(),
  notSharedBasis: z.string().nullable(),
  shareModes: z.array(z.string()),
  openType: OpenType,
  openCondition: z.string().nullable(),
  openDomain: z.number().nullable(),
  updateFrequency: z.string(),
  publishedOn: z.string().nullable(),
  relatedCodes: z.array(z.string()),
  systemId: z.string().nullable(),
  sensitivity: Sensitivity,
  importance: z.string(),
  classified: z.boolean(),
  tags: z.array(z.string()),
  recordCounts: z.object({ total: z.number(), shared: z.number(), open: z.number() }),
  itemCount: z.number(),
  shareableItemCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  items: z.array(DataItemOut).optional().describe('present on single-resource reads'),
});
export type Resource = z.infer<typeof ResourceOut>;

const csv = <T extends z.ZodType<string, string>>(inner: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(inner).min(1));

export const ResourceSearchQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().optional(),
    q: z.string().trim().min(1).max(100).optional().describe('text in code, name, English name, summary, tags or item names'),
    providerDepartmentId: z.string().max(36).optional(),
    regionCode: RegionCode.optional(),
    category: z.coerce.number().int().min(1).max(3).optional(),
    shareType: csv(ShareType).optional().describe('one or more, comma-separated'),
    openType: csv(OpenType).optional(),
    sensitivity: csv(Sensitivity).optional(),
    updateFrequency: csv(z.enum(keysOf(UPDATE_FREQUENCIES))).optional(),
    systemId: z.string().max(36).optional(),
    openDomain: z.coerce.number().int().optional(),
    classified: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export type ResourceSearchQuery = z.infer<typeof ResourceSearchQuery>;
