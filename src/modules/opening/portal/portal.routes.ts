import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenAccess } from '../contracts.js';
import { DatasetParams } from '../datasets/datasets.schemas.js';
import { DatasetDetailOut, DatasetSearchOut, DatasetSearchQuery, DomainsOut, PreviewQuery, RowsOut, RowsQuery } from './portal.schemas.js';
import type { PortalService } from './portal.service.js';
import { viewerOf, type ViewerOf } from '../datasets/viewer.js';

/** The public portal under /api/v1/open/: no login for UNCONDITIONAL data. */
export function portalRoutes(portal: PortalService, access: OpenAccess, session: ViewerOf): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/domains',
      operationId: 'openDomains',
      tag,
      auth: 'public',
      summary: 'Open domains (开放领域) with their numbers of open datasets',
      response: DomainsOut,
      handler: async () => portal.domains(),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/datasets',
      operationId: 'searchOpenDatasets',
      tag,
      auth: 'public',
      summary: 'Search open datasets: Chinese text, facets (domain, department, region, format, open type) with counts, sorting, paging',
      query: DatasetSearchQuery,
      response: DatasetSearchOut,
      handler: async ({ query }) => portal.search(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/datasets/:id',
      operationId: 'getOpenDataset',
      tag,
      auth: 'public',
      summary: 'An open dataset (by id or name) with its data items, distributions and the items withheld from this caller',
      params: DatasetParams,
      response: DatasetDetailOut,
      handler: async ({ params, request }) => portal.detail(params.id, await viewerOf(request, access, session)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/datasets/:id/preview',
      operationId: 'previewOpenDataset',
      tag,
      auth: 'public',
      summary: "A page of an open dataset's records (masked; RESTRICTED items only for approved applicants)",
      params: DatasetParams,
      query: PreviewQuery,
      response: RowsOut,
      handler: async ({ params, query, request }) => portal.preview(params.id, query, await viewerOf(request, access, session)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/datasets/:id/rows',
      operationId: 'queryOpenDatasetRows',
      tag,
      auth: 'public',
      summary: 'Row-level query of an open dataset: fields, filters (JSON), text, sort, keyset paging (cursor) or offset',
      params: DatasetParams,
      query: RowsQuery,
      response: RowsOut,
      handler: async ({ params, query, request }) => portal.rows(params.id, query, await viewerOf(request, access, session)),
    }),
  ];
}
