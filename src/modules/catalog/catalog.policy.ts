import { forbidden } from '../../errors.js';
import type { Actor } from '../identity/actor.js';

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

  /**
   * Classified (涉密) entries are visible to administrators, reviewers and auditors, and to the
   * officers of the providing department. Returns the department whose classified entries the
   * actor may see, 'all', or 'none' — repositories turn this into a WHERE clause.
   */
  classifiedScope(actor: Actor | null): 'all' | 'none' | { departmentId: string } {
    if (!actor) return 'none';
    if (actor.role === 'OFFICER') return actor.departmentId ? { departmentId: actor.departmentId } : 'none';
    return 'all';
  },
};
