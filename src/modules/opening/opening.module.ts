import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { RecordReader } from '../collection/index.js';
import type { KuaijiModule } from '../module.js';

export type OpeningModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Collection's record reader: the one way open datasets read records. */
  records: RecordReader;
};

/**
 * Opening 开放 (DOMAIN.md §7, issue 11): open datasets published from resources, the public
 * portal API under `/api/v1/open/`, restricted-open applications, scenarios and feedback,
 * statistics, a CKAN-compatible Action API and the DCAT-AP export.
 */
export function createOpeningModule(deps: OpeningModuleDeps) {
  void deps;
  const services = {};
  const routes: AnyRoute[] = [];
  return {
    name: 'opening',
    routes,
    services,
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type OpeningModule = ReturnType<typeof createOpeningModule>;
