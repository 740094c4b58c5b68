import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { toJson, toBool, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader } from '../../catalog/index.js';
import { canonicalRecordKey, type DisputedKeys } from '../../collection/index.js';
import { addWorkingDays, toIsoDate, type WorkCalendar } from '../calendar/working-days.js';
import { problemsPolicy } from '../problems/problems.policy.js';
import { assertObjectionMove, type ObjectionState } from './objection-states.js';
import { presentObjection, presentObjectionHistory, type Objection } from './objections.presenter.js';
import { createObjectionsRepository, type ObjectionRow } from './objections.repository.js';
import type { ObjectionInput, ObjectionListQuery, ObjectionTransition } from './objections.schemas.js';

/** Working-day SLA of objections (DOMAIN.md §5): forwarded within 2, verified within 5, extendable to 10. */
export type ObjectionSla = { forwardDays: number; verifyDays: number; extendedVerifyDays: number };
/** Open objection keys of a resource kept per change stamp (more: asked per call), and how many resources' sets. */
const OPEN_KEYS_KEPT = 1000;
const RESOURCES_KEPT = 500;

export const DEFAULT_OBJECTION_SLA: ObjectionSla = { forwardDays: 2, verifyDays: 5, extendedVerifyDays: 10 };

const invalid = (path: string, message: string, code = 'invalid_value') => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code, message }] });

/**
 * Objections 异议 (DOMAIN.md §5): anyone — a consumer department's officer or the public with a
 * contact — reports one record of a resource as wrong; it is routed to the provider department
 * with working-day deadlines, corrected or explained, then closed. Until it is closed the record
 * is marked disputed where records are served (disputedKeys, injected into collection).
 */
export function createObjectionsService(deps: {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  sla?: Partial<ObjectionSla>;
  calendar?: WorkCalendar;
}) {
  const { db, clock, auditor, catalog } = deps;
  const repo = createObjectionsRepository();
  const sla = { ...DEFAULT_OBJECTION_SLA, ...deps.sla };
  const today = () => toIsoDate(clock.now());
  const plus = (date: string, days: number) => addWorkingDays(date, days, deps.calendar);

  async function record(trx: Db, objectionId: string, actor: Actor | null, from: ObjectionState | null, to: ObjectionState, note: string | null, at: string) {
    await repo.addHistory(trx, {
      id: newId(),
      objection_id: objectionId,
      at,
      actor_id: actor?.userId ?? null,
      actor_name: actor?.username ?? null,
      from_status: from,
      to_status: to,
      note,
    });
  }

  async function change(trx: Db, row: ObjectionRow, set: Partial<ObjectionRow>) {
    if ((await repo.move(trx, row.id, row.status, set)) === 0) {
      throw new AppError('OBJECTION_TRANSITION_INVALID', 'The objection changed while this request ran; read it again', {
        from: row.status,
        to: set.status ?? row.status,
        allowed: [],
      });
    }
  }

  /** The objection for someone who may read it: the provider department, its submitter, platform roles. */
  async function readable(actor: Actor, id: string) {
    const row = await repo.find(db, id);
    if (!row) throw notFound('objection', id);
    const owner = await catalog.owner(row.resource_id);
    if (!owner || !catalog.canSee(owner, scopeOf(actor))) throw notFound('objection', id);
    if (row.submitter_id !== actor.userId) await problemsPolicy.readable(catalog, actor, row.resource_id, 'objection', id);
    return { row, owner };
  }

  async function get(actor: Actor, id: string) {
    const { row } = await readable(actor, id);
    return { ...presentObjection(row, today()), history: (await repo.history(db, id)).map(presentObjectionHistory) };
  }

  // Every served record is checked (gateway calls included). Under a change stamp, a resource's
  // open keys are read once and kept while the stamp stays (ADR 0037): objections change by
  // commits, and any commit moves the stamp. A resource with more open keys than this is asked
  // per call instead.
  const openKeys = new Map<string, { stamp: string; keys: Set<string> | null }>();
  const disputedKeys: DisputedKeys = (resourceId, keyTexts, stamp) => {
    if (!stamp) return repo.disputed(db, resourceId, keyTexts);
    const among = (open: Set<string> | null) => (open ? new Set(keyTexts.filter((k) => open.has(k))) : repo.disputed(db, resourceId, keyTexts));
    const kept = openKeys.get(resourceId);
    // Kept under this stamp: answered at once, without a promise (the gateway's hot path).
    if (kept && kept.stamp === stamp) return among(kept.keys);
    return repo.openKeys(db, resourceId, OPEN_KEYS_KEPT).then((keys) => {
      if (!openKeys.has(resourceId) && openKeys.size >= RESOURCES_KEPT) openKeys.delete(openKeys.keys().next().value!);
      openKeys.set(resourceId, { stamp, keys });
      return among(keys);
    });
  };

  return {
    disputedKeys,
    get,

    /**
     * A report of one record; anonymous callers (the public) must leave a contact. The record's
     * existence is not checked: a 404 would tell anyone whether a person's key is in the records
     * (ADR 0015).
     */
    async submit(actor: Actor | null, input: ObjectionInput): Promise<Objection> {
      const owner = await visibleResourceOr404(catalog, actor, input.resourceId);
      if (!actor && !input.contact) throw invalid('body.contact', 'An objection from the public needs a contact (phone or e-mail)', 'required');
      const entry = await catalog.resource(input.resourceId, scopeOf(actor));
      if (!entry) throw notFound('resource', input.resourceId);
      const key = canonicalRecordKey(entry.items ?? [], input.key);
      if (!key.ok) throw invalid(key.path ? `body.key.${key.path}` : 'body.key', `The record's key: ${key.reason}`);
      const at = clock.now().toISOString();
      const on = today();
      const row: ObjectionRow = {
        id: newId(),
        resource_id: owner.id,
        department_id: owner.providerDepartmentId,
        record_key: toJson(key.key),
        key_text: key.text,
        description: input.description,
        status: 'submitted',
        submitter_id: actor?.userId ?? null,
        submitter_name: actor?.username ?? null,
        submitter_department_id: actor?.departmentId ?? null,
        contact: input.contact ?? null,
        submitted_on: on,
        forward_by: plus(on, sla.forwardDays),
        accepted_on: null,
        verify_by: null,
        extended: false,
        reason: null,
        created_at: at,
        updated_at: at,
        closed_at: null,
      };
      await auditor.run({ actor, action: 'objection.submit', targetType: 'objection', targetId: row.id, detail: { resourceId: owner.id } }, async (trx) => {
        await repo.insert(trx, row);
        await record(trx, row.id, actor, null, 'submitted', null, at);
      });
      return presentObjection((await repo.find(db, row.id))!, on);
    },

    /** Platform roles see every objection; an officer their department's and their own. */
    async list(actor: Actor, q: ObjectionListQuery): Promise<Page<Objection>> {
      const scope = scopeOf(actor);
      const visibility = scope === 'all' ? 'all' : { departmentId: scope === 'none' ? null : scope.departmentId, submitterId: actor.userId };
      const rows = await repo.list(db, { visibility, status: q.status, resourceId: q.resourceId, before: decodeCursor(q.cursor), limit: q.limit });
      const on = today();
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => presentObjection(r, on),
      );
    },

    /** A move by the provider department's officers or an administrator (objection-states.ts). */
    async transition(actor: Actor, id: string, body: ObjectionTransition) {
      const { row, owner } = await readable(actor, id);
      problemsPolicy.mover(actor, owner, 'objection');
      const from = row.status as ObjectionState;
      assertObjectionMove(from, body.to);
      const reason = body.reason?.trim() ?? '';
      if (body.to === 'explained' && reason.length < 2) throw invalid('body.reason', 'Explaining an objection needs a reason', 'required');
      const at = clock.now().toISOString();
      const set: Partial<ObjectionRow> = { status: body.to, updated_at: at };
      if (body.to === 'accepted') Object.assign(set, { accepted_on: today(), verify_by: plus(today(), sla.verifyDays) });
      if (body.to === 'explained') set.reason = reason;
      if (body.to === 'closed') set.closed_at = at;
      await auditor.run(
        { actor, action: 'objection.transition', targetType: 'objection', targetId: id, detail: { from, to: body.to, resourceId: row.resource_id } },
        async (trx) => {
          await change(trx, row, set);
          await record(trx, id, actor, from, body.to, body.to === 'explained' ? reason : body.note?.trim() || null, at);
        },
      );
      return get(actor, id);
    },

    /** Extends the verify deadline of an accepted objection once, to `extendedVerifyDays` working days from acceptance. */
    async extend(actor: Actor, id: string, note: string | undefined) {
      const { row, owner } = await readable(actor, id);
      problemsPolicy.mover(actor, owner, 'objection');
      if (row.status !== 'accepted' || toBool(row.extended) || !row.accepted_on) {
        throw new AppError(
          'OBJECTION_TRANSITION_INVALID',
          toBool(row.extended) ? 'The objection was extended already' : `Only an accepted objection can be extended (this one is ${row.status})`,
          {
            from: row.status,
            to: row.status,
            allowed: [],
          },
        );
      }
      const at = clock.now().toISOString();
      const verifyBy = plus(row.accepted_on, sla.extendedVerifyDays);
      await auditor.run({ actor, action: 'objection.extend', targetType: 'objection', targetId: id, detail: { verifyBy } }, async (trx) => {
        await change(trx, row, { extended: true, verify_by: verifyBy, updated_at: at });
        await record(trx, id, actor, 'accepted', 'accepted', `extended to ${verifyBy}${note?.trim() ? `: ${note.trim()}` : ''}`, at);
      });
      return get(actor, id);
    },
  };
}

export type ObjectionsService = ReturnType<typeof createObjectionsService>;
