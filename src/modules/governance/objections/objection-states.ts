import { AppError } from '../../../errors.js';

/**
 * The objection workflow (异议, DOMAIN.md §5): the provider department accepts an objection to one
 * of its records (within the forward deadline), corrects the record or explains why it is right
 * (within the verify deadline, extendable once), then closes it — which clears the record's
 * disputed flag (标注撤销). An objection is never deleted; closed ones stay with their history.
 *
 *   submitted → accepted → corrected → closed
 *        ↘           ↘ explained (reason) → closed
 *         ↘ explained (reason)
 */
export const OBJECTION_STATES = ['submitted', 'accepted', 'corrected', 'explained', 'closed'] as const;
export type ObjectionState = (typeof OBJECTION_STATES)[number];

export const OBJECTION_TRANSITIONS: Readonly<Record<ObjectionState, readonly ObjectionState[]>> = {
  submitted: ['accepted', 'explained'],
  accepted: ['corrected', 'explained'],
  corrected: ['closed'],
  explained: ['closed'],
  closed: [],
};

/** States in which the record stays marked disputed: every one but closed. */
export const DISPUTING_STATES: readonly ObjectionState[] = ['submitted', 'accepted', 'corrected', 'explained'];

/** 409 OBJECTION_TRANSITION_INVALID unless an objection that is `from` may become `to`. */
export function assertObjectionMove(from: ObjectionState, to: ObjectionState): void {
  const allowed = OBJECTION_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw new AppError(
    'OBJECTION_TRANSITION_INVALID',
    `An objection that is ${from} cannot become ${to}${allowed.length ? ` (it can become: ${allowed.join(', ')})` : ''}`,
    {
      from,
      to,
      allowed: [...allowed],
    },
  );
}
