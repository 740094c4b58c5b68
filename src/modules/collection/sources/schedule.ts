import type { UpdateFrequency } from '../../catalog/index.js';

/** 'auto' follows the resource's update frequency; 'manual' never runs by itself; a code fixes the frequency. */
export type Schedule = 'auto' | 'manual' | UpdateFrequency;

type Step = { minutes: number } | { months: number };

/**
 * How often each update frequency is pulled. Realtime (01) resources are polled every minute: a
 * fallback for systems without a realtime channel. Other (08), irregular (09) and never (10)
 * have no rhythm to follow, so they run only on demand.
 */
const STEPS: Partial<Record<UpdateFrequency, Step>> = {
  '01': { minutes: 1 },
  '02': { minutes: 24 * 60 },
  '03': { minutes: 7 * 24 * 60 },
  '04': { months: 1 },
  '05': { months: 3 },
  '06': { months: 6 },
  '07': { months: 12 },
};

/** When the source runs next, counted from `from` (its save or its last run); null: not automatically. */
export function nextRunAt(schedule: Schedule, frequency: string | null, from: Date): Date | null {
  const code = schedule === 'auto' ? frequency : schedule === 'manual' ? null : schedule;
  const step = code ? STEPS[code as UpdateFrequency] : undefined;
  if (!step) return null;
  if ('minutes' in step) return new Date(from.getTime() + step.minutes * 60_000);
  return addMonths(from, step.months);
}

/** Calendar months in UTC, clamped to the month's last day (31 January + 1 month = 28/29 February). */
function addMonths(from: Date, months: number): Date {
  const total = from.getUTCMonth() + months;
  const year = from.getUTCFullYear() + Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(from);
  d.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
  return d;
}
