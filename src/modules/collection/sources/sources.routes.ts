import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { SubmitOut } from '../collection.schemas.js';
import { RunQuery, SourceInput, SourceListQuery, SourceOut, TestOut } from './sources.schemas.js';
import type { SourcesService } from './sources.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function sourceRoutes(sources: SourcesService): AnyRoute[] {
  const tag = 'collection: sources';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/sources',
      operationId: 'listCollectionSources',
      summary: 'Saved pulls from department databases and APIs',
      tag,
      auth: 'user',
      query: SourceListQuery,
      response: z.object({ items: z.array(SourceOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, query }) => sources.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/sources/:id',
      operationId: 'getCollectionSource',
      summary: 'One source (secrets masked)',
      tag,
      auth: 'user',
      params: IdParams,
      response: SourceOut,
      handler: async ({ actor, params }) => sources.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/collection/sources',
      operationId: 'createCollectionSource',
      tag,
      auth: 'user',
      summary: 'Save a pull (postgres, mysql, http) for a resource, with its mode and schedule',
      body: SourceInput,
      response: SourceOut,
      successStatus: 201,
      handler: async ({ actor, body }) => sources.create(actor!, body),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/collection/sources/:id',
      operationId: 'updateCollectionSource',
      tag,
      auth: 'user',
      summary: 'Replace a source; *** in the configuration keeps the stored secret',
      params: IdParams,
      body: SourceInput,
      response: SourceOut,
      handler: async ({ actor, params, body }) => sources.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/collection/sources/:id',
      operationId: 'deleteCollectionSource',
      summary: 'Remove a source (its jobs stay)',
      tag,
      auth: 'user',
      params: IdParams,
      handler: async ({ actor, params }) => sources.remove(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/collection/sources/:id/run',
      operationId: 'runCollectionSource',
      tag,
      auth: 'user',
      summary: 'Run a source now; answers 202 with the job (200 when ?wait=true and it has finished)',
      params: IdParams,
      query: RunQuery,
      response: SubmitOut,
      successStatus: 202,
      handler: async ({ actor, params, query, reply }) => {
        const res = await sources.run(actor!, params.id, { wait: query.wait ?? false });
        if (query.wait) reply.status(200);
        return res;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/collection/sources/:id/test',
      operationId: 'testCollectionSource',
      tag,
      auth: 'user',
      summary: 'Connect and show the header and first rows; loads nothing',
      params: IdParams,
      response: TestOut,
      handler: async ({ actor, params }) => sources.test(actor!, params.id),
    }),
  ];
}
