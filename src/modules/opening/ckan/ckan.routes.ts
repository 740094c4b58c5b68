import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../shared/clock.js';
import type { OpenCatalog, OpenRows } from '../contracts.js';
import { baseUrlOf } from './base-url.js';
import { CKAN_ACTIONS, isWriteAction } from './ckan-actions.js';
import { authorizationError, badRequest, CkanError, invalid, toCkanError } from './ckan-errors.js';
import type { DataDict } from './params.js';

/**
 * The CKAN Action API at `/api/3/action/:action` and `/api/action/:action` (ckan/views/api.py):
 * GET query strings or POST bodies (JSON, or a form) in; `{help, success: true, result}` out;
 * errors in CKAN's envelope with its status codes, never problem+json. Mounted in its own
 * Fastify context so its body parsing and error handling stay its own.
 */
export type CkanApiDeps = { catalog: OpenCatalog; rows: OpenRows; clock: Clock; publicUrl?: string };

const BODY_LIMIT = 1024 * 1024;

function helpUrl(base: string, action: string) {
  return `${base}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
}

/** A POST body as CKAN reads it: a JSON object, or form fields (a lone `{json}=` key is JSON, as CKAN's old clients send). */
function parseBody(contentType: string | undefined, body: string): DataDict {
  if (body.trim() === '') return {};
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const keys = [...new Set(form.keys())];
    if (keys.length === 1 && ['', '1'].includes(form.get(keys[0]!) ?? '') && keys[0]!.trimStart().startsWith('{')) return parseJson(keys[0]!);
    return Object.fromEntries(keys.map((k) => [k, form.getAll(k).length === 1 ? form.get(k)! : form.getAll(k)]));
  }
  return parseJson(body);
}

function parseJson(text: string): DataDict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`JSON Error: Error decoding JSON data. ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('JSON Error: Request data JSON decoded to a non-object but it needs to be a dictionary.');
  }
  return value as DataDict;
}

/** U+0000 never reaches a query (PostgreSQL text cannot hold it). */
function hasNul(value: unknown): boolean {
  // Iterative: a JSON body may nest deeper than the call stack.
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

function refuseNul(d: DataDict) {
  for (const [k, v] of Object.entries(d))
    if (k.includes('\u0000') || hasNul(v)) throw invalid(k.replaceAll('\u0000', ''), 'Must not contain the NUL character (U+0000)');
}

function send(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(body);
}

export function mountCkanApi(app: FastifyInstance, deps: CkanApiDeps) {
  void app.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
      try {
        done(null, parseBody(request.headers['content-type'], body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    api.setErrorHandler((err: FastifyError, request, reply) => {
      let error: CkanError;
      if (err instanceof CkanError) error = err;
      else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') error = new CkanError(413, 'Bad Request', `Bad request - the body exceeds ${BODY_LIMIT} bytes`);
      else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 && err.code?.startsWith('FST_'))
        error = badRequest(err.message);
      else error = toCkanError(err);
      if (error.status >= 500) request.log.error({ err, url: request.url }, 'CKAN action failed');
      const action = (request.params as { action?: string } | undefined)?.action ?? 'help_show';
      return send(reply, error.status, { help: helpUrl(baseUrlOf(request, deps.publicUrl), action), success: false, error: error.body() });
    });

    async function handle(request: FastifyRequest<{ Params: { action: string } }>, reply: FastifyReply) {
      const name = request.params.action;
      const action = Object.hasOwn(CKAN_ACTIONS, name) ? CKAN_ACTIONS[name] : undefined;
      if (!action)
        throw isWriteAction(name) ? authorizationError('this catalogue is read-only through the CKAN API') : badRequest(`Action name not known: ${name}`);
      const query = (request.query ?? {}) as Record<string, string | string[]>;
      const data: DataDict = request.method === 'GET' ? { ...query } : ((request.body as DataDict | undefined) ?? {});
      delete data.callback;
      refuseNul(data);
      const base = baseUrlOf(request, deps.publicUrl);
      const path = request.url.split('?')[0]!;
      const result = await action.run(
        { catalog: deps.catalog, rows: deps.rows, now: deps.clock.now(), baseUrl: base, path, query: request.method === 'GET' ? query : {} },
        data,
      );
      return send(reply, 200, { help: helpUrl(base, name), success: true, result });
    }

    for (const prefix of ['/api/3/action', '/api/action']) {
      api.route({ method: ['GET', 'POST'], url: `${prefix}/:action`, handler: handle });
    }
    api.get('/api/3', async (_request, reply) => send(reply, 200, { version: 3 }));
  });
}
