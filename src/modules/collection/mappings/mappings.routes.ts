import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ResourceRefParams } from '../collection.schemas.js';
import { MappingsIn } from './mappings.schemas.js';
import type { MappingsService } from './mappings.service.js';

export function mappingRoutes(mappings: MappingsService): AnyRoute[] {
  const tag = 'collection';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources/:id/column-mappings',
      operationId: 'getColumnMappings',
      summary: 'Saved file header → item code mapping',
      tag,
      auth: 'user',
      params: ResourceRefParams,
      response: MappingsIn,
      handler: async ({ actor, params }) => mappings.get(actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/resources/:id/column-mappings',
      operationId: 'putColumnMappings',
      summary: 'Save the header mapping used by every load',
      tag,
      auth: 'user',
      params: ResourceRefParams,
      body: MappingsIn,
      response: MappingsIn,
      handler: async ({ actor, params, body }) => mappings.put(actor!, params.id, body.mappings),
    }),
  ];
}
