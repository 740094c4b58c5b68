import { forbidden } from '../../errors.js';
import type { Actor } from '../../shared/actor.js';

/** Loading data is the provider department's (or the platform's) business; auditors and reviewers read jobs. */
export const collectionPolicy = {
  assertCanLoad(actor: Actor, providerDepartmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === providerDepartmentId) return;
    throw forbidden("Only the platform or the resource's provider department may load its data");
  },
};
