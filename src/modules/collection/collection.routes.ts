import type { Readable } from 'node:stream';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { CollectionService } from './collection.service.js';
import {
  BatchParams, JobListQuery, JobOut, MappingsIn, PushQuery, RejectOut, RejectsQuery, ResourceIdParams, SubmitOut, UploadQuery,
} from './collection.schemas.js';
import type { JobsService } from './jobs/jobs.service.js';

const JobParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function collectionRoutes(collection: CollectionService, jobs: JobsService): AnyRoute[] {
  const tag = 'collection';
  return [
    defineRoute({
      method: 'POST', url: '/api/v1/resources/:id/uploads', operationId: 'uploadRecords', tag, auth: 'user', streamBody: true,
      summary: 'Load a file (CSV/TSV/XLSX/JSON/NDJSON; UTF-8, GBK, GB18030) into a resource; answers 202 with the job',
      params: ResourceIdParams, query: UploadQuery, response: SubmitOut, successStatus: 202,
      handler: async ({ actor, params, query, request, reply }) => {
        const res = await collection.upload(actor!, {
          resourceId: params.id, body: request.body as Readable, contentType: request.headers['content-type'], ...query,
        });
        if (query.wait) reply.status(200);
        return res;
      },
    }),
    defineRoute({
      method: 'PUT', url: '/api/v1/resources/:id/batches/:batchId', operationId: 'pushBatch', tag, auth: 'user', streamBody: true,
      summary: 'Push a batch (JSON array, NDJSON or CSV body) under a batch id; the same batch id twice changes nothing',
      params: BatchParams, query: PushQuery, response: SubmitOut, successStatus: 202,
      handler: async ({ actor, params, query, request, reply }) => {
        const res = await collection.push(actor!, {
          resourceId: params.id, batchId: params.batchId, body: request.body as Readable, contentType: request.headers['content-type'], ...query,
        });
        if (query.wait || res.duplicate) reply.status(200);
        return res;
      },
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/collection/jobs', operationId: 'listCollectionJobs', summary: 'Collection jobs, newest first', tag,
      auth: 'user', query: JobListQuery, response: z.object({ items: z.array(JobOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, query }) => jobs.list(actor!, query),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/collection/jobs/:id', operationId: 'getCollectionJob', summary: 'One job: status, counts, rate, ETA', tag,
      auth: 'user', params: JobParams, response: JobOut,
      handler: async ({ actor, params }) => jobs.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/collection/jobs/:id/cancel', operationId: 'cancelCollectionJob', tag, auth: 'user', params: JobParams,
      summary: 'Cancel a queued or running job (its worker is ended); nothing of it is stored. 409 JOB_FINISHED when it has ended',
      response: JobOut,
      handler: async ({ actor, params }) => jobs.cancel(actor!, params.id),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/collection/jobs/:id/rejects', operationId: 'listRejects', summary: 'Rejected rows with row number, field and reason',
      tag, auth: 'user', params: JobParams, query: RejectsQuery, response: z.object({ items: z.array(RejectOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, params, query }) => jobs.rejects(actor!, params.id, Number(query.cursor ?? 0), query.limit),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/collection/jobs/:id/rejects.csv', operationId: 'downloadRejects', summary: 'All stored rejects as CSV (UTF-8 with BOM)',
      tag, auth: 'user', params: JobParams, produces: 'text/csv',
      handler: async ({ actor, params, reply }) => {
        const csv = await jobs.rejectsCsv(actor!, params.id);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="rejects-${params.id}.csv"`).send(csv);
      },
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/resources/:id/column-mappings', operationId: 'getColumnMappings', summary: 'Saved file header → item code mapping',
      tag, auth: 'user', params: ResourceIdParams, response: MappingsIn,
      handler: async ({ actor, params }) => collection.getMappings(actor, params.id),
    }),
    defineRoute({
      method: 'PUT', url: '/api/v1/resources/:id/column-mappings', operationId: 'putColumnMappings', summary: 'Save the header mapping used by every load',
      tag, auth: 'user', params: ResourceIdParams, body: MappingsIn, response: MappingsIn,
      handler: async ({ actor, params, body }) => collection.putMappings(actor!, params.id, body.mappings),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/resources/:id/records', operationId: 'listRecords', summary: "A resource's live records, keyset-paged by its key",
      tag, auth: 'user', params: ResourceIdParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50), cursor: z.string().max(2000).optional() }).strict(),
      response: z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().nullable(), total: z.number() }),
      handler: async ({ actor, params, query }) => collection.records(actor!, params.id, query.cursor, query.limit),
    }),
  ];
}
