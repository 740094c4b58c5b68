import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { AuditEventsService } from './audit-events.service.js';
import { AuditEventsOut, AuditEventsQuery } from './audit.schemas.js';

export function auditRoutes(events: AuditEventsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit-events',
      operationId: 'listAuditEvents',
      tag: 'audit',
      auth: 'user',
      summary: 'The audit trail (changes and reads of personal data), newest first: auditors and administrators',
      query: AuditEventsQuery,
      response: AuditEventsOut,
      handler: async ({ actor, query }) => events.list(actor!, query),
    }),
  ];
}
