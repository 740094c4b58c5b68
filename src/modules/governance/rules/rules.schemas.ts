import { z } from 'zod';
import { DIMENSION_KEYS, RULE_KINDS, SEVERITIES, type RuleKind } from './registry.js';

const Dimension = z.enum(DIMENSION_KEYS);
const Severity = z.enum(SEVERITIES);
const Bound = z.union([z.number(), z.string().min(1).max(40)]);

const common = {
  resourceId: z.string().min(1).max(64),
  dimension: Dimension.optional().describe(
    "defaults to the kind's (regex, in-set: conformity 规范性; range, sql: accuracy 准确性; consistency: 一致性; relatedness: 关联性)",
  ),
  severity: Severity.default('medium'),
  enabled: z.boolean().default(true),
  name: z.string().trim().min(1).max(200).nullable().optional(),
};
const itemCode = z.string().min(1).max(63);
const otherResourceId = z.string().min(1).max(64).describe('the other resource (one the caller may see)');
const KeyPairs = z
  .array(z.object({ item: itemCode.describe("this resource's item"), otherItem: itemCode.describe("the other resource's item") }).strict())
  .min(1)
  .max(8);

export const RuleCreate = z.discriminatedUnion('kind', [
  z
    .object({
      ...common,
      kind: z.literal('regex'),
      itemCode,
      pattern: z.string().min(1).max(500).describe('a JavaScript regular expression the whole value must match'),
    })
    .strict(),
  z
    .object({ ...common, kind: z.literal('range'), itemCode, min: Bound.optional(), max: Bound.optional() })
    .strict()
    .describe('numbers for numeric items, ISO dates for date items; at least one bound'),
  z
    .object({
      ...common,
      kind: z.literal('in-set'),
      itemCode,
      values: z
        .array(z.union([z.string().max(200), z.number()]))
        .min(1)
        .max(1000),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('sql'),
      itemCode: itemCode.nullable().optional(),
      predicate: z.string().trim().min(1).max(2000).describe('a condition over item codes that a passing record satisfies (administrators only)'),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal('consistency'),
      itemCode,
      otherResourceId,
      otherItemCode: itemCode.describe("the other resource's item that should hold the same value"),
      keys: KeyPairs.optional().describe(
        "how a record finds its counterpart: this resource's items matched to the other's (default: this resource's primary-key items, by the same codes)",
      ),
    })
    .strict()
    .describe('一致性: a record and the record with the same key in the other resource hold the same value'),
  z
    .object({
      ...common,
      kind: z.literal('relatedness'),
      itemCode,
      otherResourceId,
      otherItemCode: itemCode.describe("the other resource's item the values must exist in (usually its key; any item is accepted)"),
    })
    .strict()
    .describe("关联性: every value exists in the other resource's item (referential integrity)"),
]);
export type RuleCreate = z.infer<typeof RuleCreate>;

export const RulePatch = z
  .object({
    enabled: z.boolean().optional(),
    severity: Severity.optional(),
    dimension: Dimension.optional(),
    name: z.string().trim().min(1).max(200).nullable().optional(),
    pattern: z.string().min(1).max(500).optional(),
    min: Bound.nullable().optional(),
    max: Bound.nullable().optional(),
    values: z
      .array(z.union([z.string().max(200), z.number()]))
      .min(1)
      .max(1000)
      .optional(),
    predicate: z.string().trim().min(1).max(2000).optional(),
    otherResourceId: otherResourceId.optional(),
    otherItemCode: itemCode.optional(),
    keys: KeyPairs.optional(),
  })
  .strict();
export type RulePatch = z.infer<typeof RulePatch>;

export const RuleOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  itemCode: z.string().nullable(),
  kind: z.enum(Object.keys(RULE_KINDS) as [RuleKind, ...RuleKind[]]),
  dimension: Dimension,
  severity: Severity,
  enabled: z.boolean(),
  derived: z.boolean(),
  name: z.string().nullable(),
  params: z
    .record(z.string(), z.unknown())
    .describe('what the kind checks (max length, code set, pattern, bounds, values, predicate, other resource, item and keys …)'),
});
export const RuleList = z.object({ items: z.array(RuleOut) });
export const RuleListQuery = z.object({ resourceId: z.string().min(1).max(64) }).strict();
export const RuleIdParams = z.object({ id: z.string().min(1).max(120) }).strict();
