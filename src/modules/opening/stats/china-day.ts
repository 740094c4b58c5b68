/** China Standard Time has no daylight saving: a day there is UTC+8, always. */
const OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD of an instant in Asia/Shanghai: daily quotas and event counts roll over at Beijing midnight. */
export const chinaDay = (ms: number): string => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);

/** Seconds from an instant to the next Beijing midnight (at least 1). */
export const secondsToChinaMidnight = (ms: number): number => Math.max(1, Math.ceil((86_400_000 - ((ms + OFFSET_MS) % 86_400_000)) / 1000));
