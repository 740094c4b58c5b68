import type { Clock } from '../../../shared/clock.js';

const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Today's date in Asia/Shanghai by `clock`, recomputed only when the instant leaves the day last
 * computed: grant lookups ask on every gateway call. Grants' `validUntil` is inclusive, so a grant
 * stops at the first instant of the next day here.
 */
export function shanghaiToday(clock: Clock): () => string {
  let from = Infinity;
  let until = -Infinity;
  let today = '';
  return () => {
    const t = clock.now().getTime();
    if (t >= from && t < until) return today;
    today = shanghaiDate(new Date(t));
    from = Date.parse(`${today}T00:00:00+08:00`);
    until = from + DAY_MS;
    return today;
  };
}
