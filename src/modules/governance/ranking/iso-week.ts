import { CHINA_OFFSET_MS, DAY_MS } from '../../../shared/china-time.js';

/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday) on China Standard
 * Time, UTC+8 with no daylight saving: the weeks a Chinese weekly bulletin (一周一通报) counts,
 * whatever the server's time zone. Deadlines count days on the same clock (calendar/working-days.ts).
 */

export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** One ISO week: its name, its first and last calendar day, and the instants it spans [start, end). */
export type IsoWeek = { week: string; year: number; number: number; firstDay: string; lastDay: string; start: string; end: string };

const isoDate = (dayMs: number) => new Date(dayMs).toISOString().slice(0, 10);

/** Midnight (as UTC milliseconds of the calendar day) of the Monday of week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

function weekOfDay(dayMs: number): { year: number; number: number } {
  const thursday = dayMs + (3 - ((new Date(dayMs).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  return { year, number: Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1 };
}

/** 52 or 53. */
export const weeksInYear = (year: number) => weekOfDay(Date.UTC(year, 11, 28)).number;

function build(year: number, number: number): IsoWeek {
  const monday = week1Monday(year) + (number - 1) * 7 * DAY_MS;
  return {
    week: `${year}-W${String(number).padStart(2, '0')}`,
    year,
    number,
    firstDay: isoDate(monday),
    lastDay: isoDate(monday + 6 * DAY_MS),
    start: new Date(monday - CHINA_OFFSET_MS).toISOString(),
    end: new Date(monday + 7 * DAY_MS - CHINA_OFFSET_MS).toISOString(),
  };
}

/** The week an instant falls in, in China Standard Time. */
export function weekOf(at: Date): IsoWeek {
  const local = at.getTime() + CHINA_OFFSET_MS;
  const { year, number } = weekOfDay(local - (((local % DAY_MS) + DAY_MS) % DAY_MS));
  return build(year, number);
}

/** `YYYY-Www`, or null when it names no week (W00, W54, or W53 of a 52-week year). */
export function parseWeek(text: string): IsoWeek | null {
  const m = ISO_WEEK.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const number = Number(m[2]);
  if (year < 1970 || number < 1 || number > weeksInYear(year)) return null;
  return build(year, number);
}

/** The week before. */
export function previousWeek(w: IsoWeek): IsoWeek {
  return w.number > 1 ? build(w.year, w.number - 1) : build(w.year - 1, weeksInYear(w.year - 1));
}
