import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { SystemInput, SystemListQuery, SystemOut } from './systems.schemas.js';
import type { SystemsService } from './systems.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function systemRoutes(systems: SystemsService): AnyRoute[] {
  const tag = 'catalog: systems';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/systems',
      operationId: 'listSystems',
      summary: 'Information systems (census)',
      tag,
      auth: 'public',
      query: SystemListQuery,
      response: z.object({ items: z.array(SystemOut), nextCursor: z.string().nullable() }),
      handler: async ({ query }) => systems.list(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/systems/:id',
      operationId: 'getSystem',
      summary: 'One information system',
      tag,
      auth: 'public',
      params: IdParams,
      response: SystemOut,
      handler: async ({ params }) => systems.get(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/systems',
      operationId: 'createSystem',
      summary: 'Register an information system',
      tag,
      auth: 'user',
      body: SystemInput,
      response: SystemOut,
      successStatus: 201,
      handler: async ({ actor, body }) => systems.create(actor!, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/systems/:id',
      operationId: 'updateSystem',
      summary: 'Replace an information system',
      tag,
      auth: 'user',
      params: IdParams,
      body: SystemInput,
      response: SystemOut,
      handler: async ({ actor, params, body }) => systems.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/systems/:id',
      operationId: 'deleteSystem',
      summary: 'Remove an information system',
      tag,
      auth: 'user',
      params: IdParams,
      handler: async ({ actor, params }) => systems.remove(actor!, params.id),
    }),
  ];
}
