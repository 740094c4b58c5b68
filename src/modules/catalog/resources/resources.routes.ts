import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ResourceInput, ResourceOut, ResourceSearchQuery } from './resources.schemas.js';
import type { ResourcesService } from './resources.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function resourceRoutes(resources: ResourcesService): AnyRoute[] {
  const tag = 'catalog: resources';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources',
      operationId: 'searchResources',
      tag,
      auth: 'public',
      summary: 'Search the catalogue (classified entries only for authorised users)',
      query: ResourceSearchQuery,
      response: z.object({ items: z.array(ResourceOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, query }) => resources.search(actor, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources/:id',
      operationId: 'getResource',
      summary: 'One resource with its data items',
      tag,
      auth: 'public',
      params: IdParams,
      response: ResourceOut,
      handler: async ({ actor, params }) => resources.get(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources/by-code/:classification/:sequence',
      operationId: 'getResourceByCode',
      tag,
      auth: 'public',
      summary: 'One resource by its code (classification/sequence)',
      params: z.object({ classification: z.string().max(32), sequence: z.string().max(16) }).strict(),
      response: ResourceOut,
      handler: async ({ actor, params }) => resources.getByCode(actor, `${params.classification}/${params.sequence}`),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/resources',
      operationId: 'createResource',
      summary: 'Catalogue a resource with its data items',
      tag,
      auth: 'user',
      body: ResourceInput,
      response: ResourceOut,
      successStatus: 201,
      handler: async ({ actor, body }) => resources.create(actor!, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/resources/:id',
      operationId: 'updateResource',
      summary: 'Replace a resource and its data items',
      tag,
      auth: 'user',
      params: IdParams,
      body: ResourceInput,
      response: ResourceOut,
      handler: async ({ actor, params, body }) => resources.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/resources/:id',
      operationId: 'deleteResource',
      summary: 'Remove a resource',
      tag,
      auth: 'user',
      params: IdParams,
      handler: async ({ actor, params }) => resources.remove(actor!, params.id),
    }),
  ];
}
