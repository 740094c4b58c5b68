import { AppError } from '../../../errors.js';

/**
 * A restricted-open application (受限开放, DOMAIN.md §7):
 *
 *   submitted → approved (the provider department; a validity) → active (the applicant accepted the use agreement)
 *        ↘ rejected (with a reason)      approved | active → revoked (with a reason)
 *
 * Only `active` and not past `validUntil` serves the dataset's RESTRICTED items; past it, an
 * approved or active application reads as `expired` (computed, never stored).
 */
export const APPLICATION_STATES = ['submitted', 'approved', 'active', 'rejected', 'revoked', 'expired'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** What an application is now, given today's date (YYYY-MM-DD, Beijing). */
export function effectiveState(stored: string, validUntil: string | null, today: string): ApplicationState {
  if ((stored === 'approved' || stored === 'active') && validUntil !== null && validUntil < today) return 'expired';
  return stored as ApplicationState;
}

/** 409 OPEN_STATE_INVALID unless the application is in one of `allowed`. */
export function assertApplicationState(state: ApplicationState, allowed: readonly ApplicationState[], action: string): void {
  if (allowed.includes(state)) return;
  throw new AppError('OPEN_STATE_INVALID', `An application that is ${state} cannot be ${action} (only: ${allowed.join(', ')})`, {
    state,
    allowed: [...allowed],
  });
}

/** States that block a second application by the same user for the same dataset. */
export const LIVE_STATES: readonly ApplicationState[] = ['submitted', 'approved', 'active'];
