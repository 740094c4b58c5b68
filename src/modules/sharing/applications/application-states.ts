/**
 * The access application workflow (DOMAIN.md §6). What is asked decides the path — the strictest
 * share type among the asked data items (an upstream interface: conditional unless it says):
 *
 *   UNCONDITIONAL (1) → GRANTED at once (logged)
 *   CONDITIONAL   (2) → COMPLIANCE_CHECK (platform, KUAIJI_SHARING_COMPLIANCE_DAYS)
 *                         → PROVIDER_REVIEW (provider department, KUAIJI_SHARING_REVIEW_DAYS) → GRANTED
 *   NOT_SHARED    (3) → refused without a legal basis; with one → ARBITRATION (platform) → GRANTED
 *
 * Every pending step can end in REJECTED (with reasons) or WITHDRAWN (by the applicant). An overdue
 * compliance check or review is escalated to the platform administrator (督办): the `escalated`
 * flag, cleared when the next step starts.
 */
export const APPLICATION_STATUSES = ['COMPLIANCE_CHECK', 'PROVIDER_REVIEW', 'ARBITRATION', 'GRANTED', 'REJECTED', 'WITHDRAWN'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const PENDING_STATUSES = ['COMPLIANCE_CHECK', 'PROVIDER_REVIEW', 'ARBITRATION'] as const satisfies readonly ApplicationStatus[];
export type PendingStatus = (typeof PENDING_STATUSES)[number];

export const isPending = (s: string): s is PendingStatus => (PENDING_STATUSES as readonly string[]).includes(s);

/** Who the pending step waits on. */
export const AWAITING: Readonly<Record<PendingStatus, 'platform' | 'provider'>> = {
  COMPLIANCE_CHECK: 'platform',
  PROVIDER_REVIEW: 'provider',
  ARBITRATION: 'platform',
};

/** Where an approval of each pending step leads. */
export const ON_APPROVE: Readonly<Record<PendingStatus, ApplicationStatus>> = {
  COMPLIANCE_CHECK: 'PROVIDER_REVIEW',
  PROVIDER_REVIEW: 'GRANTED',
  ARBITRATION: 'GRANTED',
};

/** The catalogue's share types as stored (sharing_applications.share_type), ordered by restriction. */
export const SHARE_TYPE_CODES = { UNCONDITIONAL: 1, CONDITIONAL: 2, NOT_SHARED: 3 } as const;
export type ShareTypeName = keyof typeof SHARE_TYPE_CODES;
export const SHARE_TYPE_NAMES: Readonly<Record<number, ShareTypeName>> = { 1: 'UNCONDITIONAL', 2: 'CONDITIONAL', 3: 'NOT_SHARED' };

/** The strictest of some share types (an empty list: unconditional). */
export function strictestShareType(types: readonly string[]): 1 | 2 | 3 {
  let max: 1 | 2 | 3 = 1;
  for (const t of types) {
    const code = SHARE_TYPE_CODES[t as ShareTypeName];
    if (code === undefined) throw new RangeError(`unknown share type '${t}'`);
    if (code > max) max = code;
  }
  return max;
}
