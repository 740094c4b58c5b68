import type { Clock } from '../../shared/clock.js';
import type { ReadAccess } from '../collection/index.js';
import type { ActiveGrant, CallRecorder, ConsumerAuthenticator, GatewayCall, GatewayConsumer, GatewayRequestHead, GrantLookup } from './contracts.js';
import { purposeOf } from './gateway/purpose.js';
import { chinaDate } from '../../shared/china-time.js';

/**
 * The gateway's own steps, for another module's consumer-facing route under `/gateway/` (the
 * themes module's one-ID query): the same authentication (bearer token or HMAC signature), the
 * same purpose rule (X-Purpose, GATEWAY_PURPOSE_REQUIRED), the same grants (revocation and expiry
 * on the next call), the same record access (masked by item rule, granted items only, no reader
 * audit) and the same hash-chained call audit. Nothing here is cached beyond what the gateway caches.
 */
export type GatewayAccess = {
  authenticate(head: GatewayRequestHead): Promise<GatewayConsumer>;
  /** The call's stated purpose; throws GATEWAY_PURPOSE_REQUIRED (400) as the gateway does. */
  purposeOf(headers: GatewayRequestHead['headers']): string;
  /** The consumer's active, unexpired grant on a resource, or null. */
  grantFor(consumerId: string, target: { resourceId: string }): Promise<ActiveGrant | null>;
  /** How the gateway reads a resource's records for this consumer (masked, audited by the call audit, not the reader). */
  readAccessFor(consumer: GatewayConsumer): ReadAccess;
  /** Queues one call for sharing's call audit (batched, hash-chained). */
  recordCall(call: GatewayCall): void;
  /** Writes the queued calls now (tests). */
  flushCalls(): Promise<void>;
};

export function createGatewayAccess(parts: { clock: Clock; auth: ConsumerAuthenticator; grants: GrantLookup; calls: CallRecorder }): GatewayAccess {
  return {
    authenticate: (head) => parts.auth.authenticate(head),
    purposeOf,
    async grantFor(consumerId, target) {
      const grant = await parts.grants.grantFor(consumerId, target);
      // As the gateway's pipeline: expiry checked on every call whatever a lookup kept (inclusive, Asia/Shanghai).
      if (!grant || grant.validUntil < chinaDate(parts.clock.now())) return null;
      return grant;
    },
    readAccessFor: (consumer) => ({ actor: null, scope: { departmentId: consumer.departmentId }, masked: true, audit: false }),
    recordCall: (call) => parts.calls.record(call),
    flushCalls: () => parts.calls.flush(),
  };
}
