import { defineRoute, type AnyRoute } from '../../../http/route.js';
import {
  GeneratedInterfaceIn,
  InterfaceListQuery,
  InterfaceOut,
  InterfacePageOut,
  InterfaceParams,
  InterfacePatch,
  OpenApiOut,
  UpstreamInterfaceIn,
} from './interfaces.schemas.js';
import type { InterfacesService } from './interfaces.service.js';

/** Sharing interfaces 共享接口: generated from resources or registered upstream, each with its own OpenAPI description. */
export function interfaceRoutes(interfaces: InterfacesService): AnyRoute[] {
  const tag = 'sharing';
  const base = '/api/v1/sharing/interfaces';
  return [
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createGeneratedInterface',
      tag,
      auth: 'user',
      successStatus: 201,
      summary:
        "Generate an interface from a resource (lookup by its primary-key items, batch of up to 100 keys, filters on declared items, keyset paging); created as DRAFT by the provider department's officers or an administrator",
      body: GeneratedInterfaceIn,
      response: InterfaceOut,
      handler: async ({ actor, body }) => interfaces.createGenerated(actor!, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/upstream`,
      operationId: 'createUpstreamInterface',
      tag,
      auth: 'user',
      successStatus: 201,
      summary:
        'Register an upstream interface by URL (e.g. a provincial API) that the gateway proxies with credentials injected; its secret is sealed and never returned',
      body: UpstreamInterfaceIn,
      response: InterfaceOut,
      handler: async ({ actor, body }) => interfaces.createUpstream(actor!, body),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listInterfaces',
      tag,
      auth: 'user',
      summary: "Interfaces, newest first (a classified resource's interfaces only for its department and platform roles)",
      query: InterfaceListQuery,
      response: InterfacePageOut,
      handler: async ({ actor, query }) => interfaces.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:id`,
      operationId: 'getInterface',
      tag,
      auth: 'user',
      summary: 'One interface with its gateway path, limits and (upstream) settings',
      params: InterfaceParams,
      response: InterfaceOut,
      handler: async ({ actor, params }) => interfaces.get(actor!, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:id/openapi.json`,
      operationId: 'getInterfaceOpenApi',
      tag,
      auth: 'user',
      summary: "The interface's own OpenAPI 3.1 description: its gateway paths, the key items as parameters, the records' items with their types",
      params: InterfaceParams,
      response: OpenApiOut,
      handler: async ({ actor, params }) => interfaces.openapi(actor!, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:id`,
      operationId: 'updateInterface',
      tag,
      auth: 'user',
      summary:
        'Change an interface: name, level, limits, filter items, upstream settings or secret; status DRAFT → PUBLISHED → OFFLINE → PUBLISHED (code and version only while DRAFT)',
      params: InterfaceParams,
      body: InterfacePatch,
      response: InterfaceOut,
      handler: async ({ actor, params, body }) => interfaces.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:id`,
      operationId: 'deleteInterface',
      tag,
      auth: 'user',
      summary: 'Delete a draft interface (a published one is taken offline instead)',
      params: InterfaceParams,
      handler: async ({ actor, params }) => interfaces.remove(actor!, params.id),
    }),
  ];
}
