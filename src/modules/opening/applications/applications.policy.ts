import { forbidden } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';

/**
 * Who handles restricted-open applications: the provider department's officers and platform
 * administrators decide and revoke; reviewers and auditors read every one; another
 * department's officers see none of them.
 */
export const openApplicationsPolicy = {
  /** The department filter of a staff member's inbox: undefined for all, or their department; 403 without one. */
  inbox(actor: Actor): string | undefined {
    const scope = scopeOf(actor);
    if (scope === 'all') return undefined;
    if (scope === 'none') throw forbidden('Only the provider department and the platform see open-data applications');
    return scope.departmentId;
  },
  readable(actor: Actor, departmentId: string): boolean {
    const scope = scopeOf(actor);
    return scope === 'all' || (scope !== 'none' && scope.departmentId === departmentId);
  },
  decider(actor: Actor, departmentId: string): void {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === departmentId) return;
    throw forbidden("Only the provider department's officers and platform administrators decide on this application");
  },
};
