import { forbidden } from '../../../errors.js';
import { scopeCovers, scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Resource } from '../../catalog/index.js';

/**
 * Who may read e-licences: every signed-in staff user, of any department and role. Licences exist
 * to be relied on across departments (一证通办: a licence issued by one department spares the
 * applicant a paper copy at another), so the provider-department rule that guards member records
 * does not apply here; instead every read states its use reason and is audited (licences.service).
 * What is still guarded:
 * - the holder's personal data is masked by the masking rule of the item each value came from,
 *   unless a platform administrator asks for it unmasked (the use reason is the audited reason);
 * - a value that came from a classified resource outside the caller's scope is left out (null),
 *   as the catalogue would not even name that resource to them.
 * Verification (`/licences/verify/:identifier`) reads no record and needs neither.
 */
export const licencesPolicy = {
  read(actor: Actor, ask: { unmasked: boolean }): { masked: boolean } {
    if (ask.unmasked && actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may read licence holders unmasked');
    return { masked: !ask.unmasked };
  },

  /** May a value from this member resource be shown to the actor at all? */
  sourceVisible(actor: Actor, r: Pick<Resource, 'classified' | 'providerDepartmentId'> | undefined): boolean {
    if (!r) return false;
    return !r.classified || scopeCovers(scopeOf(actor), r.providerDepartmentId);
  },
};
