import type { Db } from '../../../storage/dialect.js';
import type { OpenFeedbackTable } from '../../../storage/schema.js';

export type OpenFeedbackRow = OpenFeedbackTable;

export function createOpenFeedbackRepository() {
  return {
    insert: (db: Db, row: OpenFeedbackRow) => db.insertInto('open_feedback').values(row).execute(),
    find: (db: Db, id: string) =>
      db
        .selectFrom('open_feedback')
        .leftJoin('open_users', 'open_users.id', 'open_feedback.user_id')
        .selectAll('open_feedback')
        .select('open_users.username as reporter')
        .where('open_feedback.id', '=', id)
        .executeTakeFirst(),
    /** Newest first; by reporter, by provider department, or all. */
    list: (db: Db, f: { userId?: string; departmentId?: string; kind?: string; datasetId?: string; before?: string; limit: number }) =>
      db
        .selectFrom('open_feedback')
        .leftJoin('open_users', 'open_users.id', 'open_feedback.user_id')
        .selectAll('open_feedback')
        .select('open_users.username as reporter')
        .$if(f.userId !== undefined, (q) => q.where('open_feedback.user_id', '=', f.userId!))
        .$if(f.departmentId !== undefined, (q) => q.where('open_feedback.department_id', '=', f.departmentId!))
        .$if(f.kind !== undefined, (q) => q.where('open_feedback.kind', '=', f.kind!))
        .$if(f.datasetId !== undefined, (q) => q.where('open_feedback.dataset_id', '=', f.datasetId!))
        .$if(f.before !== undefined, (q) => q.where('open_feedback.id', '<', f.before!))
        .orderBy('open_feedback.id', 'desc')
        .limit(f.limit + 1)
        .execute(),
  };
}

export type OpenFeedbackView = NonNullable<Awaited<ReturnType<ReturnType<typeof createOpenFeedbackRepository>['find']>>>;
