import { createHash } from 'node:crypto';
import type { Resource } from '../../catalog/index.js';
import { resolveCodeSet } from '../checks/code-sets.js';
import { resolveItemCheck } from '../checks/value-checks.js';
import { RULE_KINDS, TIMELINESS_DAYS, type Rule, type RuleKind, type RuleParams } from './registry.js';

/**
 * A derived rule's id: stable while the resource, the kind and the item (by item id, so a rename
 * keeps it) stay. It names its resource (`d-<16 hex>-<resource id>`) so a switch finds its owner.
 */
export function derivedRuleId(resourceId: string, kind: RuleKind, itemKey: string): string {
  return `d-${createHash('sha256').update(`${resourceId}|${kind}|${itemKey}`).digest('hex').slice(0, 16)}-${resourceId}`;
}

/** The resource a derived rule id names, or null when `id` is not a derived rule's. */
export function resourceOfDerivedId(id: string): string | null {
  const m = /^d-[0-9a-f]{16}-(.{1,44})$/.exec(id);
  return m ? m[1]! : null;
}

const BIRTH = /(^|_)birth(_|$)|birthday|出生日期/i;

/**
 * The rules a resource's catalogue entry implies, with no manual work (DOMAIN.md §5): not-null for
 * non-nullable items, uniqueness of the primary-key items, the length of string items, code-set
 * membership, check digits, the citizen ID's birth date and sex against the resource's own birth
 * date and sex items, mobile and postal-code formats, and the timeliness of the last collection.
 * Derived afresh from the current catalogue whenever rules are listed or a resource is scanned.
 */
export function deriveRules(resource: Resource): Rule[] {
  const items = resource.items ?? [];
  const rules: Rule[] = [];
  const add = (kind: RuleKind, itemKey: string, itemCode: string | null, params: RuleParams) => {
    const spec = RULE_KINDS[kind];
    rules.push({
      id: derivedRuleId(resource.id, kind, itemKey), resourceId: resource.id, itemCode, kind, dimension: spec.dimension, severity: spec.severity,
      enabled: true, derived: true, name: null, params,
    });
  };

  for (const item of items) {
    if (!item.nullable) add('not-null', item.id, item.code, { kind: 'not-null' });
  }
  const keys = items.filter((i) => i.primaryKey);
  if (keys.length > 0) add('unique', keys.map((k) => k.id).join(','), keys.length === 1 ? keys[0]!.code : null, { kind: 'unique', items: keys.map((k) => k.code) });
  for (const item of items) {
    if (item.dataType === 'STRING' && item.length) add('length', item.id, item.code, { kind: 'length', max: item.length });
  }
  // Code sets, check digits, mobile and postal-code formats: which check an item's codeSet (or, without one, its code and name) implies.
  for (const item of items) {
    const check = resolveItemCheck(item);
    if (!check) continue;
    if (check.kind === 'code-set') add('code-set', item.id, item.code, { kind: 'code-set', codeSet: check.codeSet! });
    else add(check.kind, item.id, item.code, { kind: check.kind });
  }
  // Cross-field: the birth date and sex a citizen ID number carries agree with the resource's own items.
  const birth = items.find((i) => (i.dataType === 'DATE' || i.dataType === 'DATETIME') && (BIRTH.test(i.code) || BIRTH.test(i.name)));
  const sex = items.find((i) => resolveCodeSet(i.codeSet) === 'sex');
  if (birth || sex) {
    for (const item of items) {
      if (resolveItemCheck(item)?.kind !== 'citizen-id') continue;
      add('citizen-id-cross', item.id, item.code, { kind: 'citizen-id-cross', birthItem: birth?.code ?? null, sexItem: sex?.code ?? null });
    }
  }
  const maxAgeDays = TIMELINESS_DAYS[resource.updateFrequency];
  if (maxAgeDays !== undefined) add('timeliness', '', null, { kind: 'timeliness', frequency: resource.updateFrequency, maxAgeDays });
  return rules;
}
