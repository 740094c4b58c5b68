import { z } from 'zod';
import { INTERFACE_LEVELS, INTERFACE_STATUSES, RESERVED_PARAMETERS } from './interface-config.js';

const Id = z.string().min(1).max(64);
const ItemCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a data item code')
  .refine((c) => !RESERVED_PARAMETERS.has(c), { message: `reserved by the gateway (${[...RESERVED_PARAMETERS].join(', ')})` });
const Code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{1,62}$/, 'a lowercase letter, then lowercase letters, digits, _ or - (2–63)');
const Version = z
  .string()
  .trim()
  .regex(/^v?\d{1,4}(\.\d{1,4}){0,2}$/, 'a version such as v1 or 1.2');
const Limit = (what: string) => z.number().int().min(1).max(1_000_000_000).nullable().optional().describe(`${what}; null or absent: unlimited`);

const limits = {
  ratePerSecond: Limit('calls per second per consumer'),
  quotaPerDay: Limit('calls per consumer per calendar day (Asia/Shanghai)'),
  quotaPerMonth: Limit('calls per consumer per calendar month (Asia/Shanghai)'),
};

export const InterfaceParams = z.object({ id: Id }).strict();

export const GeneratedInterfaceIn = z
  .object({
    resourceId: Id,
    code: Code,
    version: Version.default('v1'),
    name: z.string().trim().min(2).max(300),
    keyItems: z
      .array(ItemCode)
      .min(1)
      .max(10)
      .optional()
      .describe("the items a single or batch lookup names; default (and today the only choice): the resource's primary-key items"),
    filterItems: z.array(ItemCode).max(50).default([]).describe('items a consumer may filter /records on (equality, repeated for any of several values)'),
    level: z.enum(INTERFACE_LEVELS).default('CITY'),
    ...limits,
  })
  .strict();

const UpstreamAuth = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('none') }).strict(),
  z.object({ scheme: z.literal('header'), header: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'an HTTP header name') }).strict(),
  z
    .object({
      scheme: z.literal('zhejiang'),
      appKey: z.string().min(1).max(200),
      refreshUrl: z.url({ protocol: /^https?$/ }).max(2000),
    })
    .strict(),
]);

const upstreamFields = {
  url: z.url({ protocol: /^https?$/ }).max(2000),
  method: z.enum(['GET', 'POST']).default('GET'),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  auth: UpstreamAuth.default({ scheme: 'none' }),
  secret: z.string().min(1).max(4000).optional().describe('the header value (header scheme) or the app secret (zhejiang); write-only, sealed at rest'),
};

export const UpstreamInterfaceIn = z
  .object({
    departmentId: Id.optional().describe("the providing department; an officer's own by default"),
    code: Code,
    version: Version.default('v1'),
    name: z.string().trim().min(2).max(300),
    level: z.enum(INTERFACE_LEVELS).default('PROVINCIAL'),
    ...upstreamFields,
    ...limits,
  })
  .strict();

export const InterfacePatch = z
  .object({
    name: z.string().trim().min(2).max(300).optional(),
    code: Code.optional().describe('draft interfaces only'),
    version: Version.optional().describe('draft interfaces only'),
    status: z.enum(INTERFACE_STATUSES).optional().describe('DRAFT → PUBLISHED → OFFLINE → PUBLISHED'),
    level: z.enum(INTERFACE_LEVELS).optional(),
    filterItems: z.array(ItemCode).max(50).optional().describe('generated interfaces'),
    url: upstreamFields.url.optional(),
    method: z.enum(['GET', 'POST']).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
    auth: UpstreamAuth.optional(),
    secret: upstreamFields.secret.nullable().describe('upstream interfaces: a new secret, or null to remove it'),
    ...limits,
  })
  .strict();

export const InterfaceListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
    kind: z.enum(['GENERATED', 'UPSTREAM']).optional(),
    status: z.enum(INTERFACE_STATUSES).optional(),
    resourceId: Id.optional(),
    departmentId: Id.optional(),
  })
  .strict();

export const InterfaceOut = z.object({
  id: z.string(),
  code: z.string(),
  version: z.string(),
  name: z.string(),
  kind: z.enum(['GENERATED', 'UPSTREAM']),
  level: z.enum(INTERFACE_LEVELS),
  status: z.enum(INTERFACE_STATUSES),
  resourceId: z.string().nullable(),
  departmentId: z.string(),
  ratePerSecond: z.number().nullable(),
  quotaPerDay: z.number().nullable(),
  quotaPerMonth: z.number().nullable(),
  keyItems: z.array(z.string()).describe('generated interfaces; [] for upstream ones'),
  filterItems: z.array(z.string()),
  upstream: z
    .object({
      url: z.string(),
      method: z.enum(['GET', 'POST']),
      timeoutMs: z.number(),
      auth: z.record(z.string(), z.string()).describe('scheme and its public settings (never the secret)'),
      hasSecret: z.boolean(),
    })
    .nullable(),
  gatewayPath: z.string().describe('where consumers call it: /gateway/<code>/<version>'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const InterfacePageOut = z.object({ items: z.array(InterfaceOut), nextCursor: z.string().nullable() });
export const OpenApiOut = z.record(z.string(), z.unknown()).describe('an OpenAPI 3.1 document');

export type GeneratedInterfaceInput = z.infer<typeof GeneratedInterfaceIn>;
export type UpstreamInterfaceInput = z.infer<typeof UpstreamInterfaceIn>;
export type InterfacePatchInput = z.infer<typeof InterfacePatch>;
export type InterfaceListQuery = z.infer<typeof InterfaceListQuery>;
