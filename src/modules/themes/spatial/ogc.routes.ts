import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../shared/clock.js';
import { baseUrlOf } from './base-url.js';
import { checkParams, parseItemsQuery, type ItemsQuery } from './ogc-params.js';
import { ogcOpenApi } from './ogc-openapi.js';
import { collectionUrl, GEOJSON, JSON_TYPE, link, OPENAPI_TYPE, presentCollection, presentFeature, type Link } from './ogc.presenter.js';
import type { SpatialService } from './spatial.service.js';

/**
 * OGC API – Features Part 1 at `/ogc` (ADR 0029): landing page, conformance, the API definition,
 * collections (one per spatial theme), items (bbox, limit, offset, datetime) and single features.
 * Mounted outside `/api/v1` by the themes module; errors are the app's problem+json.
 */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

export type OgcDeps = { service: SpatialService; clock: Clock; publicUrl?: string };

type Req = FastifyRequest<{ Params: { collectionId?: string; featureId?: string }; Querystring: Record<string, unknown> }>;

function send(reply: FastifyReply, type: string, body: unknown) {
  return reply.type(type).header('access-control-allow-origin', '*').send(JSON.stringify(body));
}

/** The items URL for another page, keeping the caller's filters. */
function pageUrl(url: string, q: ItemsQuery, offset: number): string {
  const params = new URLSearchParams();
  if (q.bbox) params.set('bbox', [q.bbox.minX, q.bbox.minY, q.bbox.maxX, q.bbox.maxY].join(','));
  if (q.datetime !== null) params.set('datetime', q.datetime);
  params.set('limit', String(q.limit));
  params.set('offset', String(offset));
  return `${url}?${params.toString()}`;
}

export function mountOgc(app: FastifyInstance, deps: OgcDeps) {
  const base = (request: FastifyRequest) => baseUrlOf(request, deps.publicUrl);
  const query = (request: Req) => (request.query ?? {}) as Record<string, unknown>;

  async function landing(request: Req, reply: FastifyReply) {
    checkParams(query(request), []);
    const root = `${base(request)}/ogc`;
    return send(reply, JSON_TYPE, {
      title: 'Kuaiji 空间主题库 OGC API – Features',
      description: 'Spatial themes of the platform as OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0)',
      links: [
        link(root, 'self', JSON_TYPE, 'This document'),
        link(`${root}/api`, 'service-desc', OPENAPI_TYPE, 'The API definition'),
        link(`${root}/conformance`, 'conformance', JSON_TYPE, 'Conformance classes implemented'),
        link(`${root}/collections`, 'data', JSON_TYPE, 'Feature collections'),
      ],
    });
  }
  app.get('/ogc', landing);
  app.get('/ogc/', landing);

  app.get('/ogc/conformance', async (request: Req, reply) => {
    checkParams(query(request), []);
    return send(reply, JSON_TYPE, { conformsTo: CONFORMANCE });
  });

  app.get('/ogc/api', async (request: Req, reply) => {
    checkParams(query(request), []);
    return send(reply, OPENAPI_TYPE, ogcOpenApi(base(request)));
  });

  app.get('/ogc/collections', async (request: Req, reply) => {
    checkParams(query(request), []);
    const b = base(request);
    const collections = await deps.service.collections(request.actor);
    return send(reply, JSON_TYPE, {
      links: [link(`${b}/ogc/collections`, 'self', JSON_TYPE, 'Feature collections')],
      collections: collections.map((c) => presentCollection(b, c)),
    });
  });

  app.get('/ogc/collections/:collectionId', async (request: Req, reply) => {
    checkParams(query(request), []);
    const c = await deps.service.collection(request.actor, request.params.collectionId!);
    return send(reply, JSON_TYPE, presentCollection(base(request), c));
  });

  app.get('/ogc/collections/:collectionId/items', async (request: Req, reply) => {
    const q = parseItemsQuery(query(request));
    const b = base(request);
    const code = request.params.collectionId!;
    const page = await deps.service.items(request.actor, code, q);
    const url = `${collectionUrl(b, code)}/items`;
    const returned = page.features.length;
    const links: Link[] = [link(pageUrl(url, q, q.offset), 'self', GEOJSON, 'This page')];
    if (q.offset + returned < page.numberMatched) links.push(link(pageUrl(url, q, q.offset + q.limit), 'next', GEOJSON, 'Next page'));
    if (q.offset > 0) links.push(link(pageUrl(url, q, Math.max(0, q.offset - q.limit)), 'prev', GEOJSON, 'Previous page'));
    links.push(link(collectionUrl(b, code), 'collection', JSON_TYPE, page.theme.name));
    return send(reply, GEOJSON, {
      type: 'FeatureCollection',
      features: page.features.map((row) => presentFeature(b, page.theme, row, false)),
      links,
      timeStamp: deps.clock.now().toISOString(),
      numberMatched: page.numberMatched,
      numberReturned: returned,
    });
  });

  app.get('/ogc/collections/:collectionId/items/:featureId', async (request: Req, reply) => {
    checkParams(query(request), []);
    const { theme, feature } = await deps.service.feature(request.actor, request.params.collectionId!, request.params.featureId!);
    return send(reply, GEOJSON, presentFeature(base(request), theme, feature, true));
  });
}
