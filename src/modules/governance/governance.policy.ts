import { forbidden } from '../../errors.js';
import type { Actor } from '../../shared/actor.js';

/**
 * Who may do what in governance 治理. Seeing a resource (and so its rules, scans and results) is
 * decided by the catalogue's visibility (visibleResourceOr404: a hidden classified entry is 404);
 * changing a resource's rules or starting its scans is the provider department's or the platform's.
 */
export const governancePolicy = {
  /** Custom rules and switches of derived rules on a resource. */
  assertCanManageRules(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the platform or the resource's provider department may change its quality rules");
  },

  /** An SQL predicate runs inside the platform's database: administrators only. */
  assertCanWriteSqlRule(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may write an SQL predicate rule');
  },

  /** Scanning one resource: its provider department or the platform. */
  assertCanScan(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the platform or the resource's provider department may scan its data");
  },

  /** The failing keys of a scan (possibly personal data): the provider department's officers and administrators. */
  canSeeSamples(actor: Actor | null, providerDepartmentId: string): boolean {
    return actor?.role === 'ADMIN' || (actor?.role === 'OFFICER' && actor.departmentId === providerDepartmentId);
  },

  /** Scanning every resource at once is the platform's. */
  assertCanScanAll(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may scan every resource at once');
  },
};
