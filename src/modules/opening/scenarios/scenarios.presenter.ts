import type { OpenScenarioRow } from './scenarios.repository.js';
import type { SCENARIO_STATES, SCENARIO_TYPES } from './scenarios.schemas.js';

export function presentOpenScenario(row: OpenScenarioRow, datasetIds: string[]) {
  return {
    id: row.id,
    type: row.type as (typeof SCENARIO_TYPES)[number],
    title: row.title,
    description: row.description,
    url: row.url,
    datasetIds,
    submitter: row.submitter_name,
    status: row.status as (typeof SCENARIO_STATES)[number],
    reason: row.reason,
    moderatedAt: row.moderated_at,
    createdAt: row.created_at,
  };
}

export type OpenScenario = ReturnType<typeof presentOpenScenario>;
