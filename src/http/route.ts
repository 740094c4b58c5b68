import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Actor } from '../shared/actor.js';
import { assertNoNul } from './no-nul.js';
import { zodToAppError } from './problem.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HandlerContext<P, Q, B> = {
  params: P;
  query: Q;
  body: B;
  /** null when the caller sent no token; routes with `auth: 'user'` never see null. */
  actor: Actor | null;
  request: FastifyRequest;
  reply: FastifyReply;
};

/**
 * One endpoint: the zod schemas validate the request and also describe it in the OpenAPI
 * document (src/http/openapi.ts). `auth: 'public'` lets anonymous callers in (the service still
 * filters what they see); `auth: 'user'` demands a valid token.
 */
export type RouteDef<P = unknown, Q = unknown, B = unknown> = {
  method: Method;
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: 'public' | 'user';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Raw request bodies (files) instead of JSON: the listed content types are accepted. */
  rawBody?: string[];
  /** The body arrives as an unread stream of any content type (large uploads; memory stays bounded). */
  streamBody?: boolean;
  response?: z.ZodType;
  successStatus?: number;
  /** Content type of a non-JSON success response (downloads). */
  produces?: string;
  handler: (ctx: HandlerContext<P, Q, B>) => Promise<unknown>;
};

export function defineRoute<P, Q, B>(def: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return def;
}

// Route lists mix parameter types; the registry only needs them as opaque definitions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any>;

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw zodToAppError(result.error, where);
  return result.data;
}

export function registerRoutes(app: FastifyInstance, routes: AnyRoute[]) {
  mount(
    app,
    routes.filter((r) => !r.streamBody),
  );
  const streamed = routes.filter((r) => r.streamBody);
  if (streamed.length === 0) return;
  // An encapsulated context whose only body parser hands the request stream over unread.
  void app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    mount(child, streamed);
  });
}

function mount(app: FastifyInstance, routes: AnyRoute[]) {
  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      handler: async (request, reply) => {
        const actor = request.actor;
        if (def.auth === 'user' && !actor) {
          throw new AppError('UNAUTHENTICATED', 'This operation needs a bearer token (Authorization: Bearer …)');
        }
        assertNoNul({ params: request.params, query: request.query, body: def.rawBody || def.streamBody ? undefined : request.body });
        const params = parse(def.params, request.params, 'params');
        const query = parse(def.query, request.query, 'query');
        const body = def.rawBody || def.streamBody ? request.body : parse(def.body, request.body, 'body');
        // Set first, so a handler may still choose another success status (e.g. 200 when it waited).
        if (def.successStatus) reply.status(def.successStatus);
        const result = await def.handler({ params, query, body, actor, request, reply });
        if (reply.sent) return reply;
        if (result === undefined) return reply.status(def.successStatus ?? 204).send();
        return result;
      },
    });
  }
}

/** Query-string helpers shared by list endpoints. */
export const listQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size (1–500)'),
  cursor: z.string().optional().describe('the nextCursor of the previous page'),
};
