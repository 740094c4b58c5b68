import { AppError } from '../../../errors.js';
import { chinaToday } from '../../../shared/china-time.js';
import type { Clock } from '../../../shared/clock.js';
import { andThen, type MaybePromise } from '../../../shared/maybe-promise.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordEntry } from '../../collection/index.js';
import type { ActiveGrant, ConsumerAuthenticator, GatewayCall, GatewayConsumer, GatewayRequestHead, GrantLookup } from '../contracts.js';
import type { SharingInterface } from '../interfaces/interface-config.js';
import type { GatewayCache } from './gateway-cache.js';
import { purposeOf } from './purpose.js';
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

/** A call let through to its interface: who calls, what, and under which grant. */
export type Admitted = { consumer: GatewayConsumer; iface: SharingInterface; entry: RecordEntry | null; grant: ActiveGrant };

/**
 * The gateway's steps before the query, each cheap: authenticate (the authenticator caches) →
 * purpose → the published interface and its catalogue entry (cached here) → the grant (the grant
 * lookup caches; validity checked against today on every call) → one call from the consumer's
 * counters. A step whose answer is cached answers at once (maybe-promise.ts): a call whose steps
 * all hit runs through without a promise per step; one that must read waits only there.
 */
export function createPipeline(deps: PipelineDeps) {
  const { cache } = deps;
  const today = chinaToday(deps.clock);

  function resolve(code: string, version: string): MaybePromise<{ iface: SharingInterface; entry: RecordEntry | null }> {
    return andThen(
      cache.get('interface', `${code}\u0000${version}`, () => deps.published(code, version)),
      (iface) => {
        if (!iface) throw new AppError('GATEWAY_INTERFACE_NOT_FOUND', `No published interface ${code} ${version}`, { code, version });
        if (iface.kind === 'UPSTREAM') return { iface, entry: null };
        return andThen(
          cache.get('entry', iface.resourceId, async (): Promise<RecordEntry | null> => {
            const r = await deps.catalog.resource(iface.resourceId, 'all');
            return r && { id: r.id, providerDepartmentId: r.providerDepartmentId, classified: r.classified, items: r.items ?? [] };
          }),
          (entry) => {
            if (!entry)
              throw new AppError('GATEWAY_INTERFACE_NOT_FOUND', `Interface ${code} ${version} serves a resource that no longer exists`, { code, version });
            return { iface, entry };
          },
        );
      },
    );
  }

  function authorise(consumer: GatewayConsumer, iface: SharingInterface): MaybePromise<ActiveGrant> {
    const target = iface.kind === 'GENERATED' ? { resourceId: iface.resourceId } : { interfaceId: iface.id };
    // The grant lookup keeps grants in memory itself (and drops them on this process's revocations).
    return andThen(deps.grants.grantForNow(consumer.consumerId, target), (grant) => {
      // Expiry is checked here too, whatever a lookup cached: a grant ends at midnight, Asia/Shanghai.
      if (!grant || grant.validUntil < today()) {
        throw new AppError('GATEWAY_NOT_GRANTED', `No active grant of consumer ${consumer.appKey} covers interface ${iface.code} ${iface.version}`, {
          interfaceId: iface.id,
        });
      }
      return grant;
    });
  }

  return {
    /**
     * Authenticate → purpose → interface → grant, filling the call's audit fields as each is
     * known (a call refused half-way is audited with what was learnt before the refusal).
     */
    admit(head: GatewayRequestHead, code: string, version: string, call: GatewayCall): MaybePromise<Admitted> {
      return andThen(deps.auth.authenticateNow(head), (consumer) => {
        call.consumerId = consumer.consumerId;
        call.departmentId = consumer.departmentId;
        call.purpose = purposeOf(head.headers);
        return andThen(resolve(code, version), ({ iface, entry }) => {
          call.interfaceId = iface.id;
          return andThen(authorise(consumer, iface), (grant) => ({ consumer, iface, entry, grant }));
        });
      });
    },

    /** One call from the consumer's counters for this interface; throws when a window is full. */
    count(consumer: GatewayConsumer, iface: SharingInterface): MaybePromise<void> {
      const limits = { perSecond: iface.ratePerSecond, perDay: iface.quotaPerDay, perMonth: iface.quotaPerMonth };
      return andThen(deps.quota.take(`${consumer.consumerId}:${iface.id}`, limits, deps.clock.now().getTime()), (verdict) => {
        if (verdict.ok) return;
        const extra = { limit: verdict.limit, retryAfterSeconds: verdict.retryAfterS };
        if (verdict.window === 'second') throw new AppError('GATEWAY_RATE_LIMITED', `At most ${verdict.limit} calls per second to this interface`, extra);
        throw new AppError(
          'GATEWAY_QUOTA_EXCEEDED',
          `The ${verdict.window === 'day' ? 'daily' : 'monthly'} quota of ${verdict.limit} calls to this interface is used up`,
          { window: verdict.window, ...extra },
        );
      });
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
