import type { Db } from '../../../storage/dialect.js';
import type { OpenScenarioTable } from '../../../storage/schema.js';

export type OpenScenarioRow = OpenScenarioTable;

export function createOpenScenariosRepository() {
  return {
    insert: (db: Db, row: OpenScenarioRow) => db.insertInto('open_scenarios').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('open_scenarios').selectAll().where('id', '=', id).executeTakeFirst(),
    async moderate(db: Db, id: string, set: Partial<OpenScenarioRow>): Promise<number> {
      const r = await db.updateTable('open_scenarios').set(set).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** Newest first. */
    list: (db: Db, f: { status?: string; userId?: string; datasetId?: string; before?: string; limit: number }) =>
      db
        .selectFrom('open_scenarios')
        .selectAll()
        .$if(f.status !== undefined, (q) => q.where('status', '=', f.status!))
        .$if(f.userId !== undefined, (q) => q.where('user_id', '=', f.userId!))
        .$if(f.datasetId !== undefined, (q) =>
          q.where('id', 'in', (eb) =>
            eb.selectFrom('open_dataset_links').select('owner_id').where('owner_kind', '=', 'scenario').where('dataset_id', '=', f.datasetId!),
          ),
        )
        .$if(f.before !== undefined, (q) => q.where('id', '<', f.before!))
        .orderBy('id', 'desc')
        .limit(f.limit + 1)
        .execute(),
  };
}
