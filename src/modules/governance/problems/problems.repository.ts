import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { QualityProblemHistoryTable, QualityProblemTable } from '../../../storage/schema.js';
import { ACTIVE_PROBLEM_STATES } from './problem-states.js';

export type ProblemRow = QualityProblemTable;

export type ProblemListFilter = {
  scope: AccessScope;
  status?: string;
  resourceId?: string;
  departmentId?: string;
  /** Past the deadline on `today` and still active (true), or not (false). */
  overdue?: { value: boolean; today: string };
  before?: string;
  limit: number;
};

/** The live problem of a (rule, resource): the key its unique index holds until the problem is closed. */
export const openKeyOf = (ruleId: string, resourceId: string) => `${ruleId}|${resourceId}`;

export function createProblemsRepository() {
  return {
    find: (db: Db, id: string) => db.selectFrom('quality_problems').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Live (not closed) problems of a resource, by open key. */
    liveOfResource: (db: Db, resourceId: string) =>
      db.selectFrom('quality_problems').selectAll().where('resource_id', '=', resourceId).where('open_key', 'is not', null).execute(),
    insert: (db: Db, row: ProblemRow) => db.insertInto('quality_problems').values(row).execute(),
    /** Changes a problem only while it is still `from`: 0 when another request moved it first. */
    async move(db: Db, id: string, from: string, set: Partial<ProblemRow>): Promise<number> {
      const r = await db.updateTable('quality_problems').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    addHistory: (db: Db, row: QualityProblemHistoryTable) => db.insertInto('quality_problem_history').values(row).execute(),
    history: (db: Db, problemId: string) => db.selectFrom('quality_problem_history').selectAll().where('problem_id', '=', problemId).orderBy('id').execute(),
    /** Newest first (ids are UUIDv7); an officer's scope keeps their department's resources only. */
    list(db: Db, f: ProblemListFilter) {
      const scope = f.scope;
      return db
        .selectFrom('quality_problems')
        .innerJoin('resources', 'resources.id', 'quality_problems.resource_id')
        .selectAll('quality_problems')
        .$if(scope === 'none', (q) => q.where('quality_problems.id', '=', '-'))
        .$if(typeof scope === 'object', (q) => q.where('resources.provider_department_id', '=', (scope as { departmentId: string }).departmentId))
        .$if(f.status !== undefined, (q) => q.where('quality_problems.status', '=', f.status!))
        .$if(f.resourceId !== undefined, (q) => q.where('quality_problems.resource_id', '=', f.resourceId!))
        .$if(f.departmentId !== undefined, (q) => q.where('quality_problems.department_id', '=', f.departmentId!))
        .$if(f.overdue?.value === true, (q) =>
          q.where('quality_problems.status', 'in', [...ACTIVE_PROBLEM_STATES]).where('quality_problems.deadline', '<', f.overdue!.today),
        )
        .$if(f.overdue?.value === false, (q) =>
          q.where((eb) =>
            eb.or([eb('quality_problems.status', 'not in', [...ACTIVE_PROBLEM_STATES]), eb('quality_problems.deadline', '>=', f.overdue!.today)]),
          ),
        )
        .$if(f.before !== undefined, (q) => q.where('quality_problems.id', '<', f.before!))
        .orderBy('quality_problems.id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** Problems by provider department and state, and how many of each department's are overdue on `today`. */
    async figures(db: Db, scope: AccessScope, today: string) {
      const scoped = () =>
        db
          .selectFrom('quality_problems')
          .innerJoin('resources', 'resources.id', 'quality_problems.resource_id')
          .$if(scope === 'none', (q) => q.where('quality_problems.id', '=', '-'))
          .$if(typeof scope === 'object', (q) => q.where('resources.provider_department_id', '=', (scope as { departmentId: string }).departmentId));
      const byState = await scoped()
        .select(['quality_problems.department_id as department_id', 'quality_problems.status as status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy(['quality_problems.department_id', 'quality_problems.status'])
        .execute();
      const overdue = await scoped()
        .select(['quality_problems.department_id as department_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('quality_problems.status', 'in', [...ACTIVE_PROBLEM_STATES])
        .where('quality_problems.deadline', '<', today)
        .groupBy('quality_problems.department_id')
        .execute();
      return { byState, overdue };
    },
  };
}

export type ProblemsRepository = ReturnType<typeof createProblemsRepository>;
