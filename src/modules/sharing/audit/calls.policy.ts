import { forbidden } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';

/** The gateway's call audit is read by auditors and administrators; only administrators run the chain check. */
export const callsPolicy = {
  assertCanReadCalls(actor: Actor) {
    if (actor.role === 'AUDITOR' || actor.role === 'ADMIN') return;
    throw forbidden("Only auditors and administrators may read the gateway's call audit");
  },
  assertCanVerify(actor: Actor) {
    if (actor.role === 'ADMIN') return;
    throw forbidden("Only administrators may verify the gateway's call audit chain");
  },
};
