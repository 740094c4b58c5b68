import type { Clock } from './clock.js';

/**
 * China Standard Time (Asia/Shanghai): UTC+8 all year, no daylight saving. The platform's
 * calendar — deadlines in working days, daily and monthly quotas, weekly bulletins, daily counts,
 * licences' validity — turns at Beijing midnight, whatever the server's time zone. Every module
 * computes China dates here.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant (a Date or epoch milliseconds) in China Standard Time. */
export function chinaDate(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant (epoch ms) the China day holding `ms` began. */
export function chinaMidnightBefore(ms: number): number {
  const local = ms + CHINA_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - CHINA_OFFSET_MS;
}

/** Seconds from an instant to the next Beijing midnight (at least 1). */
export function secondsToChinaMidnight(ms: number): number {
  return Math.max(1, Math.ceil((chinaMidnightBefore(ms) + DAY_MS - ms) / 1000));
}

/**
 * Today's date in China by `clock`, recomputed only when the instant leaves the day last computed:
 * for hot paths (the gateway asks on every call).
 */
export function chinaToday(clock: Clock): () => string {
  let from = Infinity;
  let until = -Infinity;
  let today = '';
  return () => {
    const t = clock.now().getTime();
    if (t >= from && t < until) return today;
    today = chinaDate(t);
    from = chinaMidnightBefore(t);
    until = from + DAY_MS;
    return today;
  };
}
