import { forbidden } from '../../errors.js';
import type { Actor } from '../../shared/actor.js';

/**
 * Who may do what in the catalogue. Reading non-classified entries needs no login; writes need a
 * token; a department officer changes only their own department's systems and resources.
 */
export const catalogPolicy = {
  /** Regions and departments are the bureau's master data: administrators only. */
  assertCanManageOrganisation(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may change regions and departments');
  },

  assertCanWriteFor(actor: Actor, departmentId: string) {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'OFFICER' && actor.departmentId === departmentId) return;
    if (actor.role === 'OFFICER') throw forbidden("A department officer may only change their own department's catalogue");
    throw forbidden(`Role ${actor.role} may not change the catalogue`);
  },

  /** Publishing an edition freezes the whole catalogue: administrators only. */
  assertCanPublish(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may publish a catalogue edition');
  },
};
