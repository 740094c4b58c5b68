import { scopeCovers, type AccessScope } from '../../shared/access-scope.js';
import { toBool, type Db, type Dialect } from '../../storage/dialect.js';
import { presentResource } from './resources/resources.presenter.js';
import { createResourcesRepository } from './resources/resources.repository.js';
import type { Resource } from './resources/resources.schemas.js';

/** Who owns a resource: what policies of other modules need, read without the classified filter. */
export type ResourceOwner = { id: string; code: string; providerDepartmentId: string; classified: boolean; updateFrequency: string };

/**
 * The one way other modules read the catalogue (collection, governance, sharing, opening,
 * themes). Reads that serve a caller take an AccessScope and answer `null` for a resource the
 * scope may not see (classified entries of other departments), so every module answers such a
 * resource the way `GET /resources/:id` does: 404.
 */
export interface CatalogReader {
  /** A resource with its data items, or null when it does not exist or `scope` may not see it. */
  resource(id: string, scope: AccessScope, db?: Db): Promise<Resource | null>;
  /** Several resources with their items, in the order asked; those `scope` may not see are left out. */
  resources(ids: readonly string[], scope: AccessScope, db?: Db): Promise<Resource[]>;
  /** The id of the resource with this catalogue code (e.g. 101001/00001), or null when none exists or `scope` may not see it. */
  resourceIdByCode(code: string, scope: AccessScope, db?: Db): Promise<string | null>;
  /** The owner of a resource for policy checks, or null when it does not exist. Not scope-filtered: never return it to a caller as such. */
  owner(id: string, db?: Db): Promise<ResourceOwner | null>;
  /** The ids of the resources a department provides (its own, classified or not). */
  resourceIdsOfDepartment(departmentId: string, db?: Db): Promise<string[]>;
  /** Whether `scope` may see the resource: owner + classified rule in one place. */
  canSee(owner: ResourceOwner, scope: AccessScope): boolean;
}

/**
 * `db` defaults to the platform's connection; a collection worker thread passes its own store's
 * connection (and so reads inside its transaction).
 */
export function createCatalogReader(deps: { db: Db; dialect: Dialect }): CatalogReader {
  const repo = createResourcesRepository(deps.dialect);

  async function resources(ids: readonly string[], scope: AccessScope, db: Db = deps.db): Promise<Resource[]> {
    if (ids.length === 0) return [];
    const rows = await repo.findMany(db, ids, scope);
    const items = await repo.itemsOf(
      db,
      rows.map((r) => r.id),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row
        ? [
            presentResource(
              row,
              items.filter((i) => i.resource_id === id),
            ),
          ]
        : [];
    });
  }

  return {
    async resource(id, scope, db) {
      return (await resources([id], scope, db))[0] ?? null;
    },
    resources,
    async resourceIdByCode(code, scope, db = deps.db) {
      return (await repo.findByCode(db, code, scope))?.id ?? null;
    },
    async owner(id, db = deps.db) {
      const r = await repo.findOwnerWithVisibility(db, id);
      if (!r) return null;
      return { id: r.id, code: r.code, providerDepartmentId: r.provider_department_id, classified: toBool(r.classified), updateFrequency: r.update_frequency };
    },
    async resourceIdsOfDepartment(departmentId, db = deps.db) {
      return repo.idsOfDepartment(db, departmentId);
    },
    canSee(owner, scope) {
      return !owner.classified || scopeCovers(scope, owner.providerDepartmentId);
    },
  };
}
