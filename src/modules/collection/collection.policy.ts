import { AppError, forbidden } from '../../errors.js';
import { scopeOf } from '../../shared/access-scope.js';
import type { Actor } from '../../shared/actor.js';
import type { ReadAccess } from './records/record-reader.js';

/** Loading data is the provider department's (or the platform's) business; auditors and reviewers read jobs. */
export const collectionPolicy = {
  assertCanLoad(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the platform or the resource's provider department may load its data");
  },

  /**
   * How `actor` reads a resource's records (the caller has already answered 404 for a resource
   * the actor may not see). The provider department's officers read in clear; another
   * department's officers go through sharing (403); every other role reads items masked by
   * their masking rule, unless an administrator asks for clear values with a stated reason.
   */
  recordAccess(actor: Actor, providerDepartmentId: string, ask: { unmasked?: boolean; reason?: string }): ReadAccess {
    const scope = scopeOf(actor);
    if (actor.role === 'OFFICER') {
      if (actor.departmentId !== providerDepartmentId) throw forbidden("Another department's records are reached through sharing, not here");
      return { actor, scope, masked: false };
    }
    if (!ask.unmasked) return { actor, scope, masked: true };
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may read unmasked records');
    const reason = ask.reason?.trim() ?? '';
    if (reason.length < 5) {
      throw new AppError('VALIDATION_FAILED', 'Reading unmasked records needs a stated reason (at least 5 characters); it is audited', {
        errors: [{ path: 'query.reason', code: 'required', message: 'a reason is required with unmasked=true' }],
      });
    }
    return { actor, scope, masked: false, reason };
  },
};
