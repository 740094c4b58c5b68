import type { Db } from '../../../storage/dialect.js';
import type { SharingGrantTable } from '../../../storage/schema.js';

export type GrantRow = SharingGrantTable;
/** A grant with the departments its application names (who sees it, who revokes it). */
export type GrantView = GrantRow & { consumer_department_id: string; provider_department_id: string };

export type GrantFilter = {
  /** null: every department's; else grants whose consumer or provider is this department. */
  departmentId: string | null;
  consumerId?: string;
  resourceId?: string;
  interfaceId?: string;
  /** ACTIVE: not revoked and valid on `today`; EXPIRED: not revoked, past its validity; REVOKED. */
  status?: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  today: string;
  before?: string;
  limit: number;
};

const withDepartments = (db: Db) =>
  db
    .selectFrom('sharing_grants as g')
    .innerJoin('sharing_applications as a', 'a.id', 'g.application_id')
    .selectAll('g')
    .select(['a.consumer_department_id', 'a.provider_department_id']);

export function createGrantsRepository() {
  return {
    insert: (db: Db, row: GrantRow) => db.insertInto('sharing_grants').values(row).execute(),
    find: (db: Db, id: string): Promise<GrantView | undefined> => withDepartments(db).where('g.id', '=', id).executeTakeFirst(),
    ofApplication: (db: Db, applicationId: string) =>
      db.selectFrom('sharing_grants').selectAll().where('application_id', '=', applicationId).orderBy('id').execute(),
    /** Newest first (ids are UUIDv7). */
    list(db: Db, f: GrantFilter): Promise<GrantView[]> {
      return withDepartments(db)
        .$if(f.departmentId !== null, (q) =>
          q.where((eb) => eb.or([eb('a.consumer_department_id', '=', f.departmentId!), eb('a.provider_department_id', '=', f.departmentId!)])),
        )
        .$if(f.consumerId !== undefined, (q) => q.where('g.consumer_id', '=', f.consumerId!))
        .$if(f.resourceId !== undefined, (q) => q.where('g.resource_id', '=', f.resourceId!))
        .$if(f.interfaceId !== undefined, (q) => q.where('g.interface_id', '=', f.interfaceId!))
        .$if(f.status === 'REVOKED', (q) => q.where('g.status', '=', 'REVOKED'))
        .$if(f.status === 'ACTIVE', (q) => q.where('g.status', '=', 'ACTIVE').where('g.valid_until', '>=', f.today))
        .$if(f.status === 'EXPIRED', (q) => q.where('g.status', '=', 'ACTIVE').where('g.valid_until', '<', f.today))
        .$if(f.before !== undefined, (q) => q.where('g.id', '<', f.before!))
        .orderBy('g.id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** A consumer's grants not revoked (expired ones included: expiry is decided at each call, by date). */
    unrevokedOfConsumer: (db: Db, consumerId: string) =>
      db
        .selectFrom('sharing_grants')
        .select(['id', 'resource_id', 'interface_id', 'items', 'valid_until'])
        .where('consumer_id', '=', consumerId)
        .where('status', '=', 'ACTIVE')
        .execute(),
    /** Revokes one grant only while it is still ACTIVE: 0 when another request revoked it first. */
    async revoke(db: Db, id: string, r: { at: string; by: string; reason: string }): Promise<number> {
      const res = await db
        .updateTable('sharing_grants')
        .set({ status: 'REVOKED', revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
        .where('id', '=', id)
        .where('status', '=', 'ACTIVE')
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    revokeActiveOfConsumer: (db: Db, consumerId: string, r: { at: string; by: string; reason: string }) =>
      db
        .updateTable('sharing_grants')
        .set({ status: 'REVOKED', revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason })
        .where('consumer_id', '=', consumerId)
        .where('status', '=', 'ACTIVE')
        .execute(),
  };
}

export type GrantsRepository = ReturnType<typeof createGrantsRepository>;
