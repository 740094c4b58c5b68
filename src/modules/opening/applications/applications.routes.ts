import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenViewerResolver } from '../users/open-viewer.js';
import {
  OpenAgreementIn,
  OpenAgreementOut,
  OpenApplicationIn,
  OpenApplicationListQuery,
  OpenApplicationOut,
  OpenApplicationPageOut,
  OpenApplicationParams,
  OpenApplicationReviewIn,
  OpenRevocationIn,
} from './applications.schemas.js';
import type { OpenApplicationsService } from './applications.service.js';
import { useAgreement } from './use-agreement.js';

/** Restricted-open applications (受限开放): public users apply and accept the use agreement; the provider department decides. */
export function openApplicationRoutes(applications: OpenApplicationsService, viewers: OpenViewerResolver): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/agreement',
      operationId: 'getOpenUseAgreement',
      tag,
      auth: 'public',
      summary: 'The use agreement (开放利用协议) in force: its version and text, accepted per application',
      response: OpenAgreementOut,
      handler: async () => useAgreement(),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/applications',
      operationId: 'applyForOpenDataset',
      tag,
      auth: 'public',
      successStatus: 201,
      summary: 'Apply for a RESTRICTED open dataset (purpose, scenario, security measures), as the signed-in public user',
      body: OpenApplicationIn,
      response: OpenApplicationOut,
      handler: async ({ body, request }) => applications.apply(await viewers.required(request), body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/applications',
      operationId: 'listOpenApplications',
      tag,
      auth: 'public',
      summary: "Applications, newest first: staff see their inbox (the provider department's, or all for platform roles); a public user their own",
      query: OpenApplicationListQuery,
      response: OpenApplicationPageOut,
      handler: async ({ actor, query, request }) => applications.list(actor ? { actor } : { viewer: await viewers.required(request) }, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/applications/:id',
      operationId: 'getOpenApplication',
      tag,
      auth: 'public',
      summary: 'One application (its applicant, the provider department, platform roles)',
      params: OpenApplicationParams,
      response: OpenApplicationOut,
      handler: async ({ actor, params, request }) => applications.get({ actor, viewer: await viewers.viewer(request) }, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/applications/:id/review',
      operationId: 'reviewOpenApplication',
      tag,
      auth: 'user',
      summary: "Approve (with a last day of use) or reject (with a reason) a submitted application: the provider department's officers and administrators",
      params: OpenApplicationParams,
      body: OpenApplicationReviewIn,
      response: OpenApplicationOut,
      handler: async ({ actor, params, body }) => applications.review(actor!, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/applications/:id/agreement',
      operationId: 'acceptOpenUseAgreement',
      tag,
      auth: 'public',
      summary: 'Accept the use agreement (its version as read) for an approved application: the dataset is then served to the applicant',
      params: OpenApplicationParams,
      body: OpenAgreementIn,
      response: OpenApplicationOut,
      handler: async ({ params, body, request }) => applications.acceptAgreement(await viewers.required(request), params.id, body.version),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/applications/:id/revocation',
      operationId: 'revokeOpenApplication',
      tag,
      auth: 'user',
      summary: "Revoke an approved or active application (with a reason): the provider department's officers and administrators",
      params: OpenApplicationParams,
      body: OpenRevocationIn,
      response: OpenApplicationOut,
      handler: async ({ actor, params, body }) => applications.revoke(actor!, params.id, body.reason),
    }),
  ];
}
