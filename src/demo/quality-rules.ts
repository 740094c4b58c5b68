import type { Services } from '../deps.js';
import type { Resource } from '../modules/catalog/resources/resources.schemas.js';
import type { Actor } from '../shared/actor.js';

export type DemoRuleServices = Pick<Services, 'qualityRules'>;

/** The demo's one custom rule: 诸暨市's grid leaders must leave a telephone (the item is optional in the catalogue). */
export const GRID_LEADER_RULE = {
  resource: '202001/00001',
  name: '网格长电话必填',
  predicate: "grid_leader_mobile IS NOT NULL AND trim(grid_leader_mobile) <> ''",
} as const;

/**
 * Adds the demo's custom quality rules (once: a rule of the same name is kept). Collection takes
 * a row whose optional item is empty (collect unconditionally, 无条件归集); governance then holds it
 * to the department's own requirement — a completeness (完整性) rule of high severity.
 */
export async function addDemoQualityRules(services: DemoRuleServices, resources: readonly Resource[], actor: Actor): Promise<number> {
  const grid = resources.find((r) => r.code === GRID_LEADER_RULE.resource);
  if (!grid) return 0;
  const existing = await services.qualityRules.list(actor, grid.id);
  if (existing.items.some((r) => r.name === GRID_LEADER_RULE.name)) return 0;
  await services.qualityRules.create(actor, {
    resourceId: grid.id,
    kind: 'sql',
    itemCode: 'grid_leader_mobile',
    predicate: GRID_LEADER_RULE.predicate,
    dimension: 'completeness',
    severity: 'high',
    enabled: true,
    name: GRID_LEADER_RULE.name,
  });
  return 1;
}
