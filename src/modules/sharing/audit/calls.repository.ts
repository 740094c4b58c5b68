import type { Db } from '../../../storage/dialect.js';
import { fromJson, toJson } from '../../../storage/dialect.js';
import type { SharingCallTable } from '../../../storage/schema.js';
import { normalisedRow, type ChainRow } from './call-chain.js';

export type ChainState = { headSeq: number; headHash: string; anchorSeq: number; anchorHash: string };
export type CallCount = { day: string; interfaceId: string; consumerId: string; departmentId: string; calls: number; errors: number };
export type CallFilter = { consumerId?: string; interfaceId?: string; departmentId?: string; from?: string; to?: string };

/** Rows per INSERT: 16 parameters each stays far below either driver's limit. */
const INSERT_CHUNK = 500;

/** A stored call as the chain hashes it (JSON canonical, instants ISO UTC), whichever database it came from. */
export function toChainRow(r: SharingCallTable): ChainRow {
  return {
    ...normalisedRow({ ...r, seq: Number(r.seq), keys: fromJson<unknown[]>(r.keys, []), items: fromJson<string[]>(r.items, []) }),
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

/** The gateway's call audit (sharing_calls), its chain's head and anchor, and the call counts: all their SQL. */
export function createCallsRepository() {
  const chainState = async (db: Db): Promise<ChainState> => {
    const r = await db.selectFrom('sharing_call_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    return { headSeq: Number(r.head_seq), headHash: r.head_hash, anchorSeq: Number(r.anchor_seq), anchorHash: r.anchor_hash };
  };
  return {
    chainState,
    /**
     * Inside a transaction: takes the chain's row lock (PostgreSQL: a second writer waits here
     * until the first commits; SQLite's BEGIN IMMEDIATE already serialises writers), then reads
     * the head and anchor as the last commit left them.
     */
    async lockChain(trx: Db): Promise<ChainState> {
      await trx
        .updateTable('sharing_call_chain')
        .set((eb) => ({ head_seq: eb.ref('head_seq') }))
        .where('id', '=', 1)
        .execute();
      return chainState(trx);
    },
    async append(trx: Db, rows: ChainRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const values = rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, keys: toJson(r.keys), items: toJson(r.items) }));
        await trx.insertInto('sharing_calls').values(values).execute();
      }
    },
    setHead: (trx: Db, seq: number, hash: string) =>
      trx.updateTable('sharing_call_chain').set({ head_seq: seq, head_hash: hash }).where('id', '=', 1).execute(),
    setAnchor: (trx: Db, seq: number, hash: string, at: string) =>
      trx.updateTable('sharing_call_chain').set({ anchor_seq: seq, anchor_hash: hash, swept_at: at }).where('id', '=', 1).execute(),
    async addCounts(trx: Db, counts: CallCount[]): Promise<void> {
      for (const c of counts) {
        await trx
          .insertInto('sharing_call_counts')
          .values({ day: c.day, interface_id: c.interfaceId, consumer_id: c.consumerId, department_id: c.departmentId, calls: c.calls, errors: c.errors })
          .onConflict((oc) =>
            oc.columns(['day', 'interface_id', 'consumer_id']).doUpdateSet((eb) => ({
              calls: eb('sharing_call_counts.calls', '+', eb.ref('excluded.calls')),
              errors: eb('sharing_call_counts.errors', '+', eb.ref('excluded.errors')),
            })),
          )
          .execute();
      }
    },
    /** The chain in seq order, one page after `afterSeq`, up to `uptoSeq`. */
    async page(db: Db, afterSeq: number, uptoSeq: number, limit: number): Promise<ChainRow[]> {
      const rows = await db
        .selectFrom('sharing_calls')
        .selectAll()
        .where('seq', '>', afterSeq)
        .where('seq', '<=', uptoSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toChainRow);
    },
    /** The oldest rows from `fromSeq` on (retention walks them). */
    async oldest(db: Db, fromSeq: number, limit: number): Promise<ChainRow[]> {
      const rows = await db.selectFrom('sharing_calls').selectAll().where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
      return rows.map(toChainRow);
    },
    deleteBefore: (trx: Db, seq: number) => trx.deleteFrom('sharing_calls').where('seq', '<', seq).executeTakeFirst(),
    /** Newest first, keyset-paged by seq; fetches `limit + 1` rows. */
    list(db: Db, filter: CallFilter, beforeSeq: number | undefined, limit: number) {
      let q = db.selectFrom('sharing_calls').selectAll();
      if (filter.consumerId !== undefined) q = q.where('consumer_id', '=', filter.consumerId);
      if (filter.interfaceId !== undefined) q = q.where('interface_id', '=', filter.interfaceId);
      if (filter.departmentId !== undefined) q = q.where('department_id', '=', filter.departmentId);
      if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('at', '<', filter.to);
      if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
      return q
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
    },
  };
}

export type CallsRepository = ReturnType<typeof createCallsRepository>;
