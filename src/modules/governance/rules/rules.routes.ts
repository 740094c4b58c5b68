import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { RuleCreate, RuleIdParams, RuleList, RuleListQuery, RuleOut, RulePatch } from './rules.schemas.js';
import type { RulesService } from './rules.service.js';

export function ruleRoutes(rules: RulesService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/rules',
      operationId: 'listQualityRules',
      summary: "A resource's quality rules: derived from the catalogue and custom",
      tag,
      auth: 'user',
      query: RuleListQuery,
      response: RuleList,
      handler: async ({ actor, query }) => rules.list(actor, query.resourceId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/quality/rules',
      operationId: 'createQualityRule',
      summary: 'A custom rule: regex, range, in-set, consistency or relatedness with another resource, or (administrators) an SQL predicate',
      tag,
      auth: 'user',
      body: RuleCreate,
      response: RuleOut,
      successStatus: 201,
      handler: async ({ actor, body }) => rules.create(actor!, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/quality/rules/:id',
      operationId: 'updateQualityRule',
      summary: 'Change a custom rule, or switch any rule on or off',
      tag,
      auth: 'user',
      params: RuleIdParams,
      body: RulePatch,
      response: RuleOut,
      handler: async ({ actor, params, body }) => rules.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/quality/rules/:id',
      operationId: 'deleteQualityRule',
      summary: 'Delete a custom rule (derived rules are switched off instead)',
      tag,
      auth: 'user',
      params: RuleIdParams,
      successStatus: 204,
      handler: async ({ actor, params }) => {
        await rules.remove(actor!, params.id);
        return null;
      },
    }),
  ];
}
