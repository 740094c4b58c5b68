import { AppError, notFound } from '../../../errors.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { currentRegions, explainRetiredCode } from '../../../reference/regions.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { RegionTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { Region } from './regions.schemas.js';
import { presentRegion } from './regions.presenter.js';
import { createRegionsRepository } from './regions.repository.js';

/** Regions the platform serves (the city and its districts), validated against the shipped GB/T 2260 list. */
export function createRegionsService(deps: { db: Db; clock: Clock; auditor: Auditor }) {
  const repo = createRegionsRepository();
  const { db, auditor } = deps;

  return {
    async create(actor: Actor, input: { code: string; name?: string }): Promise<Region> {
      catalogPolicy.assertCanManageOrganisation(actor);
      const ref = currentRegions().get(input.code);
      if (!ref) {
        const why = explainRetiredCode(input.code);
        throw new AppError('INVALID_REGION_CODE', why ? `${why}; it is no longer in force` : `${input.code} is not a GB/T 2260 region code`, {
          regionCode: input.code,
        });
      }
      if (input.name !== undefined && input.name !== ref.name) {
        throw new AppError('INVALID_REGION_CODE', `${input.code} is ${ref.name}, not ${input.name}`, { regionCode: input.code });
      }
      return auditor.run({ actor, action: 'region.create', targetType: 'region', targetId: input.code }, async (trx) => {
        // A region hangs off its parent only when the platform serves the parent too.
        const parent = ref.parentCode ? await repo.find(trx, ref.parentCode) : undefined;
        const row: RegionTable = {
          code: ref.code,
          name: ref.name,
          level: ref.level,
          parent_code: parent ? parent.code : null,
          created_at: deps.clock.now().toISOString(),
        };
        await repo.insert(trx, row);
        return presentRegion(row);
      });
    },

    async get(code: string): Promise<Region> {
      const row = await repo.find(db, code);
      if (!row) throw notFound('region', code);
      return presentRegion(row);
    },

    async list(opts: { cursor?: string; limit: number; parentCode?: string }): Promise<Page<Region>> {
      const rows = await repo.list(db, { after: decodeCursor(opts.cursor), limit: opts.limit, parentCode: opts.parentCode });
      return toPage(rows, opts.limit, (r) => r.code, presentRegion);
    },

    async remove(actor: Actor, code: string): Promise<void> {
      catalogPolicy.assertCanManageOrganisation(actor);
      await auditor.run({ actor, action: 'region.delete', targetType: 'region', targetId: code }, async (trx) => {
        const r = await repo.delete(trx, code);
        if (Number(r.numDeletedRows) === 0) throw notFound('region', code);
      });
    },
  };
}

export type RegionsService = ReturnType<typeof createRegionsService>;
