import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenViewerResolver } from './open-viewer.js';
import { OpenLoginIn, OpenSessionOut, OpenUserIn, OpenUserOut } from './users.schemas.js';
import type { OpenUsersService } from './users.service.js';

/** Public users of the open portal: registration, sessions, who am I. */
export function openUserRoutes(users: OpenUsersService, viewers: OpenViewerResolver): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/users',
      operationId: 'registerOpenUser',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Register a public user of the open portal (username, e-mail or phone, a password of at least 10 characters)',
      body: OpenUserIn,
      response: OpenUserOut,
      handler: async ({ body }) => users.register(body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/sessions',
      operationId: 'openLogin',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Sign in as a public user: a bearer token (kjo_…) that expires. Failed logins are throttled per name and address (429 with Retry-After)',
      body: OpenLoginIn,
      response: OpenSessionOut,
      handler: async ({ body, request }) => users.login(body, request.ip),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/open/sessions/current',
      operationId: 'openLogout',
      tag,
      auth: 'public',
      summary: "Sign out: the caller's open-portal token stops working",
      handler: async ({ request }) => users.logout((await viewers.required(request)).sessionId),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/me',
      operationId: 'openMe',
      tag,
      auth: 'public',
      summary: 'The signed-in public user',
      response: OpenUserOut,
      handler: async ({ request }) => users.me((await viewers.required(request)).userId),
    }),
  ];
}
