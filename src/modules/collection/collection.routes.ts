import { Readable } from 'node:stream';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { CollectionService } from './collection.service.js';
import {
  BatchParams, JobListQuery, RecordsExportQuery, RecordsOut, RecordsQuery, JobOut, MappingsIn, PushQuery, RejectOut, RejectsQuery, ResourceIdParams, SubmitOut, UploadQuery,
} from './collection.schemas.js';
import type { JobsService } from './jobs/jobs.service.js';

const JobParams = z.object({ id: z.string().min(1).max(64) }).strict();

async function* ndjsonLines(rows: AsyncIterable<unknown>) {
  for await (const row of rows) yield `${JSON.stringify(row)}\n`;
}

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
      method: 'GET', url: '/api/v1/resources/:id/records', operationId: 'listRecords', summary: "A resource's live records, keyset-paged by its key: projection, filters; masked by item except for the provider department; every read audited",
      tag, auth: 'user', params: ResourceIdParams,
      query: RecordsQuery, response: RecordsOut,
      handler: async ({ actor, params, query }) => {
        const { cursor, limit, filter, ...options } = query;
        return collection.records(actor!, params.id, cursor, limit, { ...options, filters: filter });
      },
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/resources/:id/records.ndjson', operationId: 'exportRecords', tag, auth: 'user', params: ResourceIdParams,
      summary: "Every live record as NDJSON, streamed in key order: the same items, filters, masking and audit as listRecords",
      query: RecordsExportQuery, produces: 'application/x-ndjson',
      handler: async ({ actor, params, query, reply }) => {
        const { filter, ...options } = query;
        const rows = await collection.exportRecords(actor!, params.id, { ...options, filters: filter });
        return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(ndjsonLines(rows)));
      },
    }),
  ];
}
