import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { Actor } from '../shared/actor.js';
import type { IdentityService } from '../modules/identity/identity.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * Resolves `Authorization: Bearer <token>` to request.actor. No header means anonymous (null);
 * a header with a bad token is an error, never silently anonymous.
 */
export function installAuthentication(app: FastifyInstance, identity: IdentityService) {
  app.decorateRequest('actor', null);
  // A callback hook, not an async one: most requests (anonymous, the gateway's) need no promise at all.
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    if (!header) return done();
    // Consumer systems carry their own tokens and signatures to the sharing gateway, which authenticates them itself.
    if (request.url.startsWith('/gateway/')) return done();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return done(new AppError('INVALID_TOKEN', 'The Authorization header must be "Bearer <token>"'));
    // Public users of the open portal carry their own tokens (kjo_…), resolved by the opening module on its routes.
    if (match[1]!.startsWith('kjo_')) return done();
    identity.authenticate(match[1]!).then(
      (actor) => {
        request.actor = actor;
        done();
      },
      (err: Error) => done(err),
    );
  });
}
