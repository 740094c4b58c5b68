import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader } from '../../catalog/index.js';
import { collectionPolicy } from '../collection.policy.js';
import type { MappingInForce } from '../uploads.js';
import { createMappingsRepository } from './mappings.repository.js';

/**
 * Column mappings: how a department's file headers map to the resource's item codes, saved once
 * and used by every load of the resource (uploads, pushes, pulls).
 */
export function createMappingsService(deps: { db: Db; auditor: Auditor; catalog: CatalogReader }) {
  const { db } = deps;
  const repo = createMappingsRepository();

  return {
    /** 404 for a resource the caller may not see (a classified entry of another department). */
    async get(actor: Actor | null, resourceId: string) {
      await visibleResourceOr404(deps.catalog, actor, resourceId);
      return { mappings: await repo.of(db, resourceId) };
    },

    /** Saves how a department's file headers map to item codes; replaces the previous mapping. */
    async put(actor: Actor, resourceId: string, mappings: Record<string, string>) {
      // null for a resource the caller may not see: 404, as visibleResourceOr404 answers.
      const entry = await deps.catalog.resource(resourceId, scopeOf(actor));
      if (!entry) throw notFound('resource', resourceId);
      collectionPolicy.assertCanLoad(actor, entry.providerDepartmentId);
      const codes = new Set((entry.items ?? []).map((i) => i.code));
      const unknown = Object.entries(mappings).filter(([, code]) => !codes.has(code));
      if (unknown.length) {
        throw new AppError('VALIDATION_FAILED', `No data item '${unknown[0]![1]}' in this resource`, {
          errors: unknown.map(([h, c]) => ({ path: `body.mappings.${h}`, code: 'unknown_item', message: `no data item '${c}'` })),
        });
      }
      await deps.auditor.run({ actor, action: 'collection.mappings', targetType: 'resource', targetId: resourceId }, (trx) =>
        repo.replace(trx, resourceId, mappings),
      );
      return { mappings };
    },

    /** The mapping in force and the items' labels: what a load maps headers with (and what an upload's default batch id covers). */
    async inForce(resourceId: string): Promise<MappingInForce> {
      const entry = await deps.catalog.resource(resourceId, 'all');
      return {
        mappings: await repo.of(db, resourceId),
        items: (entry?.items ?? []).map((i) => ({ code: i.code, name: i.name, nameEn: i.nameEn })),
      };
    },
  };
}

export type MappingsService = ReturnType<typeof createMappingsService>;
