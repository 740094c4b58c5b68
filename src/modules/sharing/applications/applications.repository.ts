import type { Db } from '../../../storage/dialect.js';
import type { SharingApplicationHistoryTable, SharingApplicationTable } from '../../../storage/schema.js';
import { PENDING_STATUSES } from './application-states.js';

export type ApplicationRow = SharingApplicationTable;

export type ApplicationFilter = {
  /** null: every department's; else applications of this department or addressed to it. */
  departmentId: string | null;
  role?: 'applicant' | 'provider' | 'admin';
  status?: string;
  escalated?: boolean;
  consumerId?: string;
  resourceId?: string;
  before?: string;
  limit: number;
};

export function createApplicationsRepository() {
  return {
    insert: (db: Db, row: ApplicationRow) => db.insertInto('sharing_applications').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('sharing_applications').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Changes an application only while it is still `from` (and, with `escalated`, still so): 0 when another request moved it first. */
    async move(db: Db, id: string, from: string, set: Partial<ApplicationRow>, escalated?: boolean): Promise<number> {
      const r = await db
        .updateTable('sharing_applications')
        .set(set)
        .where('id', '=', id)
        .where('status', '=', from)
        .$if(escalated !== undefined, (q) => q.where('escalated', '=', escalated!))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    addHistory: (db: Db, row: SharingApplicationHistoryTable) => db.insertInto('sharing_application_history').values(row).execute(),
    history: (db: Db, applicationId: string) =>
      db.selectFrom('sharing_application_history').selectAll().where('application_id', '=', applicationId).orderBy('at').orderBy('id').execute(),
    /** Newest first (ids are UUIDv7). */
    list(db: Db, f: ApplicationFilter) {
      const dept = f.departmentId;
      return db
        .selectFrom('sharing_applications')
        .selectAll()
        .$if(dept !== null && f.role === 'applicant', (q) => q.where('consumer_department_id', '=', dept!))
        .$if(dept !== null && f.role === 'provider', (q) => q.where('provider_department_id', '=', dept!))
        .$if(dept !== null && f.role === undefined, (q) =>
          q.where((eb) => eb.or([eb('consumer_department_id', '=', dept!), eb('provider_department_id', '=', dept!)])),
        )
        .$if(f.role === 'admin', (q) =>
          q.where((eb) =>
            eb.or([eb('status', 'in', ['COMPLIANCE_CHECK', 'ARBITRATION']), eb.and([eb('status', 'in', [...PENDING_STATUSES]), eb('escalated', '=', true)])]),
          ),
        )
        .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
        .$if(f.escalated !== undefined, (q) => q.where('escalated', '=', f.escalated!))
        .$if(f.consumerId !== undefined, (q) => q.where('consumer_id', '=', f.consumerId!))
        .$if(f.resourceId !== undefined, (q) => q.where('resource_id', '=', f.resourceId!))
        .$if(f.before !== undefined, (q) => q.where('id', '<', f.before!))
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** Pending steps past their due date (`due < today`) and not escalated yet. */
    overdue: (db: Db, today: string) =>
      db
        .selectFrom('sharing_applications')
        .selectAll()
        .where('escalated', '=', false)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'COMPLIANCE_CHECK'), eb('compliance_due', '<', today)]),
            eb.and([eb('status', '=', 'PROVIDER_REVIEW'), eb('review_due', '<', today)]),
          ]),
        )
        .orderBy('id')
        .execute(),
    /** An interface (sharing_interfaces, kept by interfaces/): what applying for it needs. */
    iface: (db: Db, id: string) =>
      db
        .selectFrom('sharing_interfaces')
        .select(['id', 'kind', 'status', 'department_id', 'resource_id', 'config', 'name'])
        .where('id', '=', id)
        .executeTakeFirst(),
  };
}

export type ApplicationsRepository = ReturnType<typeof createApplicationsRepository>;
