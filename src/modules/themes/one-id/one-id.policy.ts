import { AppError } from '../../../errors.js';
import { scopeCovers, scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Resource } from '../../catalog/index.js';
import { collectionPolicy, type ReadAccess } from '../../collection/index.js';
import type { GatewayAccess, GatewayConsumer } from '../../sharing/index.js';

/** Why a member resource's records are not in an answer (listed under `withheld`). */
export const WITHHELD_REASONS = ['OTHER_DEPARTMENT', 'NOT_GRANTED', 'NO_GRANTED_ITEMS', 'CLASSIFIED'] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

/** How a caller may read one member resource: its items (those asked of the reader) and access, or why not, or not at all. */
export type ResourceAccess =
  | { kind: 'read'; items: string[]; access: ReadAccess }
  | { kind: 'withheld'; reason: WithheldReason }
  /** The caller may not know the resource exists (a classified entry of another department): left out of the answer. */
  | { kind: 'hidden' };

/** Who asks: a staff user of the platform (records read as collection's policy decides) or a consumer system (its grants decide). */
export type OneIdCaller = { kind: 'staff'; actor: Actor } | { kind: 'consumer'; consumer: GatewayConsumer; gateway: GatewayAccess };

const liveCodes = (r: Resource) => (r.items ?? []).map((i) => i.code);

/**
 * Staff read a member resource exactly as `GET /resources/:id/records` lets them: a classified
 * resource outside their scope does not exist for them; another department's officers are sent
 * to sharing (withheld); others read every item, masked by rule unless they are the provider's
 * officers. The reader writes no audit row per resource: the one-ID query writes one for the whole read.
 */
export function staffAccess(actor: Actor, r: Resource): ResourceAccess {
  const scope = scopeOf(actor);
  if (r.classified && !scopeCovers(scope, r.providerDepartmentId)) return { kind: 'hidden' };
  try {
    const access = collectionPolicy.recordAccess(actor, r.providerDepartmentId, {});
    return { kind: 'read', items: liveCodes(r), access: { ...access, audit: false } };
  } catch (caught) {
    if (caught instanceof AppError && caught.code === 'FORBIDDEN') return { kind: 'withheld', reason: 'OTHER_DEPARTMENT' };
    throw caught;
  }
}

/**
 * A consumer reads only the items of its active grant on the resource that the resource still
 * has, masked as the gateway masks; without a grant the resource is withheld (a classified one
 * of another department is not named at all, as the catalogue would not name it).
 */
export async function consumerAccess(consumer: GatewayConsumer, gateway: GatewayAccess, r: Resource): Promise<ResourceAccess> {
  const access = gateway.readAccessFor(consumer);
  const visible = !r.classified || scopeCovers(access.scope, r.providerDepartmentId);
  const grant = await gateway.grantFor(consumer.consumerId, { resourceId: r.id });
  if (!grant) return visible ? { kind: 'withheld', reason: 'NOT_GRANTED' } : { kind: 'hidden' };
  // As the gateway: the record reader refuses a classified resource outside the consumer's department.
  if (!visible) return { kind: 'withheld', reason: 'CLASSIFIED' };
  const live = new Set(liveCodes(r));
  const items = grant.items.filter((c) => live.has(c));
  if (items.length === 0) return { kind: 'withheld', reason: 'NO_GRANTED_ITEMS' };
  return { kind: 'read', items, access };
}

export const oneIdPolicy = {
  async resourceAccess(caller: OneIdCaller, r: Resource): Promise<ResourceAccess> {
    return caller.kind === 'staff' ? staffAccess(caller.actor, r) : consumerAccess(caller.consumer, caller.gateway, r);
  },
};
