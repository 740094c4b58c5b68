import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../errors.js';
import { OPEN_TOKEN_PREFIX, type OpenUsersService, type OpenViewer } from './users.service.js';

/**
 * Who is calling an `/api/v1/open/` route as a public user: `Authorization: Bearer kjo_…`. The
 * staff hook (src/http/authenticate.ts) leaves tokens with this prefix alone, so `request.actor`
 * stays null for them and staff tokens never resolve here. A bad open token is 401, never anonymous.
 * Every opening part resolves the viewer through this (resolved once per request).
 */
export function createOpenViewer(users: Pick<OpenUsersService, 'authenticate'>) {
  const resolved = new WeakMap<FastifyRequest, Promise<(OpenViewer & { sessionId: string }) | null>>();

  function viewer(request: FastifyRequest): Promise<(OpenViewer & { sessionId: string }) | null> {
    let found = resolved.get(request);
    if (!found) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      found = match && match[1]!.startsWith(OPEN_TOKEN_PREFIX) ? users.authenticate(match[1]!) : Promise.resolve(null);
      resolved.set(request, found);
    }
    return found;
  }

  return {
    /** The public user, or null for anonymous callers and staff. */
    viewer,
    /** The public user, or 401 UNAUTHENTICATED. */
    async required(request: FastifyRequest): Promise<OpenViewer & { sessionId: string }> {
      const v = await viewer(request);
      if (!v) throw new AppError('UNAUTHENTICATED', 'Sign in as a public user: POST /api/v1/open/sessions, then send Authorization: Bearer kjo_…');
      return v;
    },
  };
}

export type OpenViewerResolver = ReturnType<typeof createOpenViewer>;
