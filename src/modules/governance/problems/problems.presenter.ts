import { fromJson } from '../../../storage/dialect.js';
import type { QualityProblemHistoryTable, QualityProblemTable } from '../../../storage/schema.js';
import { ACTIVE_PROBLEM_STATES, type ProblemState } from './problem-states.js';

/** Whether a problem in `status` with `deadline` is overdue on `today` (all YYYY-MM-DD): computed at read time. */
export function isOverdue(status: string, deadline: string, today: string): boolean {
  return ACTIVE_PROBLEM_STATES.includes(status as ProblemState) && deadline < today;
}

export function presentProblem(row: QualityProblemTable, today: string) {
  return {
    id: row.id,
    ruleId: row.rule_id,
    resourceId: row.resource_id,
    departmentId: row.department_id,
    status: row.status as ProblemState,
    ruleKind: row.rule_kind,
    dimension: row.dimension,
    itemCode: row.item_code,
    severity: row.severity,
    checked: Number(row.checked),
    failed: Number(row.failed),
    sample: fromJson<string[]>(row.sample, []),
    openedOn: row.opened_on,
    deadline: row.deadline,
    overdue: isOverdue(row.status, row.deadline, today),
    reason: row.reason,
    lastScanId: row.last_scan_id,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export function presentProblemHistory(row: QualityProblemHistoryTable) {
  return {
    at: row.at,
    actor: row.actor_name,
    from: row.from_status as ProblemState | null,
    to: row.to_status as ProblemState,
    note: row.note,
    scanId: row.scan_id,
  };
}

export type Problem = ReturnType<typeof presentProblem>;
