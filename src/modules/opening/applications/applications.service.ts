import { AppError, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { OpenCatalog } from '../contracts.js';
import { chinaDate } from '../../../shared/china-time.js';
import type { OpenViewer } from '../users/users.service.js';
import { assertApplicationState, effectiveState, LIVE_STATES } from './application-states.js';
import { openApplicationsPolicy as policy } from './applications.policy.js';
import { presentOpenApplication, type OpenApplication } from './applications.presenter.js';
import { createOpenApplicationsRepository, type OpenApplicationRow } from './applications.repository.js';
import type { OpenApplicationInput, OpenApplicationListQuery, OpenApplicationReview } from './applications.schemas.js';
import { USE_AGREEMENT_SHA256, USE_AGREEMENT_VERSION } from './use-agreement.js';

const invalid = (path: string, message: string, code = 'invalid_value') => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code, message }] });

function oneYearAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10);
}

/**
 * Restricted-open applications (受限开放, DOMAIN.md §7): a public user applies for a RESTRICTED
 * dataset with purpose, scenario and security measures; the provider department (or an
 * administrator) approves with a validity or rejects with a reason; the applicant accepts the
 * use agreement; only then does `restrictedAllowed` answer true, until expiry or revocation.
 */
export function createOpenApplicationsService(deps: { db: Db; clock: Clock; auditor: Auditor; datasets: Pick<OpenCatalog, 'dataset'> }) {
  const { db, clock, auditor, datasets } = deps;
  const repo = createOpenApplicationsRepository();
  const today = () => chinaDate(clock.now().getTime());
  const present = (row: Parameters<typeof presentOpenApplication>[0]) => presentOpenApplication(row, today());

  async function load(id: string) {
    const row = await repo.find(db, id);
    if (!row) throw notFound('application', id);
    return row;
  }

  /** Moves while the stored state is still the one read; a concurrent move is 409. */
  async function change(trx: Db, row: OpenApplicationRow, set: Partial<OpenApplicationRow>) {
    if ((await repo.move(trx, row.id, row.status, { ...set, updated_at: clock.now().toISOString() })) === 0) {
      throw new AppError('OPEN_STATE_INVALID', 'The application changed while this request ran; read it again', { state: row.status, allowed: [] });
    }
  }

  return {
    async apply(viewer: OpenViewer, input: OpenApplicationInput): Promise<OpenApplication> {
      const dataset = await datasets.dataset(input.datasetId);
      if (!dataset) throw notFound('dataset', input.datasetId);
      if (dataset.openType !== 'RESTRICTED') throw invalid('body.datasetId', 'This dataset is open unconditionally: it needs no application');
      const on = today();
      const live = (await repo.ofUserAndDataset(db, viewer.userId, dataset.id)).find((a) => LIVE_STATES.includes(effectiveState(a.status, a.valid_until, on)));
      if (live) {
        throw new AppError('OPEN_STATE_INVALID', `You have an application for this dataset already (${live.status}): ${live.id}`, {
          state: live.status,
          allowed: [],
          applicationId: live.id,
        });
      }
      const at = clock.now().toISOString();
      const row: OpenApplicationRow = {
        id: newId(),
        user_id: viewer.userId,
        dataset_id: dataset.id,
        dataset_title: dataset.title,
        department_id: dataset.departmentId,
        purpose: input.purpose,
        scenario: input.scenario,
        security_measures: input.securityMeasures,
        status: 'submitted',
        reason: null,
        valid_until: null,
        reviewer_id: null,
        reviewer_name: null,
        reviewed_at: null,
        agreement_version: null,
        agreement_sha256: null,
        agreement_accepted_at: null,
        revoked_at: null,
        created_at: at,
        updated_at: at,
      };
      await auditor.run(
        {
          actor: null,
          action: 'open-application.submit',
          targetType: 'open application',
          targetId: row.id,
          detail: { datasetId: dataset.id, openUser: viewer.username },
        },
        (trx) => repo.insert(trx, row),
      );
      return present(await load(row.id));
    },

    /** A staff member's inbox (their department's, or all for platform roles), or a public user's own. */
    async list(who: { actor: Actor } | { viewer: OpenViewer }, q: OpenApplicationListQuery): Promise<Page<OpenApplication>> {
      const filter = 'actor' in who ? { departmentId: policy.inbox(who.actor) } : { userId: who.viewer.userId };
      const rows = await repo.list(db, { ...filter, status: q.status, datasetId: q.datasetId, before: decodeCursor(q.cursor), limit: q.limit });
      return toPage(rows, q.limit, (r) => r.id, present);
    },

    /** The applicant, the provider department and platform roles read it; anyone else gets 404. */
    async get(who: { actor: Actor | null; viewer: OpenViewer | null }, id: string): Promise<OpenApplication> {
      const row = await load(id);
      const mine = who.viewer !== null && who.viewer.userId === row.user_id;
      if (!mine && !(who.actor && policy.readable(who.actor, row.department_id))) throw notFound('application', id);
      return present(row);
    },

    async review(actor: Actor, id: string, body: OpenApplicationReview): Promise<OpenApplication> {
      const row = await load(id);
      if (!policy.readable(actor, row.department_id)) throw notFound('application', id);
      policy.decider(actor, row.department_id);
      assertApplicationState(effectiveState(row.status, row.valid_until, today()), ['submitted'], body.decision === 'approve' ? 'approved' : 'rejected');
      const reason = body.reason?.trim() ?? '';
      if (body.decision === 'reject' && reason.length < 2) throw invalid('body.reason', 'A rejection needs a reason', 'required');
      const validUntil = body.validUntil ?? oneYearAfter(today());
      if (body.decision === 'approve' && validUntil < today()) throw invalid('body.validUntil', 'validUntil is in the past');
      const at = clock.now().toISOString();
      const set: Partial<OpenApplicationRow> =
        body.decision === 'approve' ? { status: 'approved', valid_until: validUntil, reason: reason || null } : { status: 'rejected', reason };
      await auditor.run(
        {
          actor,
          action: `open-application.${body.decision}`,
          targetType: 'open application',
          targetId: id,
          detail: { datasetId: row.dataset_id, ...(body.decision === 'approve' ? { validUntil } : {}) },
        },
        (trx) => change(trx, row, { ...set, reviewer_id: actor.userId, reviewer_name: actor.username, reviewed_at: at }),
      );
      return present(await load(id));
    },

    /** The applicant accepts the use agreement of the version they were shown; the application becomes active. */
    async acceptAgreement(viewer: OpenViewer, id: string, version: string): Promise<OpenApplication> {
      const row = await load(id);
      if (row.user_id !== viewer.userId) throw notFound('application', id);
      assertApplicationState(
        effectiveState(row.status, row.valid_until, today()),
        ['approved'],
        'accepted (only an approved application takes the use agreement)',
      );
      if (version !== USE_AGREEMENT_VERSION) {
        throw new AppError('OPEN_STATE_INVALID', `The use agreement is now version ${USE_AGREEMENT_VERSION}: read it again (GET /api/v1/open/agreement)`, {
          state: row.status,
          allowed: [],
          version: USE_AGREEMENT_VERSION,
        });
      }
      await auditor.run(
        { actor: null, action: 'open-application.agreement', targetType: 'open application', targetId: id, detail: { version, openUser: viewer.username } },
        (trx) =>
          change(trx, row, {
            status: 'active',
            agreement_version: version,
            agreement_sha256: USE_AGREEMENT_SHA256,
            agreement_accepted_at: clock.now().toISOString(),
          }),
      );
      return present(await load(id));
    },

    async revoke(actor: Actor, id: string, reason: string): Promise<OpenApplication> {
      const row = await load(id);
      if (!policy.readable(actor, row.department_id)) throw notFound('application', id);
      policy.decider(actor, row.department_id);
      assertApplicationState(row.status as 'approved', ['approved', 'active'], 'revoked');
      await auditor.run(
        { actor, action: 'open-application.revoke', targetType: 'open application', targetId: id, detail: { datasetId: row.dataset_id, reason } },
        (trx) => change(trx, row, { status: 'revoked', reason, revoked_at: clock.now().toISOString() }),
      );
      return present(await load(id));
    },

    /** OpenAccess.restrictedAllowed. */
    restrictedAllowed: (userId: string, datasetId: string): Promise<boolean> => repo.activeFor(db, userId, datasetId, today()),
  };
}

export type OpenApplicationsService = ReturnType<typeof createOpenApplicationsService>;
