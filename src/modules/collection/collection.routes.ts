import { Readable } from 'node:stream';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { z } from 'zod';
import type { CollectionService } from './collection.service.js';
import { PreviewOut } from './mappings/mappings.schemas.js';
import {
  BatchParams,
  PushQuery,
  RecordsExportQuery,
  RecordsOut,
  RecordsQuery,
  ResourceIdParams,
  ResourceRefParams,
  SubmitOut,
  UploadQuery,
} from './collection.schemas.js';

async function* ndjsonLines(rows: AsyncIterable<unknown>) {
  for await (const row of rows) yield `${JSON.stringify(row)}\n`;
}

export function collectionRoutes(collection: CollectionService): AnyRoute[] {
  const tag = 'collection';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/resources/:id/uploads',
      operationId: 'uploadRecords',
      tag,
      auth: 'user',
      streamBody: true,
      summary:
        'Load a file (CSV/TSV/XLSX/JSON/NDJSON; UTF-8, GBK, GB18030; the format told from the bytes when nothing names it) into a resource; answers 202 with the job, or 200 with a preview that stores nothing (dryRun=true)',
      params: ResourceRefParams,
      query: UploadQuery,
      response: z.union([SubmitOut, PreviewOut]),
      successStatus: 202,
      handler: async ({ actor, params, query, request, reply }) => {
        if (query.dryRun) {
          reply.status(200);
          const { fileName, format, encoding, sheet, previewRows } = query;
          return collection.preview(actor!, {
            resourceId: params.id,
            body: request.body as Readable,
            contentType: request.headers['content-type'],
            fileName,
            format,
            encoding,
            sheet,
            previewRows,
          });
        }
        const res = await collection.upload(actor!, {
          resourceId: params.id,
          body: request.body as Readable,
          contentType: request.headers['content-type'],
          ...query,
        });
        if (query.wait) reply.status(200);
        return res;
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/resources/:id/batches/:batchId',
      operationId: 'pushBatch',
      tag,
      auth: 'user',
      streamBody: true,
      summary: 'Push a batch (JSON array, NDJSON or CSV body) under a batch id; the same batch id twice changes nothing',
      params: BatchParams,
      query: PushQuery,
      response: SubmitOut,
      successStatus: 202,
      handler: async ({ actor, params, query, request, reply }) => {
        const res = await collection.push(actor!, {
          resourceId: params.id,
          batchId: params.batchId,
          body: request.body as Readable,
          contentType: request.headers['content-type'],
          ...query,
        });
        if (query.wait || res.duplicate) reply.status(200);
        return res;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources/:id/records',
      operationId: 'listRecords',
      summary: "A resource's live records, keyset-paged by its key: projection, filters; masked by item except for the provider department; every read audited",
      tag,
      auth: 'user',
      params: ResourceIdParams,
      query: RecordsQuery,
      response: RecordsOut,
      handler: async ({ actor, params, query }) => {
        const { cursor, limit, filter, ...options } = query;
        return collection.records(actor!, params.id, cursor, limit, { ...options, filters: filter });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/resources/:id/records.ndjson',
      operationId: 'exportRecords',
      tag,
      auth: 'user',
      params: ResourceIdParams,
      summary: 'Every live record as NDJSON, streamed in key order: the same items, filters, masking and audit as listRecords',
      query: RecordsExportQuery,
      produces: 'application/x-ndjson',
      handler: async ({ actor, params, query, reply }) => {
        const { filter, ...options } = query;
        const rows = await collection.exportRecords(actor!, params.id, { ...options, filters: filter });
        return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(ndjsonLines(rows)));
      },
    }),
  ];
}
