import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import { visibleResources } from '../../catalog/index.js';

/** What the weekly ranking reads: results and problems as they stood at a week's end, department names. */
export function createRankingRepository() {
  return {
    /** Each resource's results from its latest scan before `end` (an ISO instant). */
    async latestResultsBefore(db: Db, end: string) {
      const latest = db
        .selectFrom('quality_results')
        .select(['resource_id', (eb) => eb.fn.max('scanned_at').as('at')])
        .where('scanned_at', '<', end)
        .groupBy('resource_id')
        .as('l');
      const rows = await db
        .selectFrom('quality_results as r')
        .innerJoin(latest, (j) => j.onRef('l.resource_id', '=', 'r.resource_id').onRef('l.at', '=', 'r.scanned_at'))
        .select(['r.resource_id', 'r.dimension', 'r.severity', 'r.checked', 'r.passed', 'r.scanned_at'])
        .execute();
      return rows.map((r) => ({ ...r, checked: Number(r.checked), passed: Number(r.passed) }));
    },

    /**
     * Problems of the resources `scope` may see that existed before `end`, each with the state its
     * last history row before `end` gave it (history ids are UUIDv7: their order is the order the
     * moves were made).
     */
    statesAt: (db: Db, scope: AccessScope, end: string) =>
      db
        .selectFrom('quality_problems as p')
        .innerJoin('resources', 'resources.id', 'p.resource_id')
        .innerJoin('quality_problem_history as h', 'h.problem_id', 'p.id')
        .where(visibleResources(scope))
        .select(['p.id', 'p.resource_id', 'p.department_id', 'p.deadline', 'p.opened_at', 'h.to_status as status'])
        .where('h.id', '=', (eb) =>
          eb
            .selectFrom('quality_problem_history as h2')
            .select((e) => e.fn.max('h2.id').as('id'))
            .whereRef('h2.problem_id', '=', 'p.id')
            .where('h2.at', '<', end),
        )
        .execute(),

    /** Problems closed in [start, end). */
    async closedBetween(db: Db, start: string, end: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('quality_problem_history')
        .select('problem_id')
        .distinct()
        .where('to_status', '=', 'closed')
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute();
      return new Set(rows.map((r) => r.problem_id));
    },

    departmentNames: async (db: Db, ids: readonly string[]) =>
      ids.length === 0
        ? new Map<string, string>()
        : new Map(
            (
              await db
                .selectFrom('departments')
                .select(['id', 'name'])
                .where('id', 'in', [...ids])
                .execute()
            ).map((d) => [d.id, d.name]),
          ),
  };
}
