import { forbidden } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';

/** Who publishes, updates and withdraws open datasets: the provider department's officers and administrators. */
export const datasetsPolicy = {
  assertPublisher(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the provider department's officers or an administrator may publish, change or withdraw this resource's open dataset");
  },
};
