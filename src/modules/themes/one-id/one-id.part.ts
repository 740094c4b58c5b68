import type { FastifyInstance } from 'fastify';
import type { AnyRoute } from '../../../http/route.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordReader } from '../../collection/index.js';
import type { GatewayAccess } from '../../sharing/index.js';
import type { MasterReader } from '../contracts.js';
import { createMasterReader } from '../masters/masters.reader.js';
import { mountOneIdGateway, oneIdRoutes } from './one-id.routes.js';
import { createOneIdService } from './one-id.service.js';

export type OneIdPartDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  records: RecordReader;
  /** Sharing's gateway steps (credentials, purpose, grants, call audit). */
  gateway: GatewayAccess;
  /** The masters part's reader (the module's own; one over the same database when absent); it also lists the themes. */
  masters?: MasterReader;
};

/** B: the one-ID query 一证通办 — `GET /api/v1/one-id/:id` (staff) and `GET /gateway/one-id/:id` (consumer systems); ADR 0027. */
export function createOneIdPart(deps: OneIdPartDeps) {
  const service = createOneIdService({
    ...deps,
    masters: deps.masters ?? createMasterReader({ db: deps.db }),
  });
  return {
    service,
    routes: oneIdRoutes(service, deps.gateway) as AnyRoute[],
    mount: (app: FastifyInstance) => mountOneIdGateway(app, { clock: deps.clock, service, gateway: deps.gateway }),
  };
}
