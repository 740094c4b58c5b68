import { sql } from 'kysely';
import type { Db } from '../../../storage/dialect.js';

/** Reads of a resource's record table (its name and columns come from the registry, never from a request). */
export function createRecordsRepository() {
  return {
    async page(db: Db, table: string, columns: string[], keyColumns: string[], after: unknown[] | undefined, limit: number) {
      const keyTuple = sql.join(keyColumns.map((k) => sql.ref(k)));
      const afterClause = after ? sql`and (${keyTuple}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
      const result = await sql<Record<string, unknown>>`
        select ${sql.join([...columns, '_batch_id', '_received_at'].map((c) => sql.ref(c)))}
        from ${sql.table(table)}
        where ${sql.ref('_deleted')} = ${false} ${afterClause}
        order by ${keyTuple}
        limit ${limit + 1}`.execute(db);
      return result.rows;
    },
    async countLive(db: Db, table: string): Promise<number> {
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.ref('_deleted')} = ${false}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}
