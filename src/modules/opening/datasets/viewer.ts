import type { FastifyRequest } from 'fastify';
import type { OpenAccess } from '../contracts.js';
import type { Viewer } from '../datasets/open-view.js';

/** Resolves a request's public user (the community part's session token); null for anonymous callers. */
export type ViewerOf = (request: FastifyRequest) => Promise<{ userId: string } | null>;

/**
 * Who reads open data: an app (`X-App-Key`, rate-limited by OpenAccess.appFor, which throws on an
 * unknown key or an exceeded limit) acts for its user; else a signed-in public user; else nobody,
 * who reads UNCONDITIONAL items only.
 */
export async function viewerOf(request: FastifyRequest, access: OpenAccess, session: ViewerOf): Promise<Viewer> {
  const key = request.headers['x-app-key'];
  if (typeof key === 'string' && key.length > 0) {
    const app = await access.appFor(key);
    return { userId: app.userId };
  }
  const user = await session(request);
  return user ? { userId: user.userId } : null;
}
