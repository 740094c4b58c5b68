import type { Clock } from '../../../shared/clock.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { presentCodeLists } from './code-lists.presenter.js';
import { presentStats } from './stats.presenter.js';
import { createStatsRepository, type GroupCount, type ResourceDimension } from './stats.repository.js';
import type { CatalogStats, CodeLists } from './stats.schemas.js';

const RESOURCE_DIMENSIONS = ['category', 'share_type', 'open_type', 'sensitivity', 'update_frequency'] as const satisfies ResourceDimension[];

/**
 * The catalogue's figures (the seed's "6679 类 122344 项, 其中可共享 46451 项" and its splits).
 *
 * Classified (涉密) entries are counted only for callers allowed to see them — the same scope as
 * GET /resources — rather than counted in totals but not itemised: per-department and per-region
 * totals would otherwise reveal that a department holds classified resources, and the figures
 * an anonymous caller sees always add up to the listings they can browse. An administrator sees
 * the bureau's full figures; `scope` in the answer says which view a caller got.
 */
export function createStatsService(deps: { db: Db; dialect: Dialect; clock: Clock; auditor: Auditor }) {
  const repo = createStatsRepository();
  const { db } = deps;

  return {
    async catalogStats(actor: Actor | null): Promise<CatalogStats> {
      const scope = scopeOf(actor);
      const grouped = async (fn: (dim: ResourceDimension) => Promise<GroupCount[]>) => {
        const out = {} as Record<ResourceDimension, GroupCount[]>;
        await Promise.all(RESOURCE_DIMENSIONS.map(async (d) => (out[d] = await fn(d))));
        return out;
      };
      const [resourceTotals, itemTotals, resourcesBy, itemsByResource, itemShare, itemOpen, itemSensitivity, regions, departments, systems] = await Promise.all(
        [
          repo.resourceTotals(db, scope),
          repo.itemTotals(db, scope),
          grouped((d) => repo.resourcesBy(db, d, scope)),
          grouped((d) => repo.itemsByResource(db, d, scope)),
          // Items carry their own share/open type and sensitivity; count those, not their resource's.
          repo.itemsByItem(db, 'share_type', scope),
          repo.itemsByItem(db, 'open_type', scope),
          repo.itemsByItem(db, 'sensitivity', scope),
          repo.byRegion(db, scope),
          repo.byDepartment(db, scope),
          repo.systemsByLevel(db),
        ],
      );
      return presentStats({
        scope: scope === 'all' ? 'all' : scope === 'none' ? 'public' : 'department',
        resourceTotals,
        itemTotals,
        resourcesBy,
        itemsBy: {
          ...itemsByResource,
          share_type: itemShare,
          open_type: itemOpen,
          sensitivity: itemSensitivity,
        },
        regions,
        departments,
        systems,
      });
    },

    codeLists(): CodeLists {
      return presentCodeLists();
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
