import { AppError, forbidden, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { OpenCatalog } from '../contracts.js';
import type { OpenViewer } from '../users/users.service.js';
import { presentOpenFeedback, type OpenFeedback } from './feedback.presenter.js';
import { createOpenFeedbackRepository, type OpenFeedbackView } from './feedback.repository.js';
import type { OpenFeedbackInput, OpenFeedbackListQuery } from './feedback.schemas.js';

/** Governance's objections as opening sees them (injected by deps.ts; absent without governance). */
export type OpenObjection = (input: {
  resourceId: string;
  key: Record<string, string | number | boolean>;
  description: string;
  contact: string;
}) => Promise<{ id: string; status: string }>;
export type ObjectionStatus = (objectionId: string) => Promise<string | null>;

/**
 * Feedback and error reports (纠错) on open datasets, from public users or anonymous callers
 * with a contact. An error report naming a record (its key) opens a governance objection on it
 * (routed to the provider with its SLA; the record shows as disputed), and the report shows that
 * objection's state. Without a key it is listed to the provider department like feedback.
 */
export function createOpenFeedbackService(deps: {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  datasets: Pick<OpenCatalog, 'dataset'>;
  openObjection?: OpenObjection;
  objectionStatus?: ObjectionStatus;
}) {
  const { db, clock, auditor } = deps;
  const repo = createOpenFeedbackRepository();

  async function present(row: OpenFeedbackView): Promise<OpenFeedback> {
    const status = row.objection_id && deps.objectionStatus ? await deps.objectionStatus(row.objection_id).catch(() => null) : null;
    return presentOpenFeedback(row, status);
  }

  return {
    async submit(viewer: OpenViewer | null, input: OpenFeedbackInput): Promise<OpenFeedback> {
      const dataset = await deps.datasets.dataset(input.datasetId);
      if (!dataset) throw notFound('dataset', input.datasetId);
      const contact = input.contact ?? viewer?.contact;
      if (!contact) {
        throw new AppError('VALIDATION_FAILED', 'Anonymous feedback needs a contact (phone or e-mail), or sign in', {
          errors: [{ path: 'body.contact', code: 'required', message: 'required without a sign-in' }],
        });
      }
      // The objection first: a key that is not the record's key is refused before anything is stored.
      const objection =
        input.kind === 'error' && input.key && deps.openObjection
          ? await deps.openObjection({
              resourceId: dataset.resourceId,
              key: input.key,
              description: `开放数据纠错（${dataset.title}）：${input.description}`,
              contact,
            })
          : null;
      const row = {
        id: newId(),
        kind: input.kind,
        dataset_id: dataset.id,
        department_id: dataset.departmentId,
        record_key: input.key ? toJson(input.key) : null,
        description: input.description,
        user_id: viewer?.userId ?? null,
        contact,
        objection_id: objection?.id ?? null,
        created_at: clock.now().toISOString(),
      };
      await auditor.run(
        {
          actor: null,
          action: `open-feedback.${input.kind}`,
          targetType: 'open feedback',
          targetId: row.id,
          detail: { datasetId: dataset.id, objectionId: row.objection_id, openUser: viewer?.username ?? null },
        },
        (trx) => repo.insert(trx, row),
      );
      return present((await repo.find(db, row.id))!);
    },

    /** Staff see their department's (platform roles: all); a public user their own. */
    async list(who: { actor: Actor } | { viewer: OpenViewer }, q: OpenFeedbackListQuery): Promise<Page<OpenFeedback>> {
      let filter: { userId?: string; departmentId?: string };
      if ('actor' in who) {
        const scope = scopeOf(who.actor);
        if (scope === 'none') throw forbidden('Only the provider department and the platform read feedback');
        filter = scope === 'all' ? {} : { departmentId: scope.departmentId };
      } else filter = { userId: who.viewer.userId };
      const rows = await repo.list(db, { ...filter, kind: q.kind, datasetId: q.datasetId, before: decodeCursor(q.cursor), limit: q.limit });
      const page = toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => r,
      );
      return { items: await Promise.all(page.items.map(present)), nextCursor: page.nextCursor };
    },
  };
}

export type OpenFeedbackService = ReturnType<typeof createOpenFeedbackService>;
