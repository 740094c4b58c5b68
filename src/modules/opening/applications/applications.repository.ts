import type { Db } from '../../../storage/dialect.js';
import type { OpenApplicationTable } from '../../../storage/schema.js';

export type OpenApplicationRow = OpenApplicationTable;

const withApplicant = (db: Db) =>
  db
    .selectFrom('open_applications')
    .innerJoin('open_users', 'open_users.id', 'open_applications.user_id')
    .selectAll('open_applications')
    .select([
      'open_users.username as applicant_username',
      'open_users.display_name as applicant_name',
      'open_users.email as applicant_email',
      'open_users.phone as applicant_phone',
    ]);

export type OpenApplicationView = Awaited<ReturnType<ReturnType<typeof withApplicant>['executeTakeFirstOrThrow']>>;

export function createOpenApplicationsRepository() {
  return {
    insert: (db: Db, row: OpenApplicationRow) => db.insertInto('open_applications').values(row).execute(),
    find: (db: Db, id: string) => withApplicant(db).where('open_applications.id', '=', id).executeTakeFirst(),
    /** A user's applications for one dataset, newest first. */
    ofUserAndDataset: (db: Db, userId: string, datasetId: string) =>
      db.selectFrom('open_applications').selectAll().where('user_id', '=', userId).where('dataset_id', '=', datasetId).orderBy('id', 'desc').execute(),
    /** Changes an application only while it is still `from`: 0 when another request moved it first. */
    async move(db: Db, id: string, from: string, set: Partial<OpenApplicationRow>): Promise<number> {
      const r = await db.updateTable('open_applications').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** Newest first; by applicant, by provider department, or all. */
    list(db: Db, f: { userId?: string; departmentId?: string; status?: string; datasetId?: string; before?: string; limit: number }) {
      return withApplicant(db)
        .$if(f.userId !== undefined, (q) => q.where('open_applications.user_id', '=', f.userId!))
        .$if(f.departmentId !== undefined, (q) => q.where('open_applications.department_id', '=', f.departmentId!))
        .$if(f.status !== undefined, (q) => q.where('open_applications.status', '=', f.status!))
        .$if(f.datasetId !== undefined, (q) => q.where('open_applications.dataset_id', '=', f.datasetId!))
        .$if(f.before !== undefined, (q) => q.where('open_applications.id', '<', f.before!))
        .orderBy('open_applications.id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** An active application of a user (not disabled) for a dataset, valid on `today`. */
    async activeFor(db: Db, userId: string, datasetId: string, today: string): Promise<boolean> {
      const r = await db
        .selectFrom('open_applications')
        .innerJoin('open_users', 'open_users.id', 'open_applications.user_id')
        .select('open_applications.id')
        .where('open_applications.user_id', '=', userId)
        .where('open_applications.dataset_id', '=', datasetId)
        .where('open_applications.status', '=', 'active')
        .where('open_applications.valid_until', '>=', today)
        .where('open_applications.agreement_accepted_at', 'is not', null)
        .where('open_users.disabled', '=', false)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
