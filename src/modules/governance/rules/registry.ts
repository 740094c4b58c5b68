/**
 * Quality rule kinds (DOMAIN.md §5): which dimension of GB/T 36344 each checks, whether it is
 * derived from the catalogue or written by a user, and how a scan evaluates it: pushed down into
 * the record table's aggregate query ('sql') or checked in code while streaming records ('code').
 */
export const DIMENSIONS = {
  completeness: { zh: '完整性' },
  accuracy: { zh: '准确性' },
  conformity: { zh: '规范性' },
  consistency: { zh: '一致性' },
  uniqueness: { zh: '唯一性' },
  relatedness: { zh: '关联性' },
  timeliness: { zh: '时效性' },
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_KEYS = Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]];

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

type KindSpec = { dimension: Dimension; severity: Severity; derived: boolean; path: 'sql' | 'code' | 'meta' };

export const RULE_KINDS = {
  // derived from the catalogue
  'not-null': { dimension: 'completeness', severity: 'high', derived: true, path: 'sql' },
  unique: { dimension: 'uniqueness', severity: 'high', derived: true, path: 'sql' },
  length: { dimension: 'conformity', severity: 'medium', derived: true, path: 'sql' },
  'code-set': { dimension: 'conformity', severity: 'medium', derived: true, path: 'code' },
  'citizen-id': { dimension: 'accuracy', severity: 'high', derived: true, path: 'code' },
  uscc: { dimension: 'accuracy', severity: 'high', derived: true, path: 'code' },
  'org-code': { dimension: 'accuracy', severity: 'high', derived: true, path: 'code' },
  mobile: { dimension: 'conformity', severity: 'low', derived: true, path: 'code' },
  'postal-code': { dimension: 'conformity', severity: 'low', derived: true, path: 'code' },
  'citizen-id-cross': { dimension: 'accuracy', severity: 'high', derived: true, path: 'code' },
  timeliness: { dimension: 'timeliness', severity: 'medium', derived: true, path: 'meta' },
  // custom, through the API
  regex: { dimension: 'conformity', severity: 'medium', derived: false, path: 'code' },
  range: { dimension: 'accuracy', severity: 'medium', derived: false, path: 'sql' },
  'in-set': { dimension: 'conformity', severity: 'medium', derived: false, path: 'sql' },
  sql: { dimension: 'accuracy', severity: 'medium', derived: false, path: 'sql' },
  // custom, across two resources: one SQL query per rule joining the two record tables
  consistency: { dimension: 'consistency', severity: 'medium', derived: false, path: 'sql' },
  relatedness: { dimension: 'relatedness', severity: 'medium', derived: false, path: 'sql' },
} as const satisfies Record<string, KindSpec>;
export type RuleKind = keyof typeof RULE_KINDS;
export const CUSTOM_KINDS = ['regex', 'range', 'in-set', 'sql', 'consistency', 'relatedness'] as const;
export type CustomKind = (typeof CUSTOM_KINDS)[number];
/** Rules that compare a resource's records with another resource's (一致性, 关联性). */
export const CROSS_RESOURCE_KINDS = ['consistency', 'relatedness'] as const;
export type CrossResourceKind = (typeof CROSS_RESOURCE_KINDS)[number];
export const isCrossResource = (kind: string): kind is CrossResourceKind => (CROSS_RESOURCE_KINDS as readonly string[]).includes(kind);
/**
 * How two items' values compare across resources: text with text, numbers with numbers (by value:
 * INTEGER 7 equals DECIMAL 7.00), dates with dates, booleans with booleans. Date-times keep their
 * written UTC offset, so comparing them as stored would be wrong; binaries are not compared.
 */
export type Comparison = 'text' | 'number' | 'date' | 'boolean';
export function comparisonOf(dataType: string): Comparison | null {
  if (dataType === 'STRING' || dataType === 'TEXT') return 'text';
  if (dataType === 'INTEGER' || dataType === 'DECIMAL' || dataType === 'DOUBLE') return 'number';
  if (dataType === 'DATE') return 'date';
  if (dataType === 'BOOLEAN') return 'boolean';
  return null;
}
/** Which item of this resource matches which item of the other resource in a consistency rule's key. */
export type KeyPair = { item: string; otherItem: string };

export type RangeBound = number | string;
export type RuleParams =
  | { kind: 'not-null' }
  | { kind: 'unique'; items: string[] }
  | { kind: 'length'; max: number }
  | { kind: 'code-set'; codeSet: string }
  | { kind: 'citizen-id' | 'uscc' | 'org-code' | 'mobile' | 'postal-code' }
  | { kind: 'citizen-id-cross'; birthItem: string | null; sexItem: string | null }
  | { kind: 'timeliness'; frequency: string; maxAgeDays: number }
  | { kind: 'regex'; pattern: string }
  | { kind: 'range'; min?: RangeBound; max?: RangeBound }
  | { kind: 'in-set'; values: (string | number)[] }
  | { kind: 'sql'; predicate: string }
  | { kind: 'consistency'; otherResourceId: string; otherItemCode: string; keys: KeyPair[] }
  | { kind: 'relatedness'; otherResourceId: string; otherItemCode: string };

/** A rule as scans and the API see it; derived ones are never stored (their switch is). */
export type Rule = {
  id: string;
  resourceId: string;
  itemCode: string | null;
  kind: RuleKind;
  dimension: Dimension;
  severity: Severity;
  enabled: boolean;
  derived: boolean;
  name: string | null;
  params: RuleParams;
};

/** How old the last successful collection may be, by update frequency (days); none for irregular, other, never. */
export const TIMELINESS_DAYS: Record<string, number> = {
  '01': 1, // 实时: at least daily
  '02': 1,
  '03': 7,
  '04': 31,
  '05': 92,
  '06': 183,
  '07': 366,
};
