import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { DatasetParams, OpenDatasetOut, PublishInput, UpdateInput } from './datasets.schemas.js';
import type { DatasetsService } from './datasets.service.js';

/** Publishing open datasets: the provider department's officers and administrators. */
export function datasetsRoutes(datasets: DatasetsService): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/datasets',
      operationId: 'publishOpenDataset',
      tag,
      auth: 'user',
      summary: 'Publish a resource as an open dataset (开放): its open items only, never L4, masks applied',
      body: PublishInput,
      response: OpenDatasetOut,
      successStatus: 201,
      handler: async ({ actor, body }) => datasets.publish(actor!, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/open/datasets/:id',
      operationId: 'updateOpenDataset',
      tag,
      auth: 'user',
      summary: "Change an open dataset's title, description, tags, licence, update frequency or temporal coverage",
      params: DatasetParams,
      body: UpdateInput,
      response: OpenDatasetOut,
      handler: async ({ actor, params, body }) => datasets.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/open/datasets/:id',
      operationId: 'unpublishOpenDataset',
      tag,
      auth: 'user',
      summary: 'Withdraw an open dataset from the portal (the resource and its records stay)',
      params: DatasetParams,
      handler: async ({ actor, params }) => datasets.unpublish(actor!, params.id),
    }),
  ];
}
