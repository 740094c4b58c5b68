import { createHash } from 'node:crypto';
import type { Resource } from '../../catalog/index.js';
import { resolveCodeSet } from '../checks/code-sets.js';
import { resolveItemCheck } from '../checks/value-checks.js';
import { RULE_KINDS, TIMELINESS_DAYS, type Rule, type RuleKind, type RuleParams } from './registry.js';

const BIRTH = /(^|_)birth(_|$)|birthday|出生日期/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A derived rule's id: stable while the resource, the kind and the item (by item id, so a rename
 * keeps it) stay, and naming its resource so a switch finds its owner. 36 characters, like every
 * other id: `d`, the resource's UUID in base64url (22), a hash of resource, kind and item (13).
 * A resource id that is not a UUID gives the longer `dl-<16 hex>-<resource id>`.
 */
export function derivedRuleId(resourceId: string, kind: RuleKind, itemKey: string): string {
  const hash = createHash('sha256').update(`${resourceId}|${kind}|${itemKey}`).digest();
  if (UUID.test(resourceId)) return `d${Buffer.from(resourceId.replace(/-/g, ''), 'hex').toString('base64url')}${hash.toString('base64url').slice(0, 13)}`;
  return `dl-${hash.toString('hex').slice(0, 16)}-${resourceId}`;
}

/** The resource a derived rule id names, or null when `id` is not a derived rule's. */
export function resourceOfDerivedId(id: string): string | null {
  const long = /^dl-[0-9a-f]{16}-(.{1,44})$/.exec(id);
  if (long) return long[1]!;
  if (!/^d[A-Za-z0-9_-]{35}$/.test(id)) return null;
  const hex = Buffer.from(id.slice(1, 23), 'base64url').toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return UUID.test(uuid) && Buffer.from(hex, 'hex').toString('base64url') === id.slice(1, 23) ? uuid : null;
}

/** An item naming someone other than the record's subject: a parent's, spouse's or applicant's ID. */
const OTHER_PERSON = /mother|father|parent|spouse|guardian|applicant|contact|agent|legal_rep|母|父|配偶|监护人|申请人|联系人|代理人|法定代表人|经办人/i;

/**
 * The citizen ID of the person a record is about, whose birth date and sex the record's own items
 * describe: the only citizen-ID item not naming someone else, a key item first. None when that is
 * ambiguous — a birth record's mother's ID must not be checked against the child's birth date.
 */
function subjectCitizenId<T extends { code: string; name: string; primaryKey: boolean; codeSet: string | null; dataType: string }>(
  items: readonly T[],
): T | null {
  const ids = items.filter((i) => resolveItemCheck(i)?.kind === 'citizen-id' && !OTHER_PERSON.test(i.code) && !OTHER_PERSON.test(i.name));
  const keys = ids.filter((i) => i.primaryKey);
  if (keys.length === 1) return keys[0]!;
  return ids.length === 1 ? ids[0]! : null;
}

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
      id: derivedRuleId(resource.id, kind, itemKey),
      resourceId: resource.id,
      itemCode,
      kind,
      dimension: spec.dimension,
      severity: spec.severity,
      enabled: true,
      derived: true,
      name: null,
      params,
    });
  };

  for (const item of items) {
    if (!item.nullable) add('not-null', item.id, item.code, { kind: 'not-null' });
  }
  const keys = items.filter((i) => i.primaryKey);
  if (keys.length > 0)
    add('unique', keys.map((k) => k.id).join(','), keys.length === 1 ? keys[0]!.code : null, { kind: 'unique', items: keys.map((k) => k.code) });
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
  const subject = subjectCitizenId(items);
  if ((birth || sex) && subject) {
    add('citizen-id-cross', subject.id, subject.code, { kind: 'citizen-id-cross', birthItem: birth?.code ?? null, sexItem: sex?.code ?? null });
  }
  const maxAgeDays = TIMELINESS_DAYS[resource.updateFrequency];
  if (maxAgeDays !== undefined) add('timeliness', '', null, { kind: 'timeliness', frequency: resource.updateFrequency, maxAgeDays });
  return rules;
}
