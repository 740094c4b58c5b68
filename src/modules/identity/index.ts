// Identity's public face. The Actor type itself lives in src/shared/actor.ts: every layer needs it.
export { createIdentityModule, type IdentityModule } from './identity.module.js';
export type { IdentityService } from './identity.service.js';
