import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import {
  EditionCreate,
  EditionDiffOut,
  EditionDiffQuery,
  EditionEntriesQuery,
  EditionEntryOut,
  EditionEntryParams,
  EditionEntrySummaryOut,
  EditionIdParams,
  EditionListQuery,
  EditionOut,
} from './editions.schemas.js';
import type { EditionsService } from './editions.service.js';

export function editionRoutes(editions: EditionsService): AnyRoute[] {
  const tag = 'catalog: editions';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/editions',
      operationId: 'publishEdition',
      tag,
      auth: 'user',
      summary: 'Publish a catalogue edition (目录版本): freeze every resource with its items (administrators)',
      body: EditionCreate,
      response: EditionOut,
      successStatus: 201,
      handler: async ({ actor, body }) => editions.publish(actor!, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/editions',
      operationId: 'listEditions',
      summary: 'Catalogue editions, newest first',
      tag,
      auth: 'public',
      query: EditionListQuery,
      response: z.object({ items: z.array(EditionOut), nextCursor: z.string().nullable() }),
      handler: async ({ query }) => editions.list(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/editions/diff',
      operationId: 'diffEditions',
      tag,
      auth: 'public',
      summary: 'Compare two editions, or an edition with the live catalogue (to=current); code= narrows it to one resource',
      query: EditionDiffQuery,
      response: EditionDiffOut,
      handler: async ({ actor, query }) => editions.diff(actor, query.from, query.to, query.code),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/editions/:id',
      operationId: 'getEdition',
      summary: 'One edition and its figures',
      tag,
      auth: 'public',
      params: EditionIdParams,
      response: EditionOut,
      handler: async ({ params }) => editions.get(params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/editions/:id/resources',
      operationId: 'listEditionResources',
      tag,
      auth: 'public',
      summary: "An edition's resources in code order (classified entries only for authorised users)",
      params: EditionIdParams,
      query: EditionEntriesQuery,
      response: z.object({ items: z.array(EditionEntrySummaryOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, params, query }) => editions.listEntries(actor, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/editions/:id/resources/:classification/:sequence',
      operationId: 'getEditionResource',
      tag,
      auth: 'public',
      summary: 'One resource of an edition, with its data items, as published',
      params: EditionEntryParams,
      response: EditionEntryOut,
      handler: async ({ actor, params }) => editions.getEntry(actor, params.id, `${params.classification}/${params.sequence}`),
    }),
  ];
}
