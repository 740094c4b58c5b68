import type { OpenCompetitionRow, OpenEntryRow } from './competitions.repository.js';

export const presentOpenCompetition = (row: OpenCompetitionRow, datasetIds: string[], teams: number) => ({
  id: row.id,
  title: row.title,
  description: row.description,
  organiser: row.organiser,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  datasetIds,
  teams,
  createdAt: row.created_at,
});

/** An entry as everyone sees it: the team, never the public user behind it. */
export const presentOpenEntry = (row: OpenEntryRow, datasetIds: string[]) => ({
  id: row.id,
  teamName: row.team_name,
  members: Number(row.members),
  title: row.title,
  description: row.description,
  url: row.url,
  datasetIds,
  createdAt: row.created_at,
});

export type OpenCompetition = ReturnType<typeof presentOpenCompetition>;
export type OpenEntry = ReturnType<typeof presentOpenEntry>;
