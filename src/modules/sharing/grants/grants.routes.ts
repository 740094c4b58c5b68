import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { GrantListQuery, GrantOut, GrantPageOut, GrantParams, GrantRevokeBody } from './grants.schemas.js';
import type { GrantsService } from './grants.service.js';

/** Grants 授权 of consumer systems to resources' items or upstream interfaces. */
export function grantRoutes(grants: GrantsService): AnyRoute[] {
  const tag = 'sharing';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/grants',
      operationId: 'listGrants',
      tag,
      auth: 'user',
      summary: "Grants, newest first: an officer sees its department's (as consumer or provider), platform roles every one",
      query: GrantListQuery,
      response: GrantPageOut,
      handler: async ({ actor, query }) => grants.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/grants/:id',
      operationId: 'getGrant',
      tag,
      auth: 'user',
      summary: 'One grant',
      params: GrantParams,
      response: GrantOut,
      handler: async ({ actor, params }) => grants.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/grants/:id/revoke',
      operationId: 'revokeGrant',
      tag,
      auth: 'user',
      summary: "Revoke a grant with a reason (the provider department's officers, administrators): the consumer's next call is refused",
      params: GrantParams,
      body: GrantRevokeBody,
      response: GrantOut,
      handler: async ({ actor, params, body }) => grants.revoke(actor!, params.id, body.reason),
    }),
  ];
}
