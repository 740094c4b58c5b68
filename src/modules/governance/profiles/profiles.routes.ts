import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ProfileJobOut, ProfileOut, ProfileParams, ProfileStartQuery } from './profiles.schemas.js';
import type { ProfilesService } from './profiles.service.js';

export function profileRoutes(profiles: ProfilesService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/quality/profiles/:resourceId',
      operationId: 'startQualityProfile',
      summary: "Profile a resource's records per data item (on demand; a job in the worker pool)",
      tag,
      auth: 'user',
      params: ProfileParams,
      query: ProfileStartQuery,
      response: ProfileJobOut,
      successStatus: 202,
      handler: async ({ actor, params, query }) => profiles.start(actor!, params.resourceId, { wait: query.wait }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/profiles/:resourceId',
      operationId: 'getQualityProfile',
      summary: "A resource's latest profile: per item nulls, distinct values, min/max, top values, lengths and patterns",
      tag,
      auth: 'user',
      params: ProfileParams,
      response: ProfileOut,
      handler: async ({ actor, params }) => profiles.latest(actor, params.resourceId),
    }),
  ];
}
