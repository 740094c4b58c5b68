import type { Clock } from '../../shared/clock.js';
import type { Db, Dialect } from '../../storage/dialect.js';
import type { WorkerPool } from '../../jobs/worker-pool.js';
import type { AnyRoute } from '../../http/route.js';
import type { Auditor } from '../audit/index.js';
import type { CatalogReader } from '../catalog/index.js';
import type { KuaijiModule } from '../module.js';

export type GovernanceModuleDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** How worker threads reach the database; null (a private in-memory database) runs scans inline. */
  databaseUrl: string | null;
  /** The process's worker pool (shared with other modules' job kinds). */
  pool?: WorkerPool;
  jobTimeLimitMs?: number | null;
};

/**
 * Governance 治理 (DOMAIN.md §5, §9): quality rules derived from the catalogue and custom ones,
 * scans of record tables (pushed-down aggregates and in-code checks in the worker pool), scores,
 * problems routed to provider departments, objections.
 */
export function createGovernanceModule(deps: GovernanceModuleDeps) {
  void deps;
  const services = {};
  const routes: AnyRoute[] = [];

  return {
    name: 'governance',
    routes,
    services,
  } satisfies KuaijiModule & Record<string, unknown>;
}

export type GovernanceModule = ReturnType<typeof createGovernanceModule>;
