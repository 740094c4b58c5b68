import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import type { KuaijiModule } from '../module.js';
import { identityRoutes } from './identity.routes.js';
import { createIdentityService } from './identity.service.js';

/** Users, roles and tokens: who is calling (src/shared/actor.ts is what the others see of it). */
export function createIdentityModule(deps: { db: Db; clock: Clock; auditor: Auditor }) {
  const identity = createIdentityService(deps);
  return { name: 'identity', routes: identityRoutes(identity), services: { identity } } satisfies KuaijiModule & Record<string, unknown>;
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
