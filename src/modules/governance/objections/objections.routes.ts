import { defineRoute, type AnyRoute } from '../../../http/route.js';
import {
  ObjectionDetailOut,
  ObjectionExtensionBody,
  ObjectionIn,
  ObjectionListQuery,
  ObjectionOut,
  ObjectionPageOut,
  ObjectionParams,
  ObjectionTransitionBody,
} from './objections.schemas.js';
import type { ObjectionsService } from './objections.service.js';

/** Objections 异议 to records: reported by anyone (the public with a contact), handled by the provider department. */
export function objectionRoutes(objections: ObjectionsService): AnyRoute[] {
  const tag = 'governance';
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/objections',
      operationId: 'submitObjection',
      tag,
      auth: 'public',
      successStatus: 201,
      summary:
        "Report a record of a resource as wrong (resource id + the record's key + what is wrong); anonymous callers leave a contact. The record is marked disputed until the objection is closed",
      body: ObjectionIn,
      response: ObjectionOut,
      handler: async ({ actor, body }) => objections.submit(actor, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/objections',
      operationId: 'listObjections',
      tag,
      auth: 'user',
      summary: "Objections, newest first: a provider department's officers see those to its records and their own, platform roles all",
      query: ObjectionListQuery,
      response: ObjectionPageOut,
      handler: async ({ actor, query }) => objections.list(actor!, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/objections/:id',
      operationId: 'getObjection',
      tag,
      auth: 'user',
      summary: 'One objection with its deadlines and history (the provider department, its submitter, platform roles)',
      params: ObjectionParams,
      response: ObjectionDetailOut,
      handler: async ({ actor, params }) => objections.get(actor!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/objections/:id/transitions',
      operationId: 'moveObjection',
      tag,
      auth: 'user',
      summary:
        "Move an objection: accepted, corrected, explained (with a reason), closed (clears the disputed flag); the provider department's officers and administrators",
      params: ObjectionParams,
      body: ObjectionTransitionBody,
      response: ObjectionDetailOut,
      handler: async ({ actor, params, body }) => objections.transition(actor!, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/objections/:id/extension',
      operationId: 'extendObjection',
      tag,
      auth: 'user',
      summary: 'Extend the verify deadline of an accepted objection once (to 10 working days from acceptance by default)',
      params: ObjectionParams,
      body: ObjectionExtensionBody,
      response: ObjectionDetailOut,
      handler: async ({ actor, params, body }) => objections.extend(actor!, params.id, body.note),
    }),
  ];
}
