import { defineRoute, type AnyRoute } from '../../../http/route.js';
import {
  ApplicationDetailOut,
  ApplicationIn,
  ApplicationListQuery,
  ApplicationPageOut,
  ApplicationParams,
  DecisionBody,
  WithdrawBody,
} from './applications.schemas.js';
import type { ApplicationsService } from './applications.service.js';

/** Access applications 申请: submit, inbox, decisions per step, withdrawal. */
export function applicationRoutes(applications: ApplicationsService): AnyRoute[] {
  const tag = 'sharing';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/applications',
      operationId: 'submitAccessApplication',
      tag,
      auth: 'user',
      successStatus: 201,
      summary:
        "Apply for a resource and some of its items (or an upstream interface) for a consumer system, with purpose, scenario, legal basis and validity: unconditional items are granted at once, conditional ones go to the compliance check and the provider department, not-shared ones need a legal basis and the platform's arbitration",
      body: ApplicationIn,
      response: ApplicationDetailOut,
      handler: async ({ actor, body }) => applications.submit(actor!, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/applications',
      operationId: 'listAccessApplications',
      tag,
      auth: 'user',
      summary:
        "The inbox, newest first: a department's own applications and those addressed to it (role=applicant|provider); platform roles all, or role=admin for those awaiting the platform (escalated ones included)",
      query: ApplicationListQuery,
      response: ApplicationPageOut,
      handler: async ({ actor, query }) => applications.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sharing/applications/:id',
      operationId: 'getAccessApplication',
      tag,
      auth: 'user',
      summary: 'One access application with its deadlines, history and grant',
      params: ApplicationParams,
      response: ApplicationDetailOut,
      handler: async ({ actor, params }) => applications.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/applications/:id/decisions',
      operationId: 'decideAccessApplication',
      tag,
      auth: 'user',
      summary:
        "Decide the pending step: the compliance check and arbitration (administrators), the provider department's review (its officers; administrators once escalated). A rejection gives its reasons; the last approval makes the grant",
      params: ApplicationParams,
      body: DecisionBody,
      response: ApplicationDetailOut,
      handler: async ({ actor, params, body }) => applications.decide(actor!, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/sharing/applications/:id/withdraw',
      operationId: 'withdrawAccessApplication',
      tag,
      auth: 'user',
      summary: "Withdraw a pending application (the applicant's department)",
      params: ApplicationParams,
      body: WithdrawBody,
      response: ApplicationDetailOut,
      handler: async ({ actor, params, body }) => applications.withdraw(actor!, params.id, body.note),
    }),
  ];
}
