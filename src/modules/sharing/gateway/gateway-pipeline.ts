import { AppError } from '../../../errors.js';
import { chinaDate } from '../../../shared/china-time.js';
import type { Clock } from '../../../shared/clock.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordEntry } from '../../collection/index.js';
import type { ActiveGrant, ConsumerAuthenticator, GatewayConsumer, GatewayRequestHead, GrantLookup } from '../contracts.js';
import type { SharingInterface } from '../interfaces/interface-config.js';
import type { GatewayCache } from './gateway-cache.js';
import type { QuotaStore } from './quota-windows.js';

export type PipelineDeps = {
  clock: Clock;
  cache: GatewayCache;
  catalog: CatalogReader;
  auth: ConsumerAuthenticator;
  grants: GrantLookup;
  quota: QuotaStore;
  /** A published interface by code and version (interfaces.service), read through the cache. */
  published(code: string, version: string): Promise<SharingInterface | null>;
};

/**
 * The gateway's steps before the query, each cheap: authenticate (the authenticator caches) →
 * the published interface and its catalogue entry (cached here) → the grant (the grant lookup
 * caches; validity checked against today on every call) → one call from the consumer's counters.
 */
export function createPipeline(deps: PipelineDeps) {
  const { cache } = deps;

  return {
    authenticate: (head: GatewayRequestHead): Promise<GatewayConsumer> => deps.auth.authenticate(head),

    async resolve(code: string, version: string): Promise<{ iface: SharingInterface; entry: RecordEntry | null }> {
      const iface = await cache.get('interface', `${code}\u0000${version}`, () => deps.published(code, version));
      if (!iface) throw new AppError('GATEWAY_INTERFACE_NOT_FOUND', `No published interface ${code} ${version}`, { code, version });
      if (iface.kind === 'UPSTREAM') return { iface, entry: null };
      const entry = await cache.get('entry', iface.resourceId, async (): Promise<RecordEntry | null> => {
        const r = await deps.catalog.resource(iface.resourceId, 'all');
        return r && { id: r.id, providerDepartmentId: r.providerDepartmentId, classified: r.classified, items: r.items ?? [] };
      });
      if (!entry) throw new AppError('GATEWAY_INTERFACE_NOT_FOUND', `Interface ${code} ${version} serves a resource that no longer exists`, { code, version });
      return { iface, entry };
    },

    async authorise(consumer: GatewayConsumer, iface: SharingInterface): Promise<ActiveGrant> {
      const target = iface.kind === 'GENERATED' ? { resourceId: iface.resourceId } : { interfaceId: iface.id };
      // The grant lookup keeps grants in memory itself (and drops them on this process's revocations).
      const grant = await deps.grants.grantFor(consumer.consumerId, target);
      // Expiry is checked here too, whatever a lookup cached: a grant ends at midnight, Asia/Shanghai.
      if (!grant || grant.validUntil < chinaDate(deps.clock.now())) {
        throw new AppError('GATEWAY_NOT_GRANTED', `No active grant of consumer ${consumer.appKey} covers interface ${iface.code} ${iface.version}`, {
          interfaceId: iface.id,
        });
      }
      return grant;
    },

    async count(consumer: GatewayConsumer, iface: SharingInterface): Promise<void> {
      const limits = { perSecond: iface.ratePerSecond, perDay: iface.quotaPerDay, perMonth: iface.quotaPerMonth };
      const verdict = await deps.quota.take(`${consumer.consumerId}:${iface.id}`, limits, deps.clock.now().getTime());
      if (verdict.ok) return;
      const extra = { limit: verdict.limit, retryAfterSeconds: verdict.retryAfterS };
      if (verdict.window === 'second') throw new AppError('GATEWAY_RATE_LIMITED', `At most ${verdict.limit} calls per second to this interface`, extra);
      throw new AppError(
        'GATEWAY_QUOTA_EXCEEDED',
        `The ${verdict.window === 'day' ? 'daily' : 'monthly'} quota of ${verdict.limit} calls to this interface is used up`,
        { window: verdict.window, ...extra },
      );
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
