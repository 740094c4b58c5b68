import { z } from 'zod';
import { defineRoute, listQuery, type AnyRoute } from '../../http/route.js';
import type { IdentityService } from './identity.service.js';
import { IdParam, IssuedTokenOut, TokenCreate, TokenOut, TokenParam, UserCreate, UserOut, UserPatch } from './identity.schemas.js';

export function identityRoutes(identity: IdentityService): AnyRoute[] {
  const tag = 'identity';
  return [
    defineRoute({
      method: 'GET', url: '/api/v1/me', operationId: 'getMe', summary: 'The calling user', tag, auth: 'user', response: UserOut,
      handler: async ({ actor }) => identity.getUser(actor!, actor!.userId),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/users', operationId: 'createUser', tag, auth: 'user', body: UserCreate, successStatus: 201,
      summary: 'Create a user (administrators); the response carries its first token, shown once',
      response: z.object({ user: UserOut, token: IssuedTokenOut }),
      handler: async ({ actor, body }) => identity.createUser(actor!, body),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/users', operationId: 'listUsers', summary: 'List users', tag, auth: 'user',
      query: z.object(listQuery).strict(), response: z.object({ items: z.array(UserOut), nextCursor: z.string().nullable() }),
      handler: async ({ actor, query }) => identity.listUsers(actor!, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/users/:id', operationId: 'getUser', summary: 'One user', tag, auth: 'user', params: IdParam, response: UserOut,
      handler: async ({ actor, params }) => identity.getUser(actor!, params.id),
    }),
    defineRoute({
      method: 'PATCH', url: '/api/v1/users/:id', operationId: 'updateUser', summary: 'Disable or enable a user', tag, auth: 'user',
      params: IdParam, body: UserPatch, response: UserOut,
      handler: async ({ actor, params, body }) => identity.setDisabled(actor!, params.id, body.disabled),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/users/:id/tokens', operationId: 'listTokens', summary: "A user's tokens (never the secrets)", tag,
      auth: 'user', params: IdParam, response: z.object({ items: z.array(TokenOut) }),
      handler: async ({ actor, params }) => ({ items: await identity.listTokens(actor!, params.id) }),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/users/:id/tokens', operationId: 'issueToken', summary: 'Issue a token (shown once)', tag,
      auth: 'user', params: IdParam, body: TokenCreate, response: IssuedTokenOut, successStatus: 201,
      handler: async ({ actor, params, body }) => identity.issueToken(actor!, params.id, body.label ?? null),
    }),
    defineRoute({
      method: 'DELETE', url: '/api/v1/users/:id/tokens/:tokenId', operationId: 'revokeToken', summary: 'Revoke a token', tag,
      auth: 'user', params: TokenParam,
      handler: async ({ actor, params }) => identity.revokeToken(actor!, params.id, params.tokenId),
    }),
  ];
}
