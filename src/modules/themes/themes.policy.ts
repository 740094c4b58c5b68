import { forbidden } from '../../errors.js';
import type { Actor } from '../../shared/actor.js';

/**
 * Who may do what with themes: any signed-in user reads the definitions and their counts; only a
 * platform administrator changes a definition, starts a sync, or reads masters, the crosswalk, the
 * review queue and conflicts (they hold personal data drawn from many departments).
 */
export const themesPolicy = {
  assertCanDefine(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden('Only a platform administrator may change a theme or start its sync');
  },
  assertCanReadMasters(actor: Actor) {
    if (actor.role !== 'ADMIN') throw forbidden("Only a platform administrator may read a theme's masters, review queue and conflicts");
  },
};
