import { forbidden, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { CatalogReader, ResourceOwner } from '../../catalog/index.js';
import type { ProblemMover } from './problem-states.js';

/**
 * Who sees and who acts on a problem. A problem's failing sample holds record keys (ID numbers…),
 * so another department's officers do not read it: 403, or 404 when the resource is a classified
 * entry they may not see (ADR 0009). Platform roles read every problem; only the provider
 * department's officers and administrators move one.
 */
export const problemsPolicy = {
  async readable(catalog: Pick<CatalogReader, 'owner' | 'canSee'>, actor: Actor, resourceId: string, what: string, id: string): Promise<ResourceOwner> {
    const owner = await catalog.owner(resourceId);
    if (!owner || !catalog.canSee(owner, scopeOf(actor))) throw notFound(what, id);
    if (actor.role === 'OFFICER' && actor.departmentId !== owner.providerDepartmentId) {
      throw forbidden(`Only the provider department and the platform see this ${what}`);
    }
    return owner;
  },

  /** How `actor` moves a problem of a resource `owner` provides, or 403. */
  mover(actor: Actor, owner: ResourceOwner, what: string): Exclude<ProblemMover, 'system'> {
    if (actor.role === 'ADMIN') return 'admin';
    if (actor.role === 'OFFICER' && actor.departmentId === owner.providerDepartmentId) return 'department';
    throw forbidden(`Only the provider department's officers and platform administrators act on this ${what}`);
  },
};
