import type { Db } from '../../../storage/dialect.js';
import type { SharingConsumerTable, SharingCredentialTable } from '../../../storage/schema.js';

export type ConsumerRow = SharingConsumerTable;
export type CredentialRow = SharingCredentialTable;

/** A credential with what authentication needs of its consumer. */
export type CredentialWithConsumer = CredentialRow & { department_id: string; system_id: string; consumer_status: string };

const withConsumer = (db: Db) =>
  db
    .selectFrom('sharing_credentials as c')
    .innerJoin('sharing_consumers as s', 's.id', 'c.consumer_id')
    .selectAll('c')
    .select(['s.department_id', 's.system_id', 's.status as consumer_status']);

export function createConsumersRepository() {
  return {
    /** A census system (catalogue's info_systems) with its owner department: what registration checks. */
    system: (db: Db, id: string) => db.selectFrom('info_systems').select(['id', 'name', 'department_id', 'status']).where('id', '=', id).executeTakeFirst(),
    insert: (db: Db, row: ConsumerRow) => db.insertInto('sharing_consumers').values(row).execute(),
    insertCredential: (db: Db, row: CredentialRow) => db.insertInto('sharing_credentials').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('sharing_consumers').selectAll().where('id', '=', id).executeTakeFirst(),
    bySystem: (db: Db, systemId: string) => db.selectFrom('sharing_consumers').selectAll().where('system_id', '=', systemId).executeTakeFirst(),
    /** Newest first (ids are UUIDv7); `departmentId` null: every department's. */
    list(db: Db, f: { departmentId: string | null; status?: string; systemId?: string; before?: string; limit: number }) {
      return db
        .selectFrom('sharing_consumers')
        .selectAll()
        .$if(f.departmentId !== null, (q) => q.where('department_id', '=', f.departmentId!))
        .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
        .$if(f.systemId !== undefined, (q) => q.where('system_id', '=', f.systemId!))
        .$if(f.before !== undefined, (q) => q.where('id', '<', f.before!))
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** Every key of these consumers, newest first. */
    credentialsOf(db: Db, consumerIds: readonly string[]) {
      if (consumerIds.length === 0) return Promise.resolve([] as CredentialRow[]);
      return db
        .selectFrom('sharing_credentials')
        .selectAll()
        .where('consumer_id', 'in', [...consumerIds])
        .orderBy('id', 'desc')
        .execute();
    },
    /** Retires every live key of a consumer (a rotation, a revocation). */
    retireCredentials: (db: Db, consumerId: string, at: string) =>
      db.updateTable('sharing_credentials').set({ retired_at: at }).where('consumer_id', '=', consumerId).where('retired_at', 'is', null).execute(),
    /** Changes a consumer's status only while it is still `from`: 0 when another request changed it first. */
    async setStatus(db: Db, id: string, from: string, to: string, at: string): Promise<number> {
      const r = await db
        .updateTable('sharing_consumers')
        .set({ status: to, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    touch: (db: Db, id: string, at: string) => db.updateTable('sharing_consumers').set({ updated_at: at }).where('id', '=', id).execute(),
    credentialByAppKey: (db: Db, appKey: string): Promise<CredentialWithConsumer | undefined> =>
      withConsumer(db).where('c.app_key', '=', appKey).executeTakeFirst(),
    credentialById: (db: Db, id: string): Promise<CredentialWithConsumer | undefined> => withConsumer(db).where('c.id', '=', id).executeTakeFirst(),
  };
}

export type ConsumersRepository = ReturnType<typeof createConsumersRepository>;
