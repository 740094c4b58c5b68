import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenViewerResolver } from '../users/open-viewer.js';
import { OpenAppCreatedOut, OpenAppIn, OpenAppLimitsIn, OpenAppListOut, OpenAppOut, OpenAppParams } from './apps.schemas.js';
import type { OpenAppsService } from './apps.service.js';

/** A public user's apps and their keys for the open APIs (X-App-Key). */
export function openAppRoutes(apps: OpenAppsService, viewers: OpenViewerResolver): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/apps',
      operationId: 'createOpenApp',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Create an app of the signed-in public user: its key (kjd_…) is shown once, with its per-second rate and daily quota',
      body: OpenAppIn,
      response: OpenAppCreatedOut,
      handler: async ({ body, request }) => apps.create(await viewers.required(request), body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/apps',
      operationId: 'listOpenApps',
      tag,
      auth: 'public',
      summary: "The signed-in public user's apps (keys never shown again: their last four characters)",
      response: OpenAppListOut,
      handler: async ({ request }) => ({ items: await apps.list(await viewers.required(request)) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/open/apps/:id',
      operationId: 'revokeOpenApp',
      tag,
      auth: 'public',
      summary: "Revoke an app's key: calls with it are refused at once",
      params: OpenAppParams,
      response: OpenAppOut,
      handler: async ({ params, request }) => apps.revoke(await viewers.required(request), params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/open/apps/:id/limits',
      operationId: 'setOpenAppLimits',
      tag,
      auth: 'user',
      summary: "Change an app's per-second rate or daily quota (platform administrators)",
      params: OpenAppParams,
      body: OpenAppLimitsIn,
      response: OpenAppOut,
      handler: async ({ actor, params, body }) => apps.setLimits(actor!, params.id, body),
    }),
  ];
}
