import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { toAppError } from '../../../http/problem.js';
import type { Clock } from '../../../shared/clock.js';
import type { GatewayAccess, GatewayCall } from '../../sharing/index.js';
import { OneIdOut, OneIdParams } from './one-id.schemas.js';
import type { OneIdService } from './one-id.service.js';

/** Staff: the one-ID query 一证通办 under /api/v1, with a stated purpose (X-Purpose, as the gateway asks). */
export function oneIdRoutes(service: OneIdService, gateway: GatewayAccess): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/one-id/:id',
      operationId: 'oneIdQuery',
      tag: 'themes',
      auth: 'user',
      summary:
        "One-ID query 一证通办: everything the caller may read about a person (citizen ID) or entity (USCC, organisation code) across the themes' member resources, masked; X-Purpose required; audited",
      params: OneIdParams,
      response: OneIdOut,
      handler: async ({ actor, params, request }) => {
        const purpose = gateway.purposeOf(request.headers);
        return service.forStaff(actor!, params.id, purpose);
      },
    }),
  ];
}

/**
 * Consumer systems: `GET /gateway/one-id/:id` with the gateway's credentials and purpose; each
 * member resource answers only the items of the consumer's active grant on it (else withheld),
 * masked as the gateway masks; one call in sharing's hash-chained call audit, success or failure.
 * A static segment: the gateway's `/gateway/:code/:version` never sees these requests.
 */
export function mountOneIdGateway(app: FastifyInstance, deps: { clock: Clock; service: OneIdService; gateway: GatewayAccess }) {
  const { gateway } = deps;
  app.get('/gateway/one-id/:id', async (request: FastifyRequest) => {
    const started = performance.now();
    const call: GatewayCall = {
      id: request.id,
      at: deps.clock.now().toISOString(),
      consumerId: null,
      departmentId: null,
      interfaceId: null,
      interfaceCode: 'one-id',
      purpose: null,
      keys: [],
      items: [],
      rowCount: 0,
      status: 200,
      errorCode: null,
      latencyMs: 0,
    };
    try {
      const consumer = await gateway.authenticate({ method: request.method, url: request.url, headers: request.headers });
      call.consumerId = consumer.consumerId;
      call.departmentId = consumer.departmentId;
      call.purpose = gateway.purposeOf(request.headers);
      const { id } = request.params as { id: string };
      const { answer, summary } = await deps.service.query({ kind: 'consumer', consumer, gateway }, id);
      call.keys = [{ kind: summary.kind, subject: summary.subject, subjectHash: summary.subjectHash }];
      call.items = summary.resources.flatMap((r) => r.items.map((item) => `${r.resourceId}:${item}`));
      call.rowCount = summary.rowCount;
      return answer;
    } catch (caught) {
      const err = toAppError(caught);
      call.status = err.status;
      call.errorCode = err.code;
      throw caught;
    } finally {
      call.latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
      gateway.recordCall(call);
    }
  });
}
