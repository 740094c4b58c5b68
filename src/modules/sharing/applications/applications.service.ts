import { AppError, forbidden, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import { SYSTEM_ACTOR, type Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { fromJson, toBool, toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import { addWorkingDays, type WorkCalendar } from '../../governance/index.js';
import { createConsumersRepository } from '../consumers/consumers.repository.js';
import { createGrantsRepository } from '../grants/grants.repository.js';
import { chinaToday } from '../../../shared/china-time.js';
import { sharingPolicy } from '../sharing.policy.js';
import { isPending, ON_APPROVE, type ApplicationStatus, type PendingStatus } from './application-states.js';
import { resolveTarget } from './application-target.js';
import { presentApplication, presentApplicationHistory, type AccessApplication } from './applications.presenter.js';
import { createApplicationsRepository, type ApplicationRow } from './applications.repository.js';
import type { ApplicationInput, ApplicationListQuery, Decision } from './applications.schemas.js';

/** Working days of the two conditional steps (DOMAIN.md §6; KUAIJI_SHARING_COMPLIANCE_DAYS, KUAIJI_SHARING_REVIEW_DAYS). */
export type ApplicationDeadlines = { complianceDays: number; reviewDays: number };
export const DEFAULT_APPLICATION_DEADLINES: ApplicationDeadlines = { complianceDays: 2, reviewDays: 5 };

export type ApplicationsServiceDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  calendar?: WorkCalendar;
  deadlines?: Partial<ApplicationDeadlines>;
  /** Called after a grant is made, so the consumer's next gateway call sees it. */
  onGranted: (consumerId: string) => void;
};

const invalid = (path: string, message: string, code = 'invalid_value') => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code, message }] });
const cannot = (row: ApplicationRow, detail: string) =>
  new AppError('SHARING_APPLICATION_TRANSITION_INVALID', detail, {
    status: row.status,
    allowed: isPending(row.status) ? ['approve', 'reject', 'withdraw'] : [],
  });

/**
 * Access applications 申请 (DOMAIN.md §6, application-states.ts): submitted by a consumer's
 * department, checked by the platform, reviewed by the provider department or arbitrated, within
 * working-day deadlines; overdue steps escalate to the platform administrator (`escalateOverdue`,
 * run by the module's timer). A granted application makes its grant in the same transaction.
 */
export function createApplicationsService(deps: ApplicationsServiceDeps) {
  const { db, clock, auditor, catalog } = deps;
  const repo = createApplicationsRepository();
  const consumers = createConsumersRepository();
  const grants = createGrantsRepository();
  const days = { ...DEFAULT_APPLICATION_DEADLINES, ...deps.deadlines };
  const today = chinaToday(clock);
  const plus = (date: string, n: number) => addWorkingDays(date, n, deps.calendar);

  async function history(
    trx: Db,
    row: ApplicationRow,
    actor: Actor | null,
    from: ApplicationStatus | null,
    to: ApplicationStatus,
    note: string | null,
    at: string,
  ) {
    await repo.addHistory(trx, {
      id: newId(),
      application_id: row.id,
      at,
      actor_id: actor?.userId ?? null,
      actor_name: actor?.username ?? null,
      from_status: from,
      to_status: to,
      note,
    });
  }

  async function grant(trx: Db, row: ApplicationRow, at: string) {
    await grants.insert(trx, {
      id: newId(),
      application_id: row.id,
      consumer_id: row.consumer_id,
      resource_id: row.resource_id,
      interface_id: row.interface_id,
      // Re-encoded: PostgreSQL reads JSON back as an array, which the driver would write as an SQL array.
      items: toJson(fromJson<string[]>(row.items, [])),
      valid_until: row.valid_until,
      status: 'ACTIVE',
      created_at: at,
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
    });
  }

  async function visible(actor: Actor, id: string): Promise<ApplicationRow> {
    const row = await repo.find(db, id);
    if (!row || !sharingPolicy.seesApplication(actor, { consumerDepartmentId: row.consumer_department_id, providerDepartmentId: row.provider_department_id })) {
      throw notFound('application', id);
    }
    return row;
  }

  async function detail(row: ApplicationRow) {
    const [steps, made] = await Promise.all([repo.history(db, row.id), grants.ofApplication(db, row.id)]);
    return { ...presentApplication(row, today()), history: steps.map(presentApplicationHistory), grantId: made[0]?.id ?? null };
  }

  /** Moves a pending application in one audited transaction (optimistic: fails if another request moved it first). */
  async function move(actor: Actor, row: ApplicationRow, action: string, to: ApplicationStatus, set: Partial<ApplicationRow>, note: string | null) {
    const at = clock.now().toISOString();
    const from = row.status as PendingStatus;
    await auditor.run({ actor, action, targetType: 'application', targetId: row.id, detail: { from, to, consumerId: row.consumer_id } }, async (trx) => {
      if ((await repo.move(trx, row.id, from, { ...set, status: to, updated_at: at })) === 0)
        throw cannot(row, 'The application changed while this request ran; read it again');
      await history(trx, row, actor, from, to, note, at);
      if (to === 'GRANTED') await grant(trx, row, at);
    });
    if (to === 'GRANTED') deps.onGranted(row.consumer_id);
    return detail((await repo.find(db, row.id))!);
  }

  return {
    async submit(actor: Actor, input: ApplicationInput) {
      const consumer = await consumers.find(db, input.consumerId);
      if (!consumer || !sharingPolicy.sees(actor, consumer.department_id)) throw notFound('consumer', input.consumerId);
      sharingPolicy.assertCanApply(actor, consumer.department_id);
      if (consumer.status !== 'ACTIVE')
        throw new AppError('SHARING_CONSUMER_REVOKED', `Consumer ${consumer.id} is revoked: it cannot apply`, { consumerId: consumer.id });
      const on = today();
      if (input.validUntil < on) throw invalid('body.validUntil', `validUntil (${input.validUntil}) is before today (${on})`);
      const target = await resolveTarget(db, catalog, repo, actor, input);
      const legalBasis = input.legalBasis?.trim() || null;
      const status: ApplicationStatus = target.shareType === 1 ? 'GRANTED' : target.shareType === 2 ? 'COMPLIANCE_CHECK' : 'ARBITRATION';
      const at = clock.now().toISOString();
      const row: ApplicationRow = {
        id: newId(),
        consumer_id: consumer.id,
        consumer_department_id: consumer.department_id,
        resource_id: target.resourceId,
        interface_id: target.interfaceId,
        provider_department_id: target.providerDepartmentId,
        items: toJson(target.items),
        share_type: target.shareType,
        purpose: input.purpose,
        scenario: input.scenario?.trim() || null,
        legal_basis: legalBasis,
        valid_until: input.validUntil,
        status,
        submitted_on: on,
        compliance_due: status === 'COMPLIANCE_CHECK' ? plus(on, days.complianceDays) : null,
        review_due: null,
        escalated: false,
        reason: null,
        applicant_id: actor.userId,
        applicant_name: actor.username,
        created_at: at,
        updated_at: at,
        decided_at: status === 'GRANTED' ? at : null,
      };
      const audit = {
        actor,
        action: 'sharing.application.submit',
        targetType: 'application',
        targetId: row.id,
        detail: { consumerId: consumer.id, shareType: target.shareType, status },
      };
      await auditor.run(audit, async (trx) => {
        // Inside the audited transaction: a refusal is recorded as a failed submission.
        if (target.shareType === 3 && !legalBasis) {
          throw new AppError(
            'SHARING_LEGAL_BASIS_REQUIRED',
            `Not-shared (不予共享) items need a legal basis to be arbitrated: ${target.notSharedItems.join(', ')}`,
            {
              errors: [{ path: 'body.legalBasis', code: 'required', message: 'a legal basis (法律依据) is required for not-shared items' }],
              items: target.notSharedItems,
            },
          );
        }
        await repo.insert(trx, row);
        await history(trx, row, actor, null, status, status === 'GRANTED' ? 'unconditional items: granted at once' : null, at);
        if (status === 'GRANTED') await grant(trx, row, at);
      });
      if (status === 'GRANTED') deps.onGranted(row.consumer_id);
      return detail((await repo.find(db, row.id))!);
    },

    /** A department's own applications and those addressed to it; platform roles every one, or (role=admin) those awaiting the platform. */
    async list(actor: Actor, q: ApplicationListQuery): Promise<Page<AccessApplication>> {
      const scope = scopeOf(actor);
      if (q.role === 'admin' && scope !== 'all') throw forbidden("The platform's inbox is for platform roles");
      if (scope === 'none') return { items: [], nextCursor: null };
      const rows = await repo.list(db, {
        departmentId: scope === 'all' ? null : scope.departmentId,
        role: q.role,
        status: q.status,
        escalated: q.escalated === undefined ? undefined : q.escalated === 'true',
        consumerId: q.consumerId,
        resourceId: q.resourceId,
        before: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const on = today();
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => presentApplication(r, on),
      );
    },

    async get(actor: Actor, id: string) {
      return detail(await visible(actor, id));
    },

    /** The pending step's decision: compliance check and arbitration by the platform, review by the provider department. */
    async decide(actor: Actor, id: string, body: Decision) {
      const row = await visible(actor, id);
      if (!isPending(row.status)) throw cannot(row, `The application is ${row.status.toLowerCase()}: nothing is pending`);
      if (row.status === 'PROVIDER_REVIEW') sharingPolicy.assertProviderDecider(actor, row.provider_department_id, toBool(row.escalated));
      else sharingPolicy.assertPlatformDecider(actor);
      const at = clock.now().toISOString();
      const note = body.note?.trim() || null;
      if (body.decision === 'reject') {
        const reason = body.reason?.trim() ?? '';
        if (reason.length < 2) throw invalid('body.reason', 'A rejection must give its reasons', 'required');
        return move(actor, row, 'sharing.application.reject', 'REJECTED', { reason, decided_at: at }, reason);
      }
      const to = ON_APPROVE[row.status];
      if (to === 'PROVIDER_REVIEW') {
        return move(actor, row, 'sharing.application.compliance-pass', to, { review_due: plus(today(), days.reviewDays), escalated: false }, note);
      }
      const consumer = await consumers.find(db, row.consumer_id);
      if (consumer?.status !== 'ACTIVE')
        throw new AppError('SHARING_CONSUMER_REVOKED', `Consumer ${row.consumer_id} is revoked: nothing can be granted to it`, { consumerId: row.consumer_id });
      if (row.valid_until < today()) throw cannot(row, `The validity asked for ended on ${row.valid_until}: reject it, or the applicant applies again`);
      return move(actor, row, 'sharing.application.grant', to, { decided_at: at, escalated: false }, note);
    },

    async withdraw(actor: Actor, id: string, note: string | undefined) {
      const row = await visible(actor, id);
      sharingPolicy.assertCanWithdraw(actor, row.consumer_department_id);
      if (!isPending(row.status)) throw cannot(row, `The application is ${row.status.toLowerCase()}: only a pending one is withdrawn`);
      return move(actor, row, 'sharing.application.withdraw', 'WITHDRAWN', { decided_at: clock.now().toISOString() }, note?.trim() || null);
    },

    /**
     * Flags every pending compliance check or review past its due date as escalated to the platform
     * administrator (督办), once each, with a history row; returns how many. Run by the module's
     * timer in a serving process; the flag shows in the admin inbox (role=admin).
     */
    async escalateOverdue(): Promise<number> {
      const on = today();
      let escalated = 0;
      for (const row of await repo.overdue(db, on)) {
        const at = clock.now().toISOString();
        const due = row.status === 'COMPLIANCE_CHECK' ? row.compliance_due : row.review_due;
        const step = row.status === 'COMPLIANCE_CHECK' ? 'compliance check' : "provider department's review";
        const moved = await auditor.run(
          { actor: SYSTEM_ACTOR, action: 'sharing.application.escalate', targetType: 'application', targetId: row.id, detail: { status: row.status, due } },
          async (trx) => {
            if ((await repo.move(trx, row.id, row.status, { escalated: true, updated_at: at }, false)) === 0) return false;
            const status = row.status as ApplicationStatus;
            await history(trx, row, SYSTEM_ACTOR, status, status, `overdue: the ${step} was due ${due}; escalated to the platform administrator`, at);
            return true;
          },
        );
        if (moved) escalated++;
      }
      return escalated;
    },
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
