import { forbidden } from '../../errors.js';
import { scopeCovers, scopeOf } from '../../shared/access-scope.js';
import type { Actor } from '../../shared/actor.js';

/**
 * Who may do what in sharing 共享 (DOMAIN.md §6). A department's consumer systems, applications
 * and grants are its own: another department's officers neither see (404) nor act on them. The
 * platform's roles (administrators, reviewers, auditors) read everything; only administrators act
 * for the platform (compliance checks, arbitration, escalated reviews, revocations).
 */
export const sharingPolicy = {
  /** Whether `actor` may see what belongs to `departmentId` (consumers, their applications and grants). */
  sees(actor: Actor, departmentId: string): boolean {
    return scopeCovers(scopeOf(actor), departmentId);
  },

  /** Registering, rotating and revoking a consumer system: an officer of its department, or an administrator. */
  assertCanManageConsumer(actor: Actor, departmentId: string): void {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === departmentId) return;
    throw forbidden("Only the system's own department and platform administrators manage its consumer credentials");
  },

  /** Applying for data with a consumer system: an officer of the consumer's department, or an administrator. */
  assertCanApply(actor: Actor, consumerDepartmentId: string): void {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === consumerDepartmentId) return;
    throw forbidden("Only the consumer system's department and platform administrators apply with it");
  },

  /** Whether `actor` sees an application: its consumer's department, the provider department, platform roles. */
  seesApplication(actor: Actor, app: { consumerDepartmentId: string; providerDepartmentId: string }): boolean {
    const scope = scopeOf(actor);
    return scopeCovers(scope, app.consumerDepartmentId) || scopeCovers(scope, app.providerDepartmentId);
  },

  /** The platform's steps: the compliance check, arbitration of not-shared items. */
  assertPlatformDecider(actor: Actor): void {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator takes this step');
  },

  /**
   * The provider department's review: its officers; a platform administrator once the review is
   * overdue and escalated to the platform (督办).
   */
  assertProviderDecider(actor: Actor, providerDepartmentId: string, escalated: boolean): void {
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    if (actor.role === 'ADMIN' && escalated) return;
    throw forbidden(
      actor.role === 'ADMIN'
        ? 'The provider department reviews this application; the platform steps in only once the review is overdue (escalated)'
        : "Only the provider department's officers review this application",
    );
  },

  /** Withdrawing an application: its applicant's department (the consumer's), or an administrator. */
  assertCanWithdraw(actor: Actor, consumerDepartmentId: string): void {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === consumerDepartmentId) return;
    throw forbidden("Only the applicant's department withdraws an application");
  },

  /** Revoking a grant: the provider department's officers, or an administrator. */
  assertCanRevokeGrant(actor: Actor, providerDepartmentId: string): void {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden('Only the provider department and platform administrators revoke a grant');
  },
};
