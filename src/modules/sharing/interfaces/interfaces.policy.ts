import { forbidden } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';

/**
 * Who may change sharing interfaces: a platform administrator, or an officer of the department
 * that provides the interface (the resource's provider for a generated one). Every user may read
 * them (consumers apply for them); classified resources' interfaces stay hidden as the resources do.
 */
export const interfacesPolicy = {
  assertCanManage(actor: Actor, departmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === departmentId) return;
    if (actor.role === 'OFFICER') throw forbidden("A department officer may only manage their own department's interfaces");
    throw forbidden(`Role ${actor.role} may not manage sharing interfaces`);
  },
};
