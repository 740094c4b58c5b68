import { AppError, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import { addWorkingDays, toIsoDate, type WorkCalendar } from '../calendar/working-days.js';
import type { ProblemSink, ScanResultForProblems } from '../scans/problem-sink.js';
import { assertProblemMove, type ProblemState } from './problem-states.js';
import { problemsPolicy } from './problems.policy.js';
import { presentProblem, presentProblemHistory, type Problem } from './problems.presenter.js';
import { createProblemsRepository, openKeyOf, type ProblemRow } from './problems.repository.js';
import type { ProblemListQuery, ProblemTransition } from './problems.schemas.js';

export type ProblemsDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** Working days a department has to rectify a problem (DOMAIN.md §5: 5 unless configured). */
  deadlineDays?: number;
  /** The working-day calendar (holidays and make-up working days); the shipped one when absent. */
  calendar?: WorkCalendar;
};

export const DEFAULT_PROBLEM_DEADLINE_DAYS = 5;

/** The most failing keys a problem keeps from a scan's sample. */
const SAMPLE_CAP = 100;

type Step = { from: ProblemState | null; to: ProblemState; note: string | null };

/**
 * Problems 问题数据 (DOMAIN.md §5): opened, updated and re-checked from scan results
 * (syncFromResults, the scans' ProblemSink), moved by the provider department through the
 * workflow of problem-states.ts, every move audited and kept as a history row.
 */
export function createProblemsService(deps: ProblemsDeps) {
  const { db, clock, auditor, catalog } = deps;
  const repo = createProblemsRepository();
  const deadlineDays = deps.deadlineDays ?? DEFAULT_PROBLEM_DEADLINE_DAYS;
  const today = () => toIsoDate(clock.now());
  const deadlineFrom = (date: string) => addWorkingDays(date, deadlineDays, deps.calendar);

  async function record(trx: Db, problemId: string, actor: Actor | null, steps: Step[], scanId: string | null, at: string) {
    for (const s of steps) {
      await repo.addHistory(trx, {
        id: newId(),
        problem_id: problemId,
        at,
        actor_id: actor?.userId ?? null,
        actor_name: actor?.username ?? null,
        from_status: s.from,
        to_status: s.to,
        note: s.note,
        scan_id: scanId,
      });
    }
  }

  /** Moves a problem still in `from`; 409 when another request moved it in between. */
  async function move(trx: Db, row: ProblemRow, set: Partial<ProblemRow>) {
    const changed = await repo.move(trx, row.id, row.status, set);
    if (changed === 0)
      throw new AppError('PROBLEM_TRANSITION_INVALID', `The problem changed while this request ran; read it again`, {
        from: row.status,
        to: set.status ?? row.status,
        allowed: [],
      });
  }

  const sink: ProblemSink = {
    /**
     * One scan's results for one resource: a failing rule without a live problem opens one for the
     * provider department; a live one takes the new counts and sample; a submitted problem is
     * re-checked — closed when its rule now passes, back to rectifying when it still fails. A
     * problem not yet submitted whose rule passes is re-checked and closed as well. Explained
     * problems only take the new counts. A problem a user moved meanwhile is left to the next scan
     * (a scan never fails over it); the audit row lists what was opened, closed and sent back.
     */
    async syncFromResults(scanId: string, resourceId: string, results: readonly ScanResultForProblems[]) {
      const owner = await catalog.owner(resourceId);
      if (!owner || results.length === 0) return;
      const nowIso = clock.now().toISOString();
      // Filled while the work runs; the audit row is written after it, inside the same transaction.
      const detail = { scanId, opened: [] as string[], closed: [] as string[], returned: [] as string[] };
      await auditor.run({ actor: null, action: 'quality.problems.sync', targetType: 'resource', targetId: resourceId, detail }, async (trx) => {
        const live = new Map((await repo.liveOfResource(trx, resourceId)).map((p) => [p.open_key!, p]));
        for (const r of results) {
          const key = openKeyOf(r.ruleId, resourceId);
          const existing = live.get(key);
          const counts = {
            checked: r.checked,
            failed: r.failed,
            sample: toJson(r.sample.slice(0, SAMPLE_CAP)),
            last_scan_id: scanId,
            updated_at: nowIso,
            department_id: owner.providerDepartmentId,
            rule_kind: r.kind,
            dimension: r.dimension,
            item_code: r.itemCode,
            severity: r.severity,
          };
          const failing = r.failed > 0;
          if (!existing) {
            if (!failing) continue;
            const on = today();
            const row: ProblemRow = {
              id: newId(),
              rule_id: r.ruleId,
              resource_id: resourceId,
              open_key: key,
              status: 'open',
              ...counts,
              first_scan_id: scanId,
              opened_on: on,
              deadline: deadlineFrom(on),
              reason: null,
              opened_at: nowIso,
              closed_at: null,
            };
            await repo.insert(trx, row);
            await record(trx, row.id, null, [{ from: null, to: 'open', note: `${r.failed} of ${r.checked} failing` }], scanId, nowIso);
            live.set(key, row);
            detail.opened.push(row.id);
            continue;
          }
          const status = existing.status as ProblemState;
          if (status === 'explained') {
            await repo.move(trx, existing.id, status, counts);
          } else if (!failing) {
            if ((await repo.move(trx, existing.id, status, { ...counts, status: 'closed', open_key: null, closed_at: nowIso })) === 0) continue;
            live.delete(key);
            await record(
              trx,
              existing.id,
              null,
              [
                { from: status, to: 'rechecked', note: `the rule passes: 0 of ${r.checked} failing` },
                { from: 'rechecked', to: 'closed', note: null },
              ],
              scanId,
              nowIso,
            );
            detail.closed.push(existing.id);
          } else if (status === 'submitted' || status === 'rechecked') {
            if ((await repo.move(trx, existing.id, status, { ...counts, status: 'rectifying' })) === 0) continue;
            live.set(key, { ...existing, status: 'rectifying' });
            const steps: Step[] = [
              { from: status, to: 'rechecked', note: `the rule still fails: ${r.failed} of ${r.checked}` },
              { from: 'rechecked', to: 'rectifying', note: null },
            ];
            await record(
              trx,
              existing.id,
              null,
              steps.filter((step) => step.from !== step.to),
              scanId,
              nowIso,
            );
            detail.returned.push(existing.id);
          } else {
            await repo.move(trx, existing.id, status, counts);
          }
        }
      });
    },
  };

  async function readable(actor: Actor, id: string) {
    const row = await repo.find(db, id);
    if (!row) throw notFound('problem', id);
    const owner = await problemsPolicy.readable(catalog, actor, row.resource_id, 'problem', id);
    return { row, owner };
  }

  async function get(actor: Actor, id: string) {
    const { row } = await readable(actor, id);
    const history = await repo.history(db, id);
    return { ...presentProblem(row, today()), history: history.map(presentProblemHistory) };
  }

  return {
    ...sink,

    async list(actor: Actor, q: ProblemListQuery): Promise<Page<Problem>> {
      const on = today();
      const rows = await repo.list(db, {
        scope: scopeOf(actor),
        status: q.status,
        resourceId: q.resourceId,
        departmentId: q.departmentId,
        overdue: q.overdue === undefined ? undefined : { value: q.overdue, today: on },
        before: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => presentProblem(r, on),
      );
    },

    get,

    /** Problems open, overdue, closed and explained by provider department (officers: their department's). */
    async figures(actor: Actor) {
      const on = today();
      const { byState, overdue } = await repo.figures(db, scopeOf(actor), on);
      const zero = () => ({ open: 0, overdue: 0, closed: 0, explained: 0 });
      const byDepartment = new Map<string, ReturnType<typeof zero>>();
      const of = (id: string) => byDepartment.get(id) ?? byDepartment.set(id, zero()).get(id)!;
      for (const r of byState) {
        const counts = of(r.department_id);
        const n = Number(r.n);
        if (r.status === 'closed') counts.closed += n;
        else if (r.status === 'explained') counts.explained += n;
        else counts.open += n;
      }
      for (const r of overdue) of(r.department_id).overdue += Number(r.n);
      const rows = [...byDepartment].map(([departmentId, c]) => ({ departmentId, ...c }));
      rows.sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.departmentId.localeCompare(b.departmentId));
      const total = zero();
      for (const r of rows) for (const k of ['open', 'overdue', 'closed', 'explained'] as const) total[k] += r[k];
      return { today: on, total, byDepartment: rows };
    },

    /** A move asked for by a user: the provider department's officers or an administrator (problem-states.ts says which). */
    async transition(actor: Actor, id: string, body: ProblemTransition) {
      const { row, owner } = await readable(actor, id);
      const by = problemsPolicy.mover(actor, owner, 'problem');
      const from = row.status as ProblemState;
      assertProblemMove(from, body.to, by);
      const reason = body.reason?.trim() ?? '';
      if (body.to === 'explained' && reason.length < 2) {
        throw new AppError('VALIDATION_FAILED', 'Explaining a problem needs a reason', {
          errors: [{ path: 'body.reason', code: 'required', message: 'a reason is required with to=explained' }],
        });
      }
      const nowIso = clock.now().toISOString();
      const set: Partial<ProblemRow> = { status: body.to, updated_at: nowIso };
      if (body.to === 'explained') set.reason = reason;
      // Reopened: a fresh deadline from today, and the explanation no longer stands.
      if (body.to === 'open') Object.assign(set, { reason: null, deadline: deadlineFrom(today()) });
      await auditor.run(
        {
          actor,
          action: 'quality.problem.transition',
          targetType: 'quality_problem',
          targetId: id,
          detail: { from, to: body.to, resourceId: row.resource_id },
        },
        async (trx) => {
          await move(trx, row, set);
          await record(trx, id, actor, [{ from, to: body.to, note: body.to === 'explained' ? reason : body.note?.trim() || null }], null, nowIso);
        },
      );
      return get(actor, id);
    },
  };
}

export type ProblemsService = ReturnType<typeof createProblemsService>;
