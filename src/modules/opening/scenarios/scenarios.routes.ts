import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenViewerResolver } from '../users/open-viewer.js';
import {
  OpenCompetitionDetailOut,
  OpenCompetitionIn,
  OpenCompetitionListOut,
  OpenCompetitionParams,
  OpenEntryIn,
  OpenEntryOut,
} from './competitions.schemas.js';
import type { OpenCompetitionsService } from './competitions.service.js';
import { OpenModerationIn, OpenScenarioIn, OpenScenarioListQuery, OpenScenarioOut, OpenScenarioPageOut, OpenScenarioParams } from './scenarios.schemas.js';
import type { OpenScenariosService } from './scenarios.service.js';

/** Scenarios (应用场景) and competitions (大赛) on open datasets. */
export function openScenarioRoutes(scenarios: OpenScenariosService, competitions: OpenCompetitionsService, viewers: OpenViewerResolver): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/scenarios',
      operationId: 'submitOpenScenario',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Submit a scenario (应用场景) that uses open datasets, as the signed-in public user: shown to everyone once an administrator publishes it',
      body: OpenScenarioIn,
      response: OpenScenarioOut,
      handler: async ({ body, request }) => scenarios.submit(await viewers.required(request), body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/scenarios',
      operationId: 'listOpenScenarios',
      tag,
      auth: 'public',
      summary: 'Published scenarios, newest first (by dataset); platform roles filter by state; mine=true: the public user’s own',
      query: OpenScenarioListQuery,
      response: OpenScenarioPageOut,
      handler: async ({ actor, query, request }) => scenarios.list({ actor, viewer: await viewers.viewer(request) }, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/scenarios/:id',
      operationId: 'getOpenScenario',
      tag,
      auth: 'public',
      summary: 'One scenario (unpublished ones: their submitter and platform roles)',
      params: OpenScenarioParams,
      response: OpenScenarioOut,
      handler: async ({ actor, params, request }) => scenarios.get({ actor, viewer: await viewers.viewer(request) }, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/scenarios/:id/moderation',
      operationId: 'moderateOpenScenario',
      tag,
      auth: 'user',
      summary: 'Publish a pending scenario, or reject it with a reason (platform administrators)',
      params: OpenScenarioParams,
      body: OpenModerationIn,
      response: OpenScenarioOut,
      handler: async ({ actor, params, body }) => scenarios.moderate(actor!, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/competitions',
      operationId: 'createOpenCompetition',
      tag,
      auth: 'user',
      successStatus: 201,
      summary: 'Announce a competition (大赛) on open datasets, with its dates (platform administrators)',
      body: OpenCompetitionIn,
      response: OpenCompetitionDetailOut,
      handler: async ({ actor, body }) => competitions.create(actor!, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/competitions',
      operationId: 'listOpenCompetitions',
      tag,
      auth: 'public',
      summary: 'Competitions, latest first, with their datasets and number of teams',
      response: OpenCompetitionListOut,
      handler: async () => ({ items: await competitions.list() }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/competitions/:id',
      operationId: 'getOpenCompetition',
      tag,
      auth: 'public',
      summary: 'One competition with its entries',
      params: OpenCompetitionParams,
      response: OpenCompetitionDetailOut,
      handler: async ({ params }) => competitions.detail(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/competitions/:id/entries',
      operationId: 'enterOpenCompetition',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Enter a team in a running competition, as the signed-in public user (team names are unique per competition)',
      params: OpenCompetitionParams,
      body: OpenEntryIn,
      response: OpenEntryOut,
      handler: async ({ params, body, request }) => competitions.enter(await viewers.required(request), params.id, body),
    }),
  ];
}
