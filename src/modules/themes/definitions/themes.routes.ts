import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { SyncOut, ThemeInput, ThemeListOut, ThemeOut, ThemeParams } from './themes.schemas.js';
import type { ThemesService } from './themes.service.js';

/** Theme definitions: anyone signed in reads; a platform administrator defines and syncs. */
export function themesRoutes(themes: ThemesService): AnyRoute[] {
  const tag = 'themes';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/themes',
      operationId: 'listThemes',
      tag,
      auth: 'user',
      summary: 'Themes 主题库 with their members, sync state and counts (masters, sources, reviews pending, conflicts open)',
      response: ThemeListOut,
      handler: async ({ actor }) => themes.list(actor!),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/themes/:code',
      operationId: 'getTheme',
      tag,
      auth: 'user',
      summary: 'One theme with its definition',
      params: ThemeParams,
      response: ThemeOut,
      handler: async ({ actor, params }) => themes.get(actor!, params.code),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/themes/:code',
      operationId: 'putTheme',
      tag,
      auth: 'user',
      summary: "Create or replace a theme's definition (administrators); members checked against the catalogue; queues a sync of every member",
      params: ThemeParams,
      body: ThemeInput,
      response: ThemeOut,
      handler: async ({ actor, params, body }) => themes.put(actor!, params.code, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/themes/:code/sync',
      operationId: 'syncTheme',
      tag,
      auth: 'user',
      summary: "Queue a sync of every member of a theme (administrators); 202 with the members' state",
      params: ThemeParams,
      response: SyncOut,
      successStatus: 202,
      handler: async ({ actor, params }) => themes.sync(actor!, params.code),
    }),
  ];
}
