import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { WorkCalendar } from '../governance/index.js';
import type { KuaijiModule } from '../module.js';

export type SharingModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Collection's record reader: the one way the gateway reads records. */
  records: RecordReader;
  /** Governance's working-day calendar (application deadlines); the shipped one when absent. */
  calendar?: WorkCalendar;
};

/**
 * Sharing 共享 (DOMAIN.md §6, issue 10): consumer systems and their credentials, access
 * applications and approvals, grants, generated and upstream interfaces, and the gateway under
 * `/gateway/` (authenticate → authorise → quota → query → mask → audit → count).
 */
export function createSharingModule(deps: SharingModuleDeps) {
  void deps;
  const services = {};
  const routes: AnyRoute[] = [];
  return {
    name: 'sharing',
    routes,
    services,
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type SharingModule = ReturnType<typeof createSharingModule>;
