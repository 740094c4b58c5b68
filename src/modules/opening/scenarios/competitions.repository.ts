import type { Db } from '../../../storage/dialect.js';
import type { OpenCompetitionEntryTable, OpenCompetitionTable } from '../../../storage/schema.js';

export type OpenCompetitionRow = OpenCompetitionTable;
export type OpenEntryRow = OpenCompetitionEntryTable;

export function createOpenCompetitionsRepository() {
  return {
    insert: (db: Db, row: OpenCompetitionRow) => db.insertInto('open_competitions').values(row).execute(),
    find: (db: Db, id: string) => db.selectFrom('open_competitions').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Latest first, with their entry counts. */
    list: (db: Db) =>
      db
        .selectFrom('open_competitions')
        .selectAll('open_competitions')
        .select((eb) =>
          eb
            .selectFrom('open_competition_entries')
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .whereRef('open_competition_entries.competition_id', '=', 'open_competitions.id')
            .as('teams'),
        )
        .orderBy('starts_on', 'desc')
        .orderBy('id', 'desc')
        .limit(500)
        .execute(),
    insertEntry: (db: Db, row: OpenEntryRow) => db.insertInto('open_competition_entries').values(row).execute(),
    entries: (db: Db, competitionId: string) =>
      db.selectFrom('open_competition_entries').selectAll().where('competition_id', '=', competitionId).orderBy('id').execute(),
  };
}
