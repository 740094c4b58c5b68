import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { CallListQuery, CallPageOut, ChainVerdictOut } from './calls.schemas.js';
import type { CallsService } from './calls.service.js';

/** The gateway's call audit 调用审计: one record per call, hash-chained. */
export function callRoutes(calls: CallsService): AnyRoute[] {
  const tag = 'sharing';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/calls',
      operationId: 'listSharingCalls',
      tag,
      auth: 'user',
      summary: "The gateway's call audit, newest first (auditors and administrators): filter by consumer, interface, department and time",
      query: CallListQuery,
      response: CallPageOut,
      handler: async ({ actor, query }) => calls.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/calls/verify',
      operationId: 'verifySharingCalls',
      tag,
      auth: 'user',
      summary: "Check the call audit's hash chain from its anchor to its head and name the first broken link (administrators)",
      response: ChainVerdictOut,
      handler: async ({ actor }) => calls.verify(actor!),
    }),
  ];
}
