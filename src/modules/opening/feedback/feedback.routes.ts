import { defineRoute, type AnyRoute } from '../../../http/route.js';
import type { OpenViewerResolver } from '../users/open-viewer.js';
import { OpenFeedbackIn, OpenFeedbackListQuery, OpenFeedbackOut, OpenFeedbackPageOut } from './feedback.schemas.js';
import type { OpenFeedbackService } from './feedback.service.js';

export function openFeedbackRoutes(feedback: OpenFeedbackService, viewers: OpenViewerResolver): AnyRoute[] {
  const tag = 'opening';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/open/feedback',
      operationId: 'submitOpenFeedback',
      tag,
      auth: 'public',
      successStatus: 201,
      summary:
        'Feedback or an error report (纠错) on an open dataset, signed in or anonymous with a contact; an error report with a record key opens an objection (异议) on that record',
      body: OpenFeedbackIn,
      response: OpenFeedbackOut,
      handler: async ({ body, request }) => feedback.submit(await viewers.viewer(request), body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/open/feedback',
      operationId: 'listOpenFeedback',
      tag,
      auth: 'public',
      summary:
        "Feedback and error reports, newest first, with their objection's state: staff see their department's (platform roles all); a public user their own",
      query: OpenFeedbackListQuery,
      response: OpenFeedbackPageOut,
      handler: async ({ actor, query, request }) => feedback.list(actor ? { actor } : { viewer: await viewers.required(request) }, query),
    }),
  ];
}
