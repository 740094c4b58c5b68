import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { ProblemDetailOut, ProblemFiguresOut, ProblemListQuery, ProblemPageOut, ProblemParams, ProblemTransitionBody } from './problems.schemas.js';
import type { ProblemsService } from './problems.service.js';

/** Quality problems 问题数据: the list (the overdue ones are the escalation list), one with its history, and its workflow. */
export function problemRoutes(problems: ProblemsService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/problems',
      operationId: 'listQualityProblems',
      tag,
      auth: 'user',
      summary: "Quality problems, newest first: officers see their department's, platform roles all; filter by status, resource, department, overdue",
      query: ProblemListQuery,
      response: ProblemPageOut,
      handler: async ({ actor, query }) => problems.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/problems/figures',
      operationId: 'qualityProblemFigures',
      tag,
      auth: 'user',
      summary: "Problems open, overdue (超期), closed and explained, in total and by provider department (officers: their department's)",
      response: ProblemFiguresOut,
      handler: async ({ actor }) => problems.figures(actor!),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quality/problems/:id',
      operationId: 'getQualityProblem',
      tag,
      auth: 'user',
      summary: 'One quality problem with its failing sample, deadline, overdue flag and history',
      params: ProblemParams,
      response: ProblemDetailOut,
      handler: async ({ actor, params }) => problems.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/quality/problems/:id/transitions',
      operationId: 'moveQualityProblem',
      tag,
      auth: 'user',
      summary:
        "Move a problem along its workflow (acknowledged, rectifying, submitted, explained with a reason; an administrator reopens an explained one): the provider department's officers and administrators; 409 PROBLEM_TRANSITION_INVALID otherwise",
      params: ProblemParams,
      body: ProblemTransitionBody,
      response: ProblemDetailOut,
      handler: async ({ actor, params, body }) => problems.transition(actor!, params.id, body),
    }),
  ];
}
