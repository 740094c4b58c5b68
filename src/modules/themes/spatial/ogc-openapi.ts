import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET } from './ogc-params.js';

/**
 * The OpenAPI 3.0 definition of the OGC API at `/ogc/api` (conformance class oas30,
 * /req/oas30/oas-definition-1): every path, parameter and answer the server serves, and the
 * bearer token staff-only collections need.
 */
const ref = (name: string) => ({ $ref: `#/components/${name}` });

const json = (schema: object) => ({ 'application/json': { schema } });
const problem = { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: ref('schemas/problem') } } };
const f = ref('parameters/f');

export function ogcOpenApi(base: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Kuaiji OGC API – Features',
      version: '1.0.0',
      description:
        'Spatial themes (主题库) as OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0). Open themes are served anonymously; the others need a staff bearer token.',
    },
    servers: [{ url: `${base}/ogc` }],
    security: [{}, { bearer: [] }],
    paths: {
      '/': {
        get: {
          operationId: 'getLandingPage',
          summary: 'Landing page',
          parameters: [f],
          responses: {
            200: { description: 'Links to the API definition, conformance and the collections', content: json(ref('schemas/landingPage')) },
            400: problem,
          },
        },
      },
      '/conformance': {
        get: {
          operationId: 'getConformance',
          summary: 'Conformance classes implemented',
          parameters: [f],
          responses: { 200: { description: 'Conformance classes', content: json(ref('schemas/confClasses')) }, 400: problem },
        },
      },
      '/api': {
        get: {
          operationId: 'getApi',
          summary: 'This API definition',
          parameters: [f],
          responses: {
            200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } },
            400: problem,
          },
        },
      },
      '/collections': {
        get: {
          operationId: 'getCollections',
          summary: 'The feature collections the caller may read (one per spatial theme)',
          parameters: [f],
          responses: { 200: { description: 'Collections', content: json(ref('schemas/collections')) }, 400: problem },
        },
      },
      '/collections/{collectionId}': {
        get: {
          operationId: 'describeCollection',
          summary: 'A feature collection: its extent (bounding box of its features, CRS84) and links',
          parameters: [ref('parameters/collectionId'), f],
          responses: { 200: { description: 'Collection', content: json(ref('schemas/collection')) }, 400: problem, 401: problem, 403: problem, 404: problem },
        },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          summary: 'Features of a collection, filtered by bbox, paged by limit and offset (next/prev links)',
          parameters: [
            ref('parameters/collectionId'),
            ref('parameters/bbox'),
            ref('parameters/limit'),
            ref('parameters/offset'),
            ref('parameters/datetime'),
            f,
          ],
          responses: {
            200: { description: 'A GeoJSON FeatureCollection', content: { 'application/geo+json': { schema: ref('schemas/featureCollectionGeoJSON') } } },
            400: problem,
            401: problem,
            403: problem,
            404: problem,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          summary: 'One feature',
          parameters: [ref('parameters/collectionId'), ref('parameters/featureId'), f],
          responses: {
            200: { description: 'A GeoJSON Feature', content: { 'application/geo+json': { schema: ref('schemas/featureGeoJSON') } } },
            400: problem,
            401: problem,
            403: problem,
            404: problem,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: "A staff user's token (kuaiji user token)" } },
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, description: "The theme's code", schema: { type: 'string' } },
        featureId: { name: 'featureId', in: 'path', required: true, description: "The master's feature key", schema: { type: 'string' } },
        f: { name: 'f', in: 'query', required: false, description: 'Encoding: json only (GeoJSON for features)', schema: { type: 'string', enum: ['json'] } },
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          description: 'minx,miny,maxx,maxy in CRS84; features whose bounding box intersects it. 4 numbers, min ≤ max (no antimeridian crossing)',
          style: 'form',
          explode: false,
          schema: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
        },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          description: `Page size; larger values are served as ${MAX_LIMIT}`,
          style: 'form',
          explode: false,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        offset: {
          name: 'offset',
          in: 'query',
          required: false,
          description: 'Features to skip (the next/prev links carry it)',
          schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
        },
        datetime: {
          name: 'datetime',
          in: 'query',
          required: false,
          description: 'RFC 3339 instant or interval; checked, but features carry no time, so it filters nothing',
          style: 'form',
          explode: false,
          schema: { type: 'string' },
        },
      },
      schemas: {
        link: {
          type: 'object',
          required: ['href', 'rel'],
          properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } },
        },
        links: { type: 'array', items: ref('schemas/link') },
        landingPage: {
          type: 'object',
          required: ['links'],
          properties: { title: { type: 'string' }, description: { type: 'string' }, links: ref('schemas/links') },
        },
        confClasses: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
        extent: {
          type: 'object',
          properties: {
            spatial: {
              type: 'object',
              properties: {
                bbox: { type: 'array', minItems: 1, items: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } } },
                crs: { type: 'string' },
              },
            },
          },
        },
        collection: {
          type: 'object',
          required: ['id', 'links'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            description: { type: 'string' },
            links: ref('schemas/links'),
            extent: ref('schemas/extent'),
            itemType: { type: 'string' },
            crs: { type: 'array', items: { type: 'string' } },
          },
        },
        collections: {
          type: 'object',
          required: ['links', 'collections'],
          properties: { links: ref('schemas/links'), collections: { type: 'array', items: ref('schemas/collection') } },
        },
        geometryGeoJSON: { type: 'object', nullable: true, required: ['type'], properties: { type: { type: 'string' } } },
        featureGeoJSON: {
          type: 'object',
          required: ['type', 'geometry', 'properties'],
          properties: {
            type: { type: 'string', enum: ['Feature'] },
            id: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            bbox: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
            geometry: ref('schemas/geometryGeoJSON'),
            properties: { type: 'object', nullable: true },
            links: ref('schemas/links'),
          },
        },
        featureCollectionGeoJSON: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: ref('schemas/featureGeoJSON') },
            links: ref('schemas/links'),
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
        problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
          },
        },
      },
    },
  };
}
