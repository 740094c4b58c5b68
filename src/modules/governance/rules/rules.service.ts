import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { fromJson, toBool, type Db } from '../../../storage/dialect.js';
import type { QualityRuleTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader, type DataItem, type Resource } from '../../catalog/index.js';
import { governancePolicy } from '../governance.policy.js';
import { deriveRules, resourceOfDerivedId } from './derive.js';
import { RULE_KINDS, comparisonOf, isCrossResource, type CustomKind, type KeyPair, type Rule, type RuleParams } from './registry.js';
import { presentRule } from './rules.presenter.js';
import { createRulesRepository } from './rules.repository.js';
import type { RuleCreate, RulePatch } from './rules.schemas.js';

export type RulesDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Tries an SQL predicate against the resource's record table (when it has one); throws a clear error when it does not run. */
  checkPredicate(resourceId: string, predicate: string): Promise<void>;
};

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

const NUMERIC = new Set(['INTEGER', 'DECIMAL', 'DOUBLE']);
// DATETIME values keep their UTC offset as written, so comparing them as text would be wrong: ranges take dates and numbers.
const DATES = new Set(['DATE']);
const TEXTUAL = new Set(['STRING', 'TEXT']);

type Draft = {
  kind: CustomKind;
  itemCode: string | null;
  pattern?: string;
  min?: number | string | null;
  max?: number | string | null;
  values?: (string | number)[];
  predicate?: string;
  /** Cross-resource kinds: the other resource (already checked visible to the caller) and its items. */
  other?: { id: string; items: readonly DataItem[] };
  otherItemCode?: string;
  keys?: KeyPair[];
};

const CROSS_FIELDS = ['otherResourceId', 'otherItemCode', 'keys'] as const;
const COMMON_PATCH = new Set(['enabled', 'severity', 'dimension', 'name']);

/** Throws unless an item of this resource and one of the other compare (registry's comparisonOf); `path` names the field. */
function assertComparable(mine: DataItem, theirs: DataItem, otherId: string, path: string) {
  const kind = comparisonOf(mine.dataType);
  if (kind === null || kind !== comparisonOf(theirs.dataType))
    throw invalid(
      path,
      `Item '${mine.code}' (${mine.dataType}) and item '${theirs.code}' of resource '${otherId}' (${theirs.dataType}) do not compare: text with text, numbers with numbers, dates with dates, booleans with booleans (not date-times or binaries)`,
    );
}

/** A consistency or relatedness rule's parameters, checked against both resources' items. */
function crossParamsOf(d: Draft, item: DataItem | undefined, items: readonly DataItem[]): RuleParams {
  const other = d.other!;
  if (!item) throw invalid('body.itemCode', `A ${d.kind} rule checks an item of this resource`);
  const findOther = (code: string, path: string) => {
    const found = other.items.find((i) => i.code === code);
    if (!found) throw invalid(path, `No data item '${code}' in resource '${other.id}'`);
    return found;
  };
  assertComparable(item, findOther(d.otherItemCode!, 'body.otherItemCode'), other.id, 'body.otherItemCode');
  // Relatedness accepts any item of the other resource, not only its key: a reference often
  // names a unique code the catalogue does not mark as the key (a USCC in a legal-entity base keyed otherwise).
  if (d.kind === 'relatedness') return { kind: 'relatedness', otherResourceId: other.id, otherItemCode: d.otherItemCode! };
  let keys: KeyPair[];
  if (d.keys) {
    keys = d.keys.map((k, n) => {
      const mine = items.find((i) => i.code === k.item);
      if (!mine) throw invalid(`body.keys.${n}.item`, `No data item '${k.item}' in this resource`);
      assertComparable(mine, findOther(k.otherItem, `body.keys.${n}.otherItem`), other.id, `body.keys.${n}.otherItem`);
      return { item: k.item, otherItem: k.otherItem };
    });
  } else {
    const primary = items.filter((i) => i.primaryKey);
    if (primary.length === 0) throw invalid('body.keys', 'This resource has no primary-key items: name the key correspondence in keys');
    keys = primary.map((mine) => {
      const theirs = other.items.find((i) => i.code === mine.code);
      if (!theirs)
        throw invalid('body.keys', `Resource '${other.id}' has no item '${mine.code}' to match this resource's key item: name the correspondence in keys`);
      assertComparable(mine, theirs, other.id, 'body.keys');
      return { item: mine.code, otherItem: theirs.code };
    });
  }
  return { kind: 'consistency', otherResourceId: other.id, otherItemCode: d.otherItemCode!, keys };
}

/** Checks a custom rule's parameters against its item's data type; returns what is stored. */
function paramsOf(d: Draft, items: readonly DataItem[]): RuleParams {
  let item: DataItem | undefined;
  if (d.itemCode !== null) {
    item = items.find((i) => i.code === d.itemCode);
    if (!item) throw invalid('body.itemCode', `No data item '${d.itemCode}' in this resource`);
  }
  switch (d.kind) {
    case 'regex': {
      if (!item || !TEXTUAL.has(item.dataType)) throw invalid('body.itemCode', 'A regex rule checks a string item');
      try {
        new RegExp(d.pattern!, 'u');
      } catch (err) {
        throw invalid('body.pattern', `Not a valid regular expression: ${(err as Error).message}`);
      }
      return { kind: 'regex', pattern: d.pattern! };
    }
    case 'range': {
      if (!item || !(NUMERIC.has(item.dataType) || DATES.has(item.dataType)))
        throw invalid('body.itemCode', 'A range rule checks a numeric or date item (not a date-time)');
      const bounds: { min?: number | string; max?: number | string } = {};
      for (const key of ['min', 'max'] as const) {
        const v = d[key];
        if (v === undefined || v === null) continue;
        if (NUMERIC.has(item.dataType) && (typeof v !== 'number' || !Number.isFinite(v)))
          throw invalid(`body.${key}`, `Item '${item.code}' is numeric: the bound is a number`);
        if (DATES.has(item.dataType)) {
          const ok = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
          if (!ok) throw invalid(`body.${key}`, `Item '${item.code}' is a date: the bound is an ISO date (YYYY-MM-DD)`);
        }
        bounds[key] = v;
      }
      if (bounds.min === undefined && bounds.max === undefined) throw invalid('body', 'A range rule needs min, max or both');
      if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) throw invalid('body.min', 'min is above max');
      return { kind: 'range', ...bounds };
    }
    case 'in-set': {
      if (!item || !(TEXTUAL.has(item.dataType) || item.dataType === 'INTEGER'))
        throw invalid('body.itemCode', 'An in-set rule checks a string or integer item');
      const wantNumber = item.dataType === 'INTEGER';
      d.values!.forEach((v, n) => {
        if (wantNumber ? !Number.isSafeInteger(v) : typeof v !== 'string')
          throw invalid(`body.values.${n}`, `Item '${item.code}' is ${wantNumber ? 'an integer: values are integers' : 'a string: values are strings'}`);
      });
      return { kind: 'in-set', values: [...new Set(d.values!)] };
    }
    case 'sql': {
      const p = d.predicate!;
      if (/;|--|\/\*/.test(p)) throw invalid('body.predicate', 'An SQL predicate is one condition: no ";", no comments');
      return { kind: 'sql', predicate: p };
    }
    case 'consistency':
    case 'relatedness':
      return crossParamsOf(d, item, items);
  }
}

function ruleFromRow(row: QualityRuleTable): Rule {
  const params = fromJson<Record<string, unknown>>(row.params, {});
  return {
    id: row.id,
    resourceId: row.resource_id,
    itemCode: row.item_code,
    kind: row.kind as Rule['kind'],
    dimension: row.dimension as Rule['dimension'],
    severity: row.severity as Rule['severity'],
    enabled: toBool(row.enabled),
    derived: false,
    name: row.name,
    params: { ...params, kind: row.kind } as RuleParams,
  };
}

/**
 * Quality rules: derived from the catalogue on every read (switches kept by stable id) and
 * custom ones (regex, range, in-set, consistency and relatedness with another resource, SQL predicate) written by the provider department or the
 * platform. Every change is audited.
 */
export function createRulesService(deps: RulesDeps) {
  const { db, clock } = deps;
  const repo = createRulesRepository();

  /** Every rule of these resources (derived with their switches, then custom), read without scope: for scans and for callers already checked. */
  async function rulesOf(resources: readonly Resource[], conn: Db = db): Promise<Map<string, Rule[]>> {
    const ids = resources.map((r) => r.id);
    const [switches, custom] = await Promise.all([repo.switches(conn, ids), repo.custom(conn, ids)]);
    const out = new Map<string, Rule[]>();
    for (const r of resources) {
      const derived = deriveRules(r).map((rule) => ({ ...rule, enabled: switches.get(rule.id) ?? true }));
      out.set(r.id, [...derived, ...custom.filter((c) => c.resource_id === r.id).map(ruleFromRow)]);
    }
    return out;
  }

  async function resourceFor(actor: Actor | null, resourceId: string) {
    const owner = await visibleResourceOr404(deps.catalog, actor, resourceId);
    const resource = await deps.catalog.resource(resourceId, scopeOf(actor));
    if (!resource) throw notFound('resource', resourceId);
    return { owner, resource };
  }

  async function otherFor(actor: Actor, otherResourceId: string) {
    const { resource } = await resourceFor(actor, otherResourceId);
    return { id: resource.id, items: resource.items ?? [] };
  }

  async function findRule(actor: Actor | null, id: string) {
    const derivedResource = resourceOfDerivedId(id);
    const row = derivedResource ? undefined : await repo.find(db, id);
    const resourceId = derivedResource ?? row?.resource_id;
    if (!resourceId) throw notFound('quality rule', id);
    const owner = await deps.catalog.owner(resourceId);
    if (!owner || !deps.catalog.canSee(owner, scopeOf(actor))) throw notFound('quality rule', id);
    const { resource } = await resourceFor(actor, resourceId);
    const rule = (await rulesOf([resource])).get(resourceId)!.find((r) => r.id === id);
    if (!rule) throw notFound('quality rule', id);
    return { owner, resource, rule, row };
  }

  return {
    rulesOf,

    async list(actor: Actor | null, resourceId: string) {
      const { resource } = await resourceFor(actor, resourceId);
      return { items: (await rulesOf([resource])).get(resource.id)!.map(presentRule) };
    },

    async create(actor: Actor, input: RuleCreate) {
      const { owner, resource } = await resourceFor(actor, input.resourceId);
      governancePolicy.assertCanManageRules(actor, owner.providerDepartmentId);
      if (input.kind === 'sql') governancePolicy.assertCanWriteSqlRule(actor);
      const itemCode = input.kind === 'sql' ? (input.itemCode ?? null) : input.itemCode;
      // The other resource of a cross-resource rule must be one the caller may see (404 otherwise, as everywhere).
      const other = isCrossResource(input.kind) ? await otherFor(actor, (input as { otherResourceId: string }).otherResourceId) : undefined;
      const params = paramsOf({ ...input, itemCode, other } as Draft, resource.items ?? []);
      if (params.kind === 'sql') await deps.checkPredicate(resource.id, params.predicate);
      const now = clock.now().toISOString();
      const { kind: _k, ...stored } = params;
      void _k;
      const row: QualityRuleTable = {
        id: newId(),
        resource_id: resource.id,
        item_code: itemCode,
        kind: input.kind,
        dimension: input.dimension ?? RULE_KINDS[input.kind].dimension,
        severity: input.severity,
        enabled: input.enabled,
        name: input.name ?? null,
        params: JSON.stringify(stored),
        created_by: actor.username ?? null,
        created_at: now,
        updated_at: now,
      };
      await deps.auditor.run(
        { actor, action: 'quality.rule.create', targetType: 'quality_rule', targetId: row.id, detail: { resourceId: resource.id, kind: input.kind, itemCode } },
        (trx) => repo.insert(trx, row),
      );
      return presentRule(ruleFromRow(row));
    },

    async update(actor: Actor, id: string, patch: RulePatch) {
      const { owner, resource, rule, row } = await findRule(actor, id);
      governancePolicy.assertCanManageRules(actor, owner.providerDepartmentId);
      const now = clock.now().toISOString();
      if (rule.derived) {
        const others = Object.keys(patch).filter((k) => k !== 'enabled');
        if (others.length > 0)
          throw new AppError(
            'QUALITY_RULE_DERIVED',
            `A rule derived from the catalogue can only be switched on or off (not: ${others.join(', ')}); change the catalogue entry instead`,
          );
        if (patch.enabled === undefined) return presentRule(rule);
        await deps.auditor.run(
          { actor, action: 'quality.rule.switch', targetType: 'quality_rule', targetId: id, detail: { resourceId: resource.id, enabled: patch.enabled } },
          (trx) => repo.setSwitch(trx, { rule_id: id, resource_id: resource.id, enabled: patch.enabled!, updated_by: actor.username ?? null, updated_at: now }),
        );
        return presentRule({ ...rule, enabled: patch.enabled });
      }
      if (rule.kind === 'sql') governancePolicy.assertCanWriteSqlRule(actor);
      const p = rule.params as Record<string, unknown>;
      const cross = isCrossResource(rule.kind);
      const foreign = Object.keys(patch).filter((k) => (CROSS_FIELDS as readonly string[]).includes(k) !== cross && !COMMON_PATCH.has(k));
      if (foreign.length > 0) throw invalid(`body.${foreign[0]}`, `A ${rule.kind} rule has no '${foreign[0]}'`);
      // Only a change of the other resource, its item or the keys checks the other resource again (visible, items still there).
      const recheck = cross && CROSS_FIELDS.some((k) => patch[k] !== undefined);
      const draft: Draft = {
        kind: rule.kind as CustomKind,
        itemCode: rule.itemCode,
        pattern: patch.pattern ?? (p.pattern as string | undefined),
        min: patch.min === undefined ? (p.min as number | string | undefined) : patch.min,
        max: patch.max === undefined ? (p.max as number | string | undefined) : patch.max,
        values: patch.values ?? (p.values as (string | number)[] | undefined),
        predicate: patch.predicate ?? (p.predicate as string | undefined),
        ...(recheck
          ? {
              other: await otherFor(actor, patch.otherResourceId ?? (p.otherResourceId as string)),
              otherItemCode: patch.otherItemCode ?? (p.otherItemCode as string),
              // A new other resource without new keys gets the default correspondence again.
              keys: patch.keys ?? (patch.otherResourceId === undefined ? (p.keys as KeyPair[] | undefined) : undefined),
            }
          : {}),
      };
      const params = cross && !recheck ? rule.params : paramsOf(draft, resource.items ?? []);
      if (params.kind === 'sql' && patch.predicate !== undefined) await deps.checkPredicate(resource.id, params.predicate);
      const { kind: _k, ...stored } = params;
      void _k;
      const set: Partial<QualityRuleTable> = {
        params: JSON.stringify(stored),
        updated_at: now,
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.severity ? { severity: patch.severity } : {}),
        ...(patch.dimension ? { dimension: patch.dimension } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
      };
      await deps.auditor.run(
        { actor, action: 'quality.rule.update', targetType: 'quality_rule', targetId: id, detail: { resourceId: resource.id, fields: Object.keys(patch) } },
        (trx) => repo.update(trx, id, set),
      );
      return presentRule(ruleFromRow({ ...row!, ...set }));
    },

    async remove(actor: Actor, id: string) {
      const { owner, resource, rule } = await findRule(actor, id);
      governancePolicy.assertCanManageRules(actor, owner.providerDepartmentId);
      if (rule.derived)
        throw new AppError('QUALITY_RULE_DERIVED', 'A rule derived from the catalogue cannot be deleted; switch it off (PATCH { "enabled": false })');
      if (rule.kind === 'sql') governancePolicy.assertCanWriteSqlRule(actor);
      await deps.auditor.run(
        { actor, action: 'quality.rule.delete', targetType: 'quality_rule', targetId: id, detail: { resourceId: resource.id, kind: rule.kind } },
        (trx) => repo.remove(trx, id),
      );
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
