import { z } from 'zod';
import { defineRoute, listQuery, type AnyRoute } from '../../../http/route.js';
import { RegionCode, RegionCreate, RegionOut, RegionParams } from './regions.schemas.js';
import type { RegionsService } from './regions.service.js';

export function regionRoutes(regions: RegionsService): AnyRoute[] {
  const tag = 'catalog: regions';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/regions',
      operationId: 'listRegions',
      summary: 'Regions served by the platform',
      tag,
      auth: 'public',
      query: z.object({ ...listQuery, parentCode: RegionCode.optional() }).strict(),
      response: z.object({ items: z.array(RegionOut), nextCursor: z.string().nullable() }),
      handler: async ({ query }) => regions.list(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/regions/:code',
      operationId: 'getRegion',
      summary: 'One region',
      tag,
      auth: 'public',
      params: RegionParams,
      response: RegionOut,
      handler: async ({ params }) => regions.get(params.code),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/regions',
      operationId: 'createRegion',
      summary: 'Add a region (GB/T 2260 code in force)',
      tag,
      auth: 'user',
      body: RegionCreate,
      response: RegionOut,
      successStatus: 201,
      handler: async ({ actor, body }) => regions.create(actor!, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/regions/:code',
      operationId: 'deleteRegion',
      summary: 'Remove an unused region',
      tag,
      auth: 'user',
      params: RegionParams,
      handler: async ({ actor, params }) => regions.remove(actor!, params.code),
    }),
  ];
}
