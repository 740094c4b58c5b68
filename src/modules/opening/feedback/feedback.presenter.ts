import { fromJson } from '../../../storage/dialect.js';
import type { OpenFeedbackView } from './feedback.repository.js';

export function presentOpenFeedback(row: OpenFeedbackView, objectionStatus: string | null) {
  return {
    id: row.id,
    kind: row.kind as 'feedback' | 'error',
    datasetId: row.dataset_id,
    departmentId: row.department_id,
    key: fromJson<Record<string, string | number | boolean> | null>(row.record_key, null),
    description: row.description,
    reporter: row.reporter,
    contact: row.contact,
    objection: row.objection_id ? { id: row.objection_id, status: objectionStatus } : null,
    createdAt: row.created_at,
  };
}

export type OpenFeedback = ReturnType<typeof presentOpenFeedback>;
