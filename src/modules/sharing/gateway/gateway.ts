import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../errors.js';
import { toAppError } from '../../../http/problem.js';
import type { Clock } from '../../../shared/clock.js';
import type { CallRecorder, GatewayCall, UpstreamProxy } from '../contracts.js';
import type { SharingInterface } from '../interfaces/interface-config.js';
import type { GeneratedCalls, CallResult, GeneratedTarget } from './generated-calls.js';
import type { Pipeline } from './gateway-pipeline.js';

type Params = { code: string; version: string };
type Query = Record<string, string | string[] | undefined>;
type Kind = 'lookup' | 'batch' | 'records';

/** Bodies the gateway accepts: a batch's keys, or what an upstream interface is sent. */
const BODY_LIMIT = 1024 * 1024;

export type GatewayDeps = { clock: Clock; pipeline: Pipeline; generated: GeneratedCalls; calls: CallRecorder; upstream: UpstreamProxy };

/**
 * The gateway under `/gateway/` (issue 10, DOMAIN.md §6), one pipeline for every call:
 * authenticate → purpose → published interface → grant (gateway-pipeline.ts) → quota and rate limit → query (masked,
 * only granted items) → answer; one audit record per call, success or failure, queued to the
 * call recorder (batched off the hot path). Not an /api/v1 route: no zod, no OpenAPI of its own
 * (each interface has one), and bodies arrive raw so upstream calls are passed on as sent.
 */
export function mountGateway(app: FastifyInstance, deps: GatewayDeps) {
  const { pipeline } = deps;

  async function serve(kind: Kind, request: FastifyRequest, reply: FastifyReply) {
    const started = performance.now();
    const { code, version } = request.params as Params;
    const call: GatewayCall = {
      // The request id (a UUIDv7, buildApp's genReqId) names the call: the audit row and the problem's requestId match.
      id: request.id,
      at: deps.clock.now().toISOString(),
      consumerId: null,
      departmentId: null,
      interfaceId: null,
      interfaceCode: code,
      purpose: null,
      keys: [],
      items: [],
      rowCount: 0,
      status: 200,
      errorCode: null,
      latencyMs: 0,
    };
    try {
      // Steps answered from caches run at once; only one that has to read makes this call wait.
      const admitting = pipeline.admit({ method: request.method, url: request.url, headers: request.headers }, code, version, call);
      const { consumer, iface, entry, grant } = admitting instanceof Promise ? await admitting : admitting;
      if (iface.kind === 'UPSTREAM') {
        if (kind !== 'lookup')
          throw new AppError('GATEWAY_INTERFACE_NOT_FOUND', `Interface ${code} ${version} is an upstream interface: call ${`/gateway/${code}/${version}`}`, {
            code,
            version,
          });
        await pipeline.count(consumer, iface);
        return await proxy(iface, request, reply, call);
      }
      if (kind === 'lookup' && request.method !== 'GET')
        throw new AppError('METHOD_NOT_ALLOWED', 'A generated interface is looked up with GET (batch: POST …/batch)');
      const target: GeneratedTarget = { interfaceId: iface.id, config: iface.config, entry: entry!, grant, consumer };
      const counting = pipeline.count(consumer, iface);
      if (counting instanceof Promise) await counting;
      const result = await run(kind, target, request);
      Object.assign(call, { keys: result.keys, items: result.items, rowCount: result.rowCount });
      return result.body;
    } catch (caught) {
      const err = toAppError(caught);
      call.status = err.status;
      call.errorCode = err.code;
      const retry = err.extensions.retryAfterSeconds;
      if (typeof retry === 'number') void reply.header('retry-after', String(retry));
      throw caught;
    } finally {
      call.latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
      deps.calls.record(call);
    }
  }

  function run(kind: Kind, target: GeneratedTarget, request: FastifyRequest): Promise<CallResult> {
    const query = request.query as Query;
    if (kind === 'lookup') return deps.generated.lookup(target, query);
    if (kind === 'records') return deps.generated.page(target, query);
    return deps.generated.batch(target, query, parseJson(request.body));
  }

  async function proxy(iface: Extract<SharingInterface, { kind: 'UPSTREAM' }>, request: FastifyRequest, reply: FastifyReply, call: GatewayCall) {
    const query = Object.fromEntries(Object.entries(request.query as Query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    call.keys = [query];
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : null;
    const res = await deps.upstream.call(
      { id: iface.id, config: iface.config, secretSealed: iface.secretSealed },
      { method: request.method, query, body, contentType: body ? (request.headers['content-type'] ?? null) : null },
    );
    call.status = res.status;
    void reply.status(res.status);
    if (res.contentType) void reply.type(res.contentType);
    return reply.send(res.body);
  }

  void app.register(
    async (gateway) => {
      // Every body arrives as bytes: upstream calls pass them on unchanged; a batch parses its own JSON.
      gateway.removeAllContentTypeParsers();
      gateway.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
      gateway.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/:code/:version', handler: (req, reply) => serve('lookup', req, reply) });
      gateway.post('/:code/:version/batch', (req, reply) => serve('batch', req, reply));
      gateway.get('/:code/:version/records', (req, reply) => serve('records', req, reply));
    },
    { prefix: '/gateway' },
  );
}

function parseJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('MALFORMED_JSON', 'The batch body is empty: send { "keys": [ … ] }');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON', 'The batch body is not valid JSON');
  }
}
