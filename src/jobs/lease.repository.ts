import type { Db } from '../storage/dialect.js';

/**
 * Tables whose rows are leased jobs: each has `id`, `status` and the lease columns of migration
 * 0010 (`owner`, `lease_until`, `heartbeat_at`). Queries name one of them for Kysely's types; the
 * columns used here are the same in all.
 */
export type LeasedTable = 'collection_jobs' | 'quality_scans' | 'quality_profiles';
const as = (table: LeasedTable) => table as 'collection_jobs';

/** A job waiting for a worker or running: the states a lease guards. */
export const UNFINISHED = ['queued', 'running'] as const;
/** Ids per statement: far under both dialects' parameter limits. */
const CHUNK = 500;

export type ClaimWhere = {
  owner: string;
  now: string;
  until: string;
  /** An owner known to be gone (a dead process on this host): its live lease is taken over. */
  takeOverFrom?: string | null;
  /** Finished states that may be taken whatever their lease says (a failed batch sent again). */
  finished?: readonly string[];
};

export function createLeaseRepository() {
  return {
    /**
     * One conditional UPDATE: the job becomes `owner`'s when it is unfinished and nobody holds a
     * live lease on it (or it is in one of `finished`). Two processes claiming at once: the
     * database applies one UPDATE after the other, and the second finds the row no longer
     * claimable. True when this call took the job.
     */
    async claim(db: Db, table: LeasedTable, id: string, w: ClaimWhere): Promise<boolean> {
      const r = await db
        .updateTable(as(table))
        .set({ owner: w.owner, lease_until: w.until, heartbeat_at: w.now })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb.and([
              eb('status', 'in', [...UNFINISHED]),
              eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', w.now), ...(w.takeOverFrom ? [eb('owner', '=', w.takeOverFrom)] : [])]),
            ]),
            ...(w.finished?.length ? [eb('status', 'in', [...w.finished])] : []),
          ]),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** The heartbeat: `owner`'s unfinished jobs among `ids` are held until `until`. Rows extended. */
    async extend(db: Db, table: LeasedTable, owner: string, ids: readonly string[], now: string, until: string): Promise<number> {
      let n = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const r = await db
          .updateTable(as(table))
          .set({ lease_until: until, heartbeat_at: now })
          .where('owner', '=', owner)
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .where('status', 'in', [...UNFINISHED])
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      return n;
    },

    /** Lets go of `owner`'s leases on `ids` (the owner stays on the row: who ran it last). */
    async release(db: Db, table: LeasedTable, owner: string, ids: readonly string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += CHUNK)
        await db
          .updateTable(as(table))
          .set({ lease_until: null })
          .where('owner', '=', owner)
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute();
    },

    /** Unfinished jobs with their leases (recovery decides, with `claim`, which it may take). */
    unfinished: (db: Db, table: LeasedTable) =>
      db
        .selectFrom(as(table))
        .select(['id', 'status', 'owner', 'lease_until'])
        .where('status', 'in', [...UNFINISHED])
        .orderBy('id')
        .execute(),

    /** The lease of one job as it stands. */
    find: (db: Db, table: LeasedTable, id: string) =>
      db.selectFrom(as(table)).select(['id', 'status', 'owner', 'lease_until', 'heartbeat_at']).where('id', '=', id).executeTakeFirst(),
  };
}
