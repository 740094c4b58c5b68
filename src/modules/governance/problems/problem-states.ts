import { AppError, forbidden } from '../../../errors.js';

/**
 * The problem workflow (问题数据 → 整改 → 复核, DOMAIN.md §5) as one table: which state may follow
 * which, and who moves it. The provider department ('department': its officers, or an
 * administrator acting for it) acknowledges, rectifies, submits or explains; the scan
 * ('system') re-checks and closes; only an administrator reopens an explained problem.
 *
 *   open → acknowledged → rectifying → submitted → rechecked → closed
 *     ↘──────────↘─────────────↘ explained (a reason; terminal) ──admin──→ open
 *   rechecked → rectifying when the rule still fails
 *
 * The re-check also closes a problem not yet submitted when its rule passes (the data was
 * corrected by a new load): leaving it open would only make it overdue.
 */
export const PROBLEM_STATES = ['open', 'acknowledged', 'rectifying', 'submitted', 'rechecked', 'closed', 'explained'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export type ProblemMover = 'department' | 'admin' | 'system';

type Move = { to: ProblemState; by: readonly ProblemMover[] };

const DEPT: readonly ProblemMover[] = ['department', 'admin'];
const SYSTEM: readonly ProblemMover[] = ['system'];

export const PROBLEM_TRANSITIONS: Readonly<Record<ProblemState, readonly Move[]>> = {
  open: [
    { to: 'acknowledged', by: DEPT },
    { to: 'explained', by: DEPT },
    { to: 'rechecked', by: SYSTEM },
  ],
  acknowledged: [
    { to: 'rectifying', by: DEPT },
    { to: 'explained', by: DEPT },
    { to: 'rechecked', by: SYSTEM },
  ],
  rectifying: [
    { to: 'submitted', by: DEPT },
    { to: 'explained', by: DEPT },
    { to: 'rechecked', by: SYSTEM },
  ],
  submitted: [{ to: 'rechecked', by: SYSTEM }],
  rechecked: [
    { to: 'closed', by: SYSTEM },
    { to: 'rectifying', by: SYSTEM },
  ],
  closed: [],
  explained: [{ to: 'open', by: ['admin'] }],
};

/** States in which a problem is still being worked on (not closed, not explained): these can be overdue. */
export const ACTIVE_PROBLEM_STATES: readonly ProblemState[] = ['open', 'acknowledged', 'rectifying', 'submitted', 'rechecked'];

/** Targets a caller may ask for through the API (the others are the scan's). */
export const REQUESTABLE_PROBLEM_STATES = ['acknowledged', 'rectifying', 'submitted', 'explained', 'open'] as const;

export function canMoveProblem(from: ProblemState, to: ProblemState, by: ProblemMover): boolean {
  return PROBLEM_TRANSITIONS[from].some((m) => m.to === to && m.by.includes(by));
}

/**
 * Unless `by` may move a problem from `from` to `to`: 403 when only an administrator may (reopening
 * an explained problem), else 409 PROBLEM_TRANSITION_INVALID (no such move, or one only the scan makes).
 */
export function assertProblemMove(from: ProblemState, to: ProblemState, by: ProblemMover): void {
  if (canMoveProblem(from, to, by)) return;
  if (by === 'department' && canMoveProblem(from, to, 'admin')) throw forbidden(`Only a platform administrator may move a problem that is ${from} to ${to}`);
  const allowed = PROBLEM_TRANSITIONS[from].filter((m) => m.by.includes(by)).map((m) => m.to);
  throw new AppError(
    'PROBLEM_TRANSITION_INVALID',
    `A problem that is ${from} cannot become ${to}${allowed.length ? ` (it can become: ${allowed.join(', ')})` : ''}`,
    {
      from,
      to,
      allowed,
    },
  );
}
