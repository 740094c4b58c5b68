import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../shared/clock.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordReader } from '../../collection/index.js';
import type { CallRecorder, ConsumerAuthenticator, GrantLookup, UpstreamProxy } from '../contracts.js';
import type { SharingInterface } from '../interfaces/interface-config.js';
import { createGatewayCache } from './gateway-cache.js';
import { createPipeline } from './gateway-pipeline.js';
import { mountGateway } from './gateway.js';
import { createGeneratedCalls } from './generated-calls.js';
import { createMemoryQuotaStore } from './memory-quota-store.js';
import type { QuotaStore } from './quota-windows.js';
import { createRedisQuotaStore } from './redis-quota-store.js';

export type GatewayOptions = {
  /** KUAIJI_REDIS_URL: call counters shared by every gateway process; absent, this process counts in memory. */
  redisUrl?: string;
  /** Prefix of the Redis counters' keys (tests keep theirs apart). */
  redisPrefix?: string;
  /** A ready quota store (tests); wins over redisUrl. */
  quotaStore?: QuotaStore;
  /** How long cached interfaces and catalogue entries live before they are read again (ms, default 1000). */
  cacheTtlMs?: number;
};

export type GatewayParts = {
  clock: Clock;
  catalog: CatalogReader;
  records: RecordReader;
  published(code: string, version: string): Promise<SharingInterface | null>;
  auth: ConsumerAuthenticator;
  grants: GrantLookup;
  calls: CallRecorder;
  upstream: UpstreamProxy;
  /** The platform key (hex): the gateway seals its paging cursors with it. */
  secretKey: () => string;
  options?: GatewayOptions;
};

/** The gateway assembled for sharing.module.ts: `mount(app)` serves `/gateway/…`; `clear()` drops its cache after sharing's own changes. */
export function createGateway(parts: GatewayParts) {
  const o = parts.options ?? {};
  const quota = o.quotaStore ?? (o.redisUrl ? createRedisQuotaStore({ url: o.redisUrl, prefix: o.redisPrefix }) : createMemoryQuotaStore());
  const cache = createGatewayCache({ ttlMs: o.cacheTtlMs ?? 1000 });
  const pipeline = createPipeline({
    clock: parts.clock,
    cache,
    catalog: parts.catalog,
    auth: parts.auth,
    grants: parts.grants,
    quota,
    published: parts.published,
  });
  const generated = createGeneratedCalls({ records: parts.records, cursorKey: parts.secretKey });
  return {
    mount: (app: FastifyInstance) => mountGateway(app, { clock: parts.clock, pipeline, generated, calls: parts.calls, upstream: parts.upstream }),
    clear: () => cache.clear(),
    close: () => quota.close(),
  };
}
