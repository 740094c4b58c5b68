/**
 * The seams between sharing's parts, fixed first so each part can be built against them:
 * consumers and grants (consumers/, grants/) ← the gateway (gateway/) → call audit (audit/) and
 * upstream proxy (upstream/). Each part implements its side in its own folder.
 */

import type { MaybePromise } from '../../shared/maybe-promise.js';

/** A consumer system the gateway has authenticated. */
export type GatewayConsumer = {
  consumerId: string;
  departmentId: string;
  systemId: string;
  appKey: string;
};

/** What the gateway hands the authenticator: the request as it arrived. */
export type GatewayRequestHead = {
  method: string;
  /** Path and query exactly as sent (`/gateway/...?...`). */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
};

export interface ConsumerAuthenticator {
  /**
   * A short-lived bearer token (`Authorization: Bearer …`) or an HMAC-SHA256 signature over
   * method, path, query, timestamp and nonce (5-minute window, replays refused) → the consumer.
   * Throws AppError (UNAUTHENTICATED, or a sharing code) otherwise. Fast: cached, no write.
   */
  authenticate(head: GatewayRequestHead): Promise<GatewayConsumer>;
  /**
   * The same check, answered at once when everything it needs is cached (a bearer token seen
   * before whose credential was read within the last second), else as a promise; an invalid
   * request may throw at once. The gateway's hot path (gateway-pipeline.ts).
   */
  authenticateNow(head: GatewayRequestHead): MaybePromise<GatewayConsumer>;
}

/** A consumer's active, unexpired grant(s) on one resource or upstream interface, items merged. */
export type ActiveGrant = {
  grantIds: string[];
  resourceId: string | null;
  interfaceId: string | null;
  /** Item codes granted (for an upstream interface: empty, the interface as a whole). */
  items: string[];
  /** The latest validity end among the merged grants (YYYY-MM-DD, inclusive, Asia/Shanghai). */
  validUntil: string;
};

export interface GrantLookup {
  /** Null when nothing active covers the target. A revocation or expiry takes effect on the next call. */
  grantFor(consumerId: string, target: { resourceId: string } | { interfaceId: string }): Promise<ActiveGrant | null>;
  /** The same answer, at once when the consumer's grants are cached, else as a promise (the gateway's hot path). */
  grantForNow(consumerId: string, target: { resourceId: string } | { interfaceId: string }): MaybePromise<ActiveGrant | null>;
}

/** One gateway call, as the audit keeps it (sharing_calls) and the figures count it (sharing_call_counts). */
export type GatewayCall = {
  id: string;
  at: string;
  consumerId: string | null;
  departmentId: string | null;
  interfaceId: string | null;
  interfaceCode: string | null;
  purpose: string | null;
  /** The keys or filters asked for. */
  keys: unknown[];
  /** Item codes returned. */
  items: string[];
  rowCount: number;
  /** HTTP status answered. */
  status: number;
  errorCode: string | null;
  latencyMs: number;
};

export interface CallRecorder {
  /** Queues the call; never waits on the database (batched off the hot path). */
  record(call: GatewayCall): void;
  /** Writes everything queued so far (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** An upstream interface's settings (sharing_interfaces.config of kind UPSTREAM); secrets are sealed apart. */
export type UpstreamConfig = {
  url: string;
  method: 'GET' | 'POST';
  timeoutMs: number;
  auth:
    | { scheme: 'none' }
    | { scheme: 'header'; header: string }
    /** Zhejiang's provincial scheme (DOMAIN.md §6): appKey, sign = md5(appKey + secret + requestTime), a request secret refreshed before it expires. */
    | { scheme: 'zhejiang'; appKey: string; refreshUrl: string };
};

export type UpstreamRequest = { method: string; query: Record<string, string>; body: Buffer | null; contentType: string | null };
export type UpstreamResponse = { status: number; contentType: string | null; body: Buffer };

export interface UpstreamProxy {
  /** Calls the upstream with credentials injected, a timeout and a circuit breaker (open → AppError UPSTREAM_UNAVAILABLE). */
  call(iface: { id: string; config: UpstreamConfig; secretSealed: string | null }, req: UpstreamRequest): Promise<UpstreamResponse>;
}
