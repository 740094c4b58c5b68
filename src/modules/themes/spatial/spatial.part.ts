import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../../shared/clock.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import { mountOgc } from './ogc.routes.js';
import { createSpatialService } from './spatial.service.js';

/** Part D of the themes module: spatial themes served as OGC API – Features at `/ogc` (ADR 0029). */
export function createSpatialPart(deps: { db: Db; dialect?: Dialect; clock: Clock; catalog: CatalogReader }) {
  const service = createSpatialService(deps);
  return {
    service,
    mount(app: FastifyInstance) {
      mountOgc(app, { service, clock: deps.clock });
    },
  };
}
