import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../errors.js';
import type { OpenCatalog, OpenDataset } from '../contracts.js';
import { baseUrlOf } from '../ckan/base-url.js';
import { parseSolrDate } from '../ckan/solr-date.js';
import type { Clock } from '../../../shared/clock.js';
import { catalogGraph, type Paging } from './dcat-mapping.js';
import { toJsonLd } from './jsonld.js';
import { toTurtle } from './turtle.js';

/**
 * The DCAT-AP 3 export at ckanext-dcat's paths: `/catalog.ttl` (Turtle) and `/catalog.jsonld`
 * (JSON-LD), newest first, 100 datasets a page (`?page=`, hydra paging), `?modified_since=`
 * (ISO 8601) for incremental harvesting. Bad parameters answer problem+json (these are not
 * CKAN actions).
 */
export const DATASETS_PER_PAGE = 100;

export type DcatDeps = { catalog: OpenCatalog; clock: Clock; publicUrl?: string };

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path, code: 'invalid_value', message }] });

type Query = { page?: unknown; modified_since?: unknown };

function pageOf(q: Query): number {
  if (q.page === undefined || q.page === '') return 1;
  if (typeof q.page !== 'string' || !/^\d{1,9}$/.test(q.page) || Number(q.page) < 1)
    throw invalid('query.page', 'Page param must be a positive integer starting in 1');
  return Number(q.page);
}

function modifiedSince(q: Query, now: Date): number | null {
  if (q.modified_since === undefined || q.modified_since === '') return null;
  const t = typeof q.modified_since === 'string' ? parseSolrDate(q.modified_since, now) : null;
  if (t === null) throw invalid('query.modified_since', 'Wrong modified date format. Use ISO-8601 format');
  return t;
}

async function catalogPage(deps: DcatDeps, request: FastifyRequest<{ Querystring: Query }>) {
  const q = request.query ?? {};
  const page = pageOf(q);
  const since = modifiedSince(q, deps.clock.now());
  const base = baseUrlOf(request, deps.publicUrl);
  const all: OpenDataset[] = (await deps.catalog.datasets()).filter((d) => since === null || Date.parse(d.modifiedAt) >= since);
  all.sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : a.id < b.id ? -1 : 1));
  const slice = all.slice((page - 1) * DATASETS_PER_PAGE, page * DATASETS_PER_PAGE);
  const path = request.url.split('?')[0]!;
  const pageUrl = (n: number) => {
    const params = new URLSearchParams();
    if (typeof q.modified_since === 'string' && q.modified_since !== '') params.set('modified_since', q.modified_since);
    params.set('page', String(n));
    return `${base}${path}?${params.toString()}`;
  };
  const last = Math.max(1, Math.ceil(all.length / DATASETS_PER_PAGE));
  const paging: Paging | null =
    all.length === 0
      ? null
      : {
          count: all.length,
          perPage: DATASETS_PER_PAGE,
          current: pageUrl(page),
          first: pageUrl(1),
          last: pageUrl(last),
          next: page < last ? pageUrl(page + 1) : null,
          previous: page > 1 ? pageUrl(Math.min(page - 1, last)) : null,
        };
  return catalogGraph(slice, base, paging);
}

export function mountDcat(app: FastifyInstance, deps: DcatDeps) {
  app.get<{ Querystring: Query }>('/catalog.ttl', async (request, reply) => {
    const graph = await catalogPage(deps, request);
    return reply.type('text/turtle; charset=utf-8').header('access-control-allow-origin', '*').send(toTurtle(graph));
  });
  app.get<{ Querystring: Query }>('/catalog.jsonld', async (request, reply) => {
    const graph = await catalogPage(deps, request);
    return reply
      .type('application/ld+json; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .send(JSON.stringify(toJsonLd(graph)));
  });
}
