import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { ConsumerAuth } from './consumer-auth.js';
import {
  ConsumerIn,
  ConsumerIssuedOut,
  ConsumerListQuery,
  ConsumerOut,
  ConsumerPageOut,
  ConsumerParams,
  ConsumerRevokeBody,
  TokenIn,
  TokenOut,
} from './consumers.schemas.js';
import type { ConsumersService } from './consumers.service.js';

/** Consumer systems 对接系统 and their credentials; the token endpoint of client credentials. */
export function consumerRoutes(consumers: ConsumersService, auth: Pick<ConsumerAuth, 'issueToken'>): AnyRoute[] {
  const tag = 'sharing';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/consumers',
      operationId: 'registerConsumer',
      tag,
      auth: 'user',
      successStatus: 201,
      summary:
        "Register one of a department's census systems as a consumer system (its department's officers, administrators): answers its app key and secret, the secret shown this once",
      body: ConsumerIn,
      response: ConsumerIssuedOut,
      handler: async ({ actor, body }) => consumers.register(actor!, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/consumers',
      operationId: 'listConsumers',
      tag,
      auth: 'user',
      summary:
        "Consumer systems, newest first: an officer's department's, every one for platform roles; keys shown by app key and the secret's last 4 characters",
      query: ConsumerListQuery,
      response: ConsumerPageOut,
      handler: async ({ actor, query }) => consumers.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/consumers/:id',
      operationId: 'getConsumer',
      tag,
      auth: 'user',
      summary: 'One consumer system with every key issued to it',
      params: ConsumerParams,
      response: ConsumerOut,
      handler: async ({ actor, params }) => consumers.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/consumers/:id/keys',
      operationId: 'rotateConsumerKey',
      tag,
      auth: 'user',
      successStatus: 201,
      summary: 'Issue a new app key and secret (the secret shown this once); every earlier key is retired at once',
      params: ConsumerParams,
      response: ConsumerIssuedOut,
      handler: async ({ actor, params }) => consumers.rotateKey(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/consumers/:id/revoke',
      operationId: 'revokeConsumer',
      tag,
      auth: 'user',
      summary: 'Revoke a consumer system: its keys are retired and its active grants revoked, effective on its next call',
      params: ConsumerParams,
      body: ConsumerRevokeBody,
      response: ConsumerOut,
      handler: async ({ actor, params, body }) => consumers.revoke(actor!, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/token',
      operationId: 'issueAccessToken',
      tag,
      auth: 'public',
      summary:
        'Client credentials (app key + secret) → a short-lived bearer access token for the gateway (`expires_in` seconds, default 900); or sign each gateway call with HMAC-SHA256 instead',
      body: TokenIn,
      response: TokenOut,
      handler: async ({ body }) => auth.issueToken(body),
    }),
  ];
}
