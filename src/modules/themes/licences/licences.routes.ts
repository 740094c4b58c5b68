import { defineRoute, type AnyRoute } from '../../../http/route.js';
import { IdentifierParams, LicenceListOut, LicenceOut, ListQuery, ReadQuery, VerifyOut } from './licences.schemas.js';
import type { LicencesService } from './licences.service.js';
import { useCauseOf } from './use-cause.js';

/** E-licences 电子证照: verification (no read) and reads by identifier or holder, each with a use reason (用证事由). */
export function licencesRoutes(service: LicencesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/licences/verify/:identifier',
      operationId: 'verifyLicenceId',
      tag: 'themes',
      auth: 'public',
      summary: 'Verify an e-licence identifier (GB/T 36904): root, type code, issuer USCC, serial, version and the ISO 7064 MOD 37,36 check; reads no licence',
      params: IdentifierParams,
      response: VerifyOut,
      handler: async ({ params }) => service.verify(params.identifier),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/licences/:identifier',
      operationId: 'getLicence',
      tag: 'themes',
      auth: 'user',
      summary: 'One e-licence by identifier with its validity today; use reason required (X-Use-Cause or useCause); audited',
      params: IdentifierParams,
      query: ReadQuery,
      response: LicenceOut,
      handler: async ({ actor, params, query, request }) => {
        const useCause = useCauseOf(request.headers, query.useCause);
        return service.get(actor!, params.identifier, { useCause, unmasked: query.unmasked });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/licences',
      operationId: 'listLicences',
      tag: 'themes',
      auth: 'user',
      summary: "A holder's e-licences (citizen ID or USCC), optionally of one type, with their validity today; use reason required; audited",
      query: ListQuery,
      response: LicenceListOut,
      handler: async ({ actor, query, request }) => {
        const useCause = useCauseOf(request.headers, query.useCause);
        return service.list(actor!, { holderCode: query.holderCode, typeCode: query.typeCode, useCause, unmasked: query.unmasked });
      },
    }),
  ];
}
