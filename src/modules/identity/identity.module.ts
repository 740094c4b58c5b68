import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import type { KuaijiModule } from '../module.js';
import { identityRoutes } from './identity.routes.js';
import { createIdentityService, STAFF_LOGIN_THROTTLE } from './identity.service.js';
import { createRedisLoginThrottle } from '../../shared/redis-login-throttle.js';

/**
 * Users, roles and tokens: who is calling (src/shared/actor.ts is what the others see of it).
 * `loginThrottleRedis` (KUAIJI_REDIS_URL): failed console sign-ins counted in Redis, shared by every
 * serving process (ADR 0039); absent, in this process's memory.
 */
export function createIdentityModule(deps: { db: Db; clock: Clock; auditor: Auditor; loginThrottleRedis?: { url: string; prefix?: string } }) {
  const throttleStore = deps.loginThrottleRedis
    ? createRedisLoginThrottle(deps.loginThrottleRedis, () => deps.clock.now().getTime(), STAFF_LOGIN_THROTTLE, 'LOGIN_THROTTLED')
    : undefined;
  const identity = createIdentityService({ ...deps, throttleStore });
  return {
    name: 'identity',
    routes: identityRoutes(identity),
    services: { identity },
    async stop() {
      await throttleStore?.close();
    },
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
