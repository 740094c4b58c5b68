import { z } from 'zod';
import type { AnyRoute } from './route.js';

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable (docs/errors.md)',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'code'],
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(routes: AnyRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const ok = String(r.successStatus ?? 200);
    const content = r.produces
      ? { [r.produces]: { schema: { type: 'string', format: 'binary' } } }
      : r.response
        ? { 'application/json': { schema: jsonSchema(r.response, 'output') } }
        : undefined;
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses: {
        [ok]: { description: 'success', ...(content ? { content } : {}) },
        default: { description: 'problem', content: { 'application/problem+json': { schema: problemSchema } } },
      },
      ...(r.auth === 'user' ? { security: [{ bearer: [] }] } : {}),
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    if (r.streamBody) {
      op.requestBody = { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
    }
    if (r.rawBody) {
      op.requestBody = {
        required: true,
        content: Object.fromEntries(r.rawBody.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
      };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kuaiji public data platform API',
      version,
      description: "Catalogue, collect, govern, share and open a city's public data. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
