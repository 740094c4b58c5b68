import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import { visibleResources } from '../../catalog/index.js';
import { ACTIVE_PROBLEM_STATES } from '../problems/problem-states.js';

const count = (v: unknown) => Number(v ?? 0);

/** Governance figures: counts over problems, objections, scans and the catalogue, filtered by what `scope` may see. */
export function createQualityFiguresRepository() {
  return {
    /** The ids of the catalogued resources `scope` may see (their rules are counted). */
    async resourceIds(db: Db, scope: AccessScope): Promise<string[]> {
      const rows = await db.selectFrom('resources').select('id').where(visibleResources(scope)).orderBy('id').execute();
      return rows.map((r) => r.id);
    },

    /** Problems by state, and the active ones past their deadline on `today`. */
    async problems(db: Db, scope: AccessScope, today: string) {
      const scoped = () =>
        db.selectFrom('quality_problems').innerJoin('resources', 'resources.id', 'quality_problems.resource_id').where(visibleResources(scope));
      const [byState, overdue] = await Promise.all([
        scoped()
          .select(['quality_problems.status as status', (eb) => eb.fn.countAll().as('n')])
          .groupBy('quality_problems.status')
          .execute(),
        scoped()
          .select((eb) => eb.fn.countAll().as('n'))
          .where('quality_problems.status', 'in', [...ACTIVE_PROBLEM_STATES])
          .where('quality_problems.deadline', '<', today)
          .executeTakeFirst(),
      ]);
      return { byState: byState.map((r) => ({ status: r.status, n: count(r.n) })), overdue: count(overdue?.n) };
    },

    async objections(db: Db, scope: AccessScope) {
      const rows = await db
        .selectFrom('objections')
        .innerJoin('resources', 'resources.id', 'objections.resource_id')
        .where(visibleResources(scope))
        .select(['objections.status as status', (eb) => eb.fn.countAll().as('n')])
        .groupBy('objections.status')
        .execute();
      return rows.map((r) => ({ status: r.status, n: count(r.n) }));
    },

    /** Scans by status (scans of everything, and of the resources `scope` may see), and when the last one finished. */
    async scans(db: Db, scope: AccessScope) {
      const rows = await db
        .selectFrom('quality_scans')
        .leftJoin('resources', 'resources.id', 'quality_scans.resource_id')
        .where((eb) => eb.or([eb('quality_scans.resource_id', 'is', null), visibleResources(scope)]))
        .select(['quality_scans.status as status', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.max('quality_scans.finished_at').as('last')])
        .groupBy('quality_scans.status')
        .execute();
      return rows.map((r) => ({ status: r.status, n: count(r.n), last: r.last as string | null }));
    },

    async departmentNames(db: Db, ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, string>();
      const rows = await db
        .selectFrom('departments')
        .select(['id', 'name'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((d) => [d.id, d.name]));
    },

    async regionNames(db: Db, codes: readonly string[]) {
      if (codes.length === 0) return new Map<string, string>();
      const rows = await db
        .selectFrom('regions')
        .select(['code', 'name'])
        .where('code', 'in', [...codes])
        .execute();
      return new Map(rows.map((r) => [r.code, r.name]));
    },
  };
}
