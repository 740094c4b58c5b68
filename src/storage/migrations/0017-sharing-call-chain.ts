import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The hash every chain starts from: the `prev_hash` of call 1 (src/modules/sharing/audit/call-chain.ts names it too). */
const GENESIS = '0'.repeat(64);

/**
 * The gateway's call audit chain (issue 10): one row (`id` = 1) holding the chain's head (the last
 * call's `seq` and `hash`) and its anchor (the first `seq` kept after retention and the hash it must
 * follow). A writer updates this row first in its transaction, so two gateway processes append one
 * chain (PostgreSQL locks the row; SQLite's write lock serialises anyway). Verification starts at
 * the anchor and ends at the head, so a row removed at either end is noticed as well as one in the
 * middle. Indexes serve the audit log's filters, newest first.
 */
export function sharingCallChainMigration(d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sharing_call_chain')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('head_seq', d.types.bigint, (c) => c.notNull())
        .addColumn('head_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('anchor_seq', d.types.bigint, (c) => c.notNull())
        .addColumn('anchor_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('swept_at', d.types.timestamp)
        .execute();
      // Calls written before this migration (none are expected) become the chain as they stand.
      const { rows: last } = await sql<{ seq: number | string; hash: string }>`select seq, hash from sharing_calls order by seq desc limit 1`.execute(db);
      const { rows: first } = await sql<{ seq: number | string; prev_hash: string }>`select seq, prev_hash from sharing_calls order by seq limit 1`.execute(db);
      await sql`insert into sharing_call_chain (id, head_seq, head_hash, anchor_seq, anchor_hash) values (1, ${Number(last[0]?.seq ?? 0)}, ${last[0]?.hash ?? GENESIS}, ${Number(first[0]?.seq ?? 1)}, ${first[0]?.prev_hash ?? GENESIS})`.execute(
        db,
      );
      for (const column of ['consumer_id', 'interface_id', 'department_id'])
        await db.schema
          .createIndex(`sharing_calls_${column.replace('_id', '')}_idx`)
          .on('sharing_calls')
          .columns([column, 'seq'])
          .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const column of ['consumer_id', 'interface_id', 'department_id'])
        await db.schema.dropIndex(`sharing_calls_${column.replace('_id', '')}_idx`).execute();
      await db.schema.dropTable('sharing_call_chain').execute();
    },
  };
}
