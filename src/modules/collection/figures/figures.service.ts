import type { Clock } from '../../../shared/clock.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { Actor } from '../../../shared/actor.js';
import { createFiguresRepository } from './figures.repository.js';
import type { CollectionFigures, CollectionFiguresQuery } from './figures.schemas.js';

type Counts = { resources: number; with_data: number; records: number };

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const coverageOf = (c: Counts) => ({
  resources: Number(c.resources),
  resourcesWithData: Number(c.with_data),
  records: Number(c.records),
  coverage: ratio(Number(c.with_data), Number(c.resources)),
});

/**
 * What collection has gathered (the seed's 归集 figures): records per resource, department and
 * region, records added in a year, and coverage 应归尽归. Classified resources are counted for
 * callers who may see them, as in the catalogue's figures.
 */
export function createFiguresService(deps: { db: Db; clock: Clock }) {
  const repo = createFiguresRepository();
  const { db } = deps;

  return {
    async figures(actor: Actor | null, q: CollectionFiguresQuery): Promise<CollectionFigures> {
      const scope = scopeOf(actor);
      const year = q.year ?? deps.clock.now().getUTCFullYear();
      const [totals, added, regions, departments, top] = await Promise.all([
        repo.totals(db, scope),
        repo.addedBetween(db, scope, `${year}-01-01`, `${year + 1}-01-01`),
        repo.byRegion(db, scope),
        repo.byDepartment(db, scope),
        repo.topResources(db, scope, q.top),
      ]);
      const addedBy = new Map(added.map((a) => [a.department_id, Number(a.added)]));
      const byRegion = regions.map((r) => ({ regionCode: r.region_code, regionName: r.region_name, level: r.level, ...coverageOf(r) }));
      const sumLevel = (level: string) => {
        const sum = regions
          .filter((r) => r.level === level)
          .reduce<Counts>(
            (a, r) => ({ resources: a.resources + Number(r.resources), with_data: a.with_data + Number(r.with_data), records: a.records + Number(r.records) }),
            { resources: 0, with_data: 0, records: 0 },
          );
        return coverageOf(sum);
      };
      return {
        scope: scope === 'all' ? 'all' : scope === 'none' ? 'public' : 'department',
        year,
        ...coverageOf(totals),
        recordsAddedInYear: [...addedBy.values()].reduce((a, n) => a + n, 0),
        cityLevel: sumLevel('prefecture'),
        districts: sumLevel('county'),
        byRegion,
        byDepartment: departments.map((d) => ({
          departmentId: d.department_id,
          departmentName: d.department_name,
          regionCode: d.region_code,
          ...coverageOf(d),
          recordsAddedInYear: addedBy.get(d.department_id) ?? 0,
        })),
        byResource: top.map((r) => ({
          resourceId: r.resource_id,
          code: r.code,
          name: r.name,
          departmentId: r.department_id,
          records: Number(r.records),
          lastLoadedAt: r.last_loaded_at,
        })),
      };
    },
  };
}

export type FiguresService = ReturnType<typeof createFiguresService>;
