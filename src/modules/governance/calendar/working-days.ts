import fs from 'node:fs';
import { z } from 'zod';
import shipped from './cn-holidays.json' with { type: 'json' };
import { chinaDate, DAY_MS } from '../../../shared/china-time.js';

/**
 * Working days on the Chinese calendar (DOMAIN.md §5: deadlines of problems and objections): Monday
 * to Friday, less public holidays (放假), plus the Saturdays and Sundays the State Council makes
 * working days (调休上班). The shipped data (cn-holidays.json, SOURCE.md) covers 2024–2027; other
 * years count weekdays only. Dates are calendar dates 'YYYY-MM-DD'; a Date is read as its date in
 * China Standard Time (UTC+8, no daylight saving), where the departments work.
 */
export type WorkCalendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> };

/** Days to add to (holidays) or take from (make-up workdays) the shipped calendar, e.g. from KUAIJI_CALENDAR_FILE. */
export type CalendarExtras = { holidays?: Iterable<string>; workdays?: Iterable<string> };

/** About 400 years of working days: more is a mistake, not a deadline. */
const MAX_DAYS = 100_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const dt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dt.toISOString().slice(0, 10) === s;
}

/** The calendar date of a Date (in UTC+8) or of a string: 'YYYY-MM-DD' as it is, a date-time with an offset at UTC+8. */
export function toIsoDate(date: Date | string): string {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
    return chinaDate(date);
  }
  if (isRealIsoDate(date)) return date;
  // A date-time with an offset or Z is an instant; one without is a wall-clock time whose date is its own.
  if (/^\d{4}-\d{2}-\d{2}T/.test(date)) {
    if (/(Z|[+-]\d{2}:?\d{2})$/.test(date)) {
      const t = Date.parse(date);
      if (!Number.isNaN(t)) return toIsoDate(new Date(t));
    } else if (isRealIsoDate(date.slice(0, 10))) return date.slice(0, 10);
  }
  throw new RangeError(`'${date}' is not a date (YYYY-MM-DD)`);
}

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

function expand(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) out.push(isoOfDay(d));
  return out;
}

type ShippedYear = { status: string; notice: string; holidays: { name: string; from: string; to: string }[]; workdays: string[] };
const shippedYears = shipped.years as Record<string, ShippedYear>;

/** The years the shipped data covers: 'published' (from the State Council notice) or 'provisional' (see SOURCE.md). */
export function shippedCalendarYears(): Record<string, { status: string; notice: string }> {
  return Object.fromEntries(Object.entries(shippedYears).map(([y, v]) => [y, { status: v.status, notice: v.notice }]));
}

let shippedCalendar: WorkCalendar | undefined;

function shippedDays(): WorkCalendar {
  if (!shippedCalendar) {
    const holidays = new Set<string>();
    const workdays = new Set<string>();
    for (const year of Object.values(shippedYears)) {
      for (const h of year.holidays) for (const d of expand(h.from, h.to)) holidays.add(d);
      for (const d of year.workdays) workdays.add(d);
    }
    shippedCalendar = { holidays, workdays };
  }
  return shippedCalendar;
}

/**
 * The shipped calendar merged with extras. An extra holiday also removes a shipped make-up workday
 * of that date and an extra workday removes a shipped holiday, so a published notice can correct a
 * provisional year; a date given as both is refused.
 */
export function loadCalendar(extra?: CalendarExtras): WorkCalendar {
  const base = shippedDays();
  if (!extra) return base;
  const addHolidays = new Set(extra.holidays ?? []);
  const addWorkdays = new Set(extra.workdays ?? []);
  for (const d of [...addHolidays, ...addWorkdays]) if (!isRealIsoDate(d)) throw new RangeError(`calendar: '${d}' is not a date (YYYY-MM-DD)`);
  const both = [...addHolidays].filter((d) => addWorkdays.has(d));
  if (both.length) throw new RangeError(`calendar: ${both.join(', ')} given as both a holiday and a workday`);
  const holidays = new Set([...base.holidays].filter((d) => !addWorkdays.has(d)));
  const workdays = new Set([...base.workdays].filter((d) => !addHolidays.has(d)));
  for (const d of addHolidays) holidays.add(d);
  for (const d of addWorkdays) workdays.add(d);
  return { holidays, workdays };
}

const ExtrasFile = z
  .object({
    /** Where the days come from (the notice), for the reader of the file. */
    source: z.string().optional(),
    holidays: z.array(z.string().refine(isRealIsoDate, 'a date YYYY-MM-DD')).default([]),
    workdays: z.array(z.string().refine(isRealIsoDate, 'a date YYYY-MM-DD')).default([]),
  })
  .strict();

/**
 * Reads the extras file named by KUAIJI_CALENDAR_FILE: `{ "source": "…", "holidays": ["2027-02-11", …],
 * "workdays": ["2027-01-31", …] }` (source optional, any other key refused). Throws an Error naming the file and what is wrong with it.
 */
export function readCalendarFile(file: string): { holidays: string[]; workdays: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`calendar file ${file}: ${(err as Error).message}`);
  }
  const parsed = ExtrasFile.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`calendar file ${file}: ${lines.join('; ')}`);
  }
  return { holidays: parsed.data.holidays, workdays: parsed.data.workdays };
}

/** The calendar a process runs with: the shipped data and, when configured, the extras file. */
export function calendarFromConfig(config: { calendarFile?: string | undefined }): WorkCalendar {
  return loadCalendar(config.calendarFile ? readCalendarFile(config.calendarFile) : undefined);
}

/** Monday to Friday? Day 0 (1970-01-01) was a Thursday. */
function isWeekday(n: number): boolean {
  const weekday = (((n + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

function isWorkingDayNumber(n: number, iso: string, calendar: WorkCalendar): boolean {
  if (calendar.workdays.has(iso)) return true;
  if (calendar.holidays.has(iso)) return false;
  return isWeekday(n);
}

export function isWorkingDay(date: Date | string, calendar: WorkCalendar = shippedDays()): boolean {
  const iso = toIsoDate(date);
  return isWorkingDayNumber(dayNumber(iso), iso, calendar);
}

/**
 * The deadline `days` working days after `start`: the days-th working day strictly after the start
 * date (a problem opened on a Friday with 1 day is due the next working Monday, whatever the start
 * date itself is). With 0 days: the start date when it is a working day, else the next working day.
 */
export function addWorkingDays(start: Date | string, days: number, calendar: WorkCalendar = shippedDays()): string {
  if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS) throw new RangeError(`working days must be a whole number from 0 to ${MAX_DAYS}, not ${days}`);
  let n = dayNumber(toIsoDate(start));
  if (days === 0) {
    while (!isWorkingDayNumber(n, isoOfDay(n), calendar)) n++;
    return isoOfDay(n);
  }
  let left = days;
  while (left > 0) {
    n++;
    if (isWorkingDayNumber(n, isoOfDay(n), calendar)) left--;
  }
  return isoOfDay(n);
}

/**
 * Working days d with from < d ≤ to (so workingDaysBetween(s, addWorkingDays(s, n)) = n for n ≥ 1);
 * negative when `to` is before `from` (−workingDaysBetween(to, from)), 0 for the same date.
 */
export function workingDaysBetween(from: Date | string, to: Date | string, calendar: WorkCalendar = shippedDays()): number {
  const a = dayNumber(toIsoDate(from));
  const b = dayNumber(toIsoDate(to));
  if (b < a) return -workingDaysBetween(to, from, calendar);
  // Monday to Friday in (a, b] by arithmetic, then the calendar's days in that range.
  const span = b - a;
  let count = Math.floor(span / 7) * 5;
  for (let n = a + 1 + Math.floor(span / 7) * 7; n <= b; n++) if (isWeekday(n)) count++;
  const fromIso = isoOfDay(a);
  const toIso = isoOfDay(b);
  const inRange = (d: string) => d > fromIso && d <= toIso;
  for (const d of calendar.holidays) if (inRange(d) && isWeekday(dayNumber(d)) && !calendar.workdays.has(d)) count--;
  for (const d of calendar.workdays) if (inRange(d) && !isWeekday(dayNumber(d))) count++;
  return count;
}
