import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { JobListQuery, JobOut, RejectOut, RejectsQuery } from '../collection.schemas.js';
import type { JobsService } from './jobs.service.js';

const JobParams = z.object({ id: z.string().min(1).max(64) }).strict();

/** Collection jobs: list, one job, cancel, and its rejected rows (paged, or streamed as CSV). */
export function jobRoutes(jobs: JobsService): AnyRoute[] {
  const tag = 'collection';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/jobs',
      operationId: 'listCollectionJobs',
      summary: 'Collection jobs, newest first',
      tag,
      auth: 'user',
      query: JobListQuery,
      response: z.object({ items: z.array(JobOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, query }) => jobs.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/jobs/:id',
      operationId: 'getCollectionJob',
      summary: 'One job: status, counts, rate, ETA',
      tag,
      auth: 'user',
      params: JobParams,
      response: JobOut,
      handler: async ({ actor, params }) => jobs.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/collection/jobs/:id/cancel',
      operationId: 'cancelCollectionJob',
      tag,
      auth: 'user',
      params: JobParams,
      summary: 'Cancel a queued or running job (its worker is ended); nothing of it is stored. 409 JOB_FINISHED when it has ended',
      response: JobOut,
      handler: async ({ actor, params }) => jobs.cancel(actor!, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/jobs/:id/rejects',
      operationId: 'listRejects',
      summary: 'Rejected rows with row number, field and reason',
      tag,
      auth: 'user',
      params: JobParams,
      query: RejectsQuery,
      response: z.object({ items: z.array(RejectOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, params, query }) => jobs.rejects(actor!, params.id, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/collection/jobs/:id/rejects.csv',
      operationId: 'downloadRejects',
      summary: 'All stored rejects as CSV (UTF-8 with BOM)',
      tag,
      auth: 'user',
      params: JobParams,
      produces: 'text/csv',
      handler: async ({ actor, params, reply }) => {
        const csv = await jobs.rejectsCsv(actor!, params.id);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="rejects-${params.id}.csv"`).send(csv);
      },
    }),
  ];
}
