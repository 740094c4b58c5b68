import { forbidden } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';

/**
 * Who may profile a resource and see its values. Seeing a profile at all follows the catalogue's
 * visibility (a hidden resource is 404); its values (top values, min/max) may be personal data,
 * so like scans' failing keys they are shown to the provider department and the platform only.
 */
export const profilesPolicy = {
  /** Profiling reads every record of the resource: its provider department or the platform. */
  assertCanProfile(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the platform or the resource's provider department may profile its data");
  },

  canSeeValues(actor: Actor | null, providerDepartmentId: string): boolean {
    return actor?.role === 'ADMIN' || (actor?.role === 'OFFICER' && actor.departmentId === providerDepartmentId);
  },
};
