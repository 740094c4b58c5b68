import type { Db } from '../../../storage/dialect.js';

export type EventCountRow = { day: string; dataset_id: string; event: string; count: number };

export function createOpenStatsRepository() {
  return {
    /** Adds counts to (day, dataset, event) rows; rows must be unique by that key. */
    add: (db: Db, rows: EventCountRow[]) =>
      db
        .insertInto('open_event_counts')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['day', 'dataset_id', 'event']).doUpdateSet((eb) => ({ count: eb(eb.ref('open_event_counts.count'), '+', eb.ref('excluded.count')) })),
        )
        .execute(),
    /** Totals per dataset and event over a range of days (inclusive). */
    async totals(db: Db, range: { from?: string; to?: string }) {
      const rows = await db
        .selectFrom('open_event_counts')
        .select(['dataset_id', 'event', (eb) => eb.fn.sum<number | string>('count').as('n')])
        .$if(range.from !== undefined, (q) => q.where('day', '>=', range.from!))
        .$if(range.to !== undefined, (q) => q.where('day', '<=', range.to!))
        .groupBy(['dataset_id', 'event'])
        .execute();
      return rows.map((r) => ({ datasetId: r.dataset_id, event: r.event, count: Number(r.n) }));
    },
    async publishedScenarios(db: Db): Promise<number> {
      const r = await db
        .selectFrom('open_scenarios')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async competitionTeams(db: Db): Promise<number> {
      const r = await db
        .selectFrom('open_competition_entries')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
