import { AppError } from '../../../errors.js';
import type { Resource } from '../../catalog/index.js';
import type { ThemeInput } from './themes.schemas.js';

type Violation = { path: string; code: string; message: string };

/**
 * A definition checked whole against itself and the catalogue: every member resource exists and
 * has primary-key items (its records are named by key in the crosswalk), its key item and mapped
 * items exist, mapped attributes are the theme's, priorities name members, fallback combinations
 * use ≥ 2 distinct attributes (never a name alone). VALIDATION_FAILED names every path that fails.
 */
export function validateDefinition(input: ThemeInput, resources: ReadonlyMap<string, Resource>): void {
  const errors: Violation[] = [];
  const bad = (path: string, message: string, code = 'invalid_value') => errors.push({ path, code, message });
  const attributes = new Set<string>();
  input.attributes.forEach((a, n) => {
    if (attributes.has(a.code)) bad(`body.attributes[${n}].code`, `attribute '${a.code}' is declared twice`, 'duplicate');
    attributes.add(a.code);
  });
  const members = new Set<string>();
  input.members.forEach((m, n) => {
    const at = `body.members[${n}]`;
    if (members.has(m.resourceId)) bad(`${at}.resourceId`, `resource ${m.resourceId} is a member twice`, 'duplicate');
    members.add(m.resourceId);
    const r = resources.get(m.resourceId);
    if (!r) return bad(`${at}.resourceId`, `no resource '${m.resourceId}' in the catalogue`, 'not_found');
    const items = new Map((r.items ?? []).map((i) => [i.code, i]));
    if (![...items.values()].some((i) => i.primaryKey))
      bad(`${at}.resourceId`, `resource ${r.code} has no primary-key items: its records cannot be named in the crosswalk`);
    if (!items.has(m.keyItem)) bad(`${at}.keyItem`, `resource ${r.code} has no data item '${m.keyItem}'`, 'not_found');
    for (const [attribute, item] of Object.entries(m.attributes)) {
      if (!attributes.has(attribute)) bad(`${at}.attributes.${attribute}`, `'${attribute}' is not an attribute of this theme`, 'not_found');
      if (!items.has(item)) bad(`${at}.attributes.${attribute}`, `resource ${r.code} has no data item '${item}'`, 'not_found');
    }
  });
  for (const [attribute, ids] of Object.entries(input.attributePriority ?? {})) {
    if (!attributes.has(attribute)) bad(`body.attributePriority.${attribute}`, `'${attribute}' is not an attribute of this theme`, 'not_found');
    ids.forEach((id, n) => {
      if (!members.has(id)) bad(`body.attributePriority.${attribute}[${n}]`, `resource ${id} is not a member of this theme`, 'not_found');
    });
  }
  (input.fallbackMatch ?? []).forEach((combo, n) => {
    if (new Set(combo).size < 2) bad(`body.fallbackMatch[${n}]`, 'a combination needs at least 2 distinct attributes (never a name alone)');
    combo.forEach((a, i) => {
      if (!attributes.has(a)) bad(`body.fallbackMatch[${n}][${i}]`, `'${a}' is not an attribute of this theme`, 'not_found');
    });
  });
  const g = input.geometry;
  if (g) {
    for (const [field, a] of Object.entries(g)) if (!attributes.has(a)) bad(`body.geometry.${field}`, `'${a}' is not an attribute of this theme`, 'not_found');
  }
  if (input.regionAttribute && !attributes.has(input.regionAttribute))
    bad('body.regionAttribute', `'${input.regionAttribute}' is not an attribute of this theme`, 'not_found');
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors[0]!.message, { errors });
}
