import { forbidden } from '../../errors.js';
import type { Actor } from '../../shared/actor.js';

/** The audit trail is read by auditors and the platform's administrators; nobody writes it but the auditor. */
export const auditPolicy = {
  assertCanReadTrail(actor: Actor) {
    if (actor.role === 'AUDITOR' || actor.role === 'ADMIN') return;
    throw forbidden('Only auditors and administrators may read the audit trail');
  },
};
