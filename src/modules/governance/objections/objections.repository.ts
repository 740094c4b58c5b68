import type { Db } from '../../../storage/dialect.js';
import { createPreparedStatements } from '../../../storage/prepared-statements.js';
import type { ObjectionHistoryTable, ObjectionTable } from '../../../storage/schema.js';
import { DISPUTING_STATES } from './objection-states.js';

export type ObjectionRow = ObjectionTable;

/** Who sees which objections: every one, or a department's (routed to it) plus a user's own. */
export type ObjectionVisibility = 'all' | { departmentId: string | null; submitterId: string };

// Key texts per statement: far under both dialects' parameter limits.
const KEY_CHUNK = 500;

/** Distinct key texts of a resource (its id in slot 0) under an objection that is not closed: the base of both hot-path reads. */
const disputingKeys = (db: Db, slot: (n: number) => unknown) =>
  db
    .selectFrom('objections')
    .select('key_text')
    .distinct()
    .where('resource_id', '=', slot(0) as string)
    .where('status', 'in', [...DISPUTING_STATES]);

export function createObjectionsRepository() {
  const prepared = createPreparedStatements();
  return {
    insert: (db: Db, row: ObjectionRow) => db.insertInto('objections').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Changes an objection only while it is still `from`: 0 when another request moved it first. */
    async move(db: Db, id: string, from: string, set: Partial<ObjectionRow>): Promise<number> {
      const r = await db.updateTable('objections').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    addHistory: (db: Db, row: ObjectionHistoryTable) => db.insertInto('objection_history').values(row).execute(),
    history: (db: Db, objectionId: string) => db.selectFrom('objection_history').selectAll().where('objection_id', '=', objectionId).orderBy('id').execute(),
    /** Newest first (ids are UUIDv7). */
    list(db: Db, f: { visibility: ObjectionVisibility; status?: string; resourceId?: string; before?: string; limit: number }) {
      const v = f.visibility;
      return db
        .selectFrom('objections')
        .selectAll()
        .$if(v !== 'all', (q) => {
          const { departmentId, submitterId } = v as Exclude<ObjectionVisibility, 'all'>;
          return q.where((eb) => eb.or([eb('submitter_id', '=', submitterId), ...(departmentId ? [eb('department_id', '=', departmentId)] : [])]));
        })
        .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
        .$if(f.resourceId !== undefined, (q) => q.where('resource_id', '=', f.resourceId!))
        .$if(f.before !== undefined, (q) => q.where('id', '<', f.before!))
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute();
    },
    /** Every key text of a resource under an objection that is not closed, or null when there are more than `max`. */
    async openKeys(db: Db, resourceId: string, max: number): Promise<Set<string> | null> {
      const rows = await prepared.run(
        db,
        `open-keys:${max}`,
        (slot) =>
          disputingKeys(db, slot)
            .limit(max + 1)
            .compile(),
        [resourceId],
      );
      return rows.length > max ? null : new Set(rows.map((r) => String(r.key_text)));
    },
    /** Which of these key texts of a resource have an objection that is not closed. */
    // On every served record (gateway calls included): compiled once per number of keys (ADR 0036).
    async disputed(db: Db, resourceId: string, keyTexts: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < keyTexts.length; i += KEY_CHUNK) {
        const chunk = keyTexts.slice(i, i + KEY_CHUNK);
        const rows = await prepared.run(
          db,
          `disputed:${chunk.length}`,
          (slot) =>
            disputingKeys(db, slot)
              .where(
                'key_text',
                'in',
                chunk.map((_, n) => slot(n + 1) as string),
              )
              .compile(),
          [resourceId, ...chunk],
        );
        for (const r of rows) out.add(String(r.key_text));
      }
      return out;
    },
  };
}
