import type { Rule } from './registry.js';

/** A rule as the API shows it: params without their internal `kind` tag. */
export function presentRule(rule: Rule) {
  const { kind: _kind, ...params } = rule.params;
  void _kind;
  return {
    id: rule.id,
    resourceId: rule.resourceId,
    itemCode: rule.itemCode,
    kind: rule.kind,
    dimension: rule.dimension,
    severity: rule.severity,
    enabled: rule.enabled,
    derived: rule.derived,
    name: rule.name,
    params: params as Record<string, unknown>,
  };
}
