/**
 * A licence's validity today (issue 13: "check status and validity dates"), from its status
 * attribute and validity dates. Status values arrive in three forms across sources: the codes of
 * the national licence-upload schemas (01 有效, 02 暂扣, 03 撤销, 04 注销, 05 失效, 06 办理转出,
 * 07 吊销, 99 其他 — research/cn-gov-platform.md §4.4), their Chinese names (the demo's
 * 有效 / 注销 / 吊销), or English words. Decisions:
 * - withdrawn in any way (暂扣 suspended, 撤销, 注销, 吊销, 转出 moved out) → REVOKED: the
 *   licence may not be relied on, whatever its dates say;
 * - 05 失效 / expired → EXPIRED even if the end date is still ahead;
 * - otherwise the dates decide, compared as calendar days in China Standard Time (UTC+8, no
 *   daylight saving): before validFrom → NOT_YET_VALID, after validTo → EXPIRED (validTo is the
 *   last valid day), else VALID. A missing validTo, or 长期 (long-term), has no end.
 * - an unknown status (99, empty) does not revoke: the dates decide.
 */
import { chinaDate } from '../../../shared/china-time.js';

export const VALIDITIES = ['VALID', 'EXPIRED', 'NOT_YET_VALID', 'REVOKED'] as const;
export type Validity = (typeof VALIDITIES)[number];

const REVOKED = new Set([
  '02',
  '03',
  '04',
  '06',
  '07',
  '暂扣',
  '撤销',
  '注销',
  '吊销',
  '转出',
  '办理转出',
  '作废',
  'REVOKED',
  'CANCELLED',
  'CANCELED',
  'SUSPENDED',
  'WITHDRAWN',
]);
const EXPIRED = new Set(['05', '失效', '过期', '已过期', 'EXPIRED']);
const LONG_TERM = new Set(['长期', '永久', 'LONG-TERM', 'LONGTERM', '9999-12-31']);

/** Today's date (YYYY-MM-DD) in China Standard Time. */
export function chinaToday(now: Date): string {
  return chinaDate(now);
}

/** A date value as YYYY-MM-DD (accepts YYYY-MM-DD…, YYYYMMDD, YYYY年M月D日, YYYY/M/D); null when none or unreadable. */
export function isoDay(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const t = String(value).trim();
  const m = /^(\d{4})[-/年.]?(\d{1,2})[-/月.]?(\d{1,2})日?/.exec(t);
  if (!m) return null;
  const [, y, mo, d] = m;
  return `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
}

export function validityOf(input: { status: unknown; validFrom: unknown; validTo: unknown }, today: string): Validity {
  const status = input.status === null || input.status === undefined ? '' : String(input.status).trim().toUpperCase();
  if (REVOKED.has(status)) return 'REVOKED';
  if (EXPIRED.has(status)) return 'EXPIRED';
  const from = isoDay(input.validFrom);
  if (from !== null && today < from) return 'NOT_YET_VALID';
  const toText = input.validTo === null || input.validTo === undefined ? '' : String(input.validTo).trim().toUpperCase();
  const to = LONG_TERM.has(toText) ? null : isoDay(input.validTo);
  if (to !== null && today > to) return 'EXPIRED';
  return 'VALID';
}
