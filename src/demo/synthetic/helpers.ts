import { dayOf, daysFromCivil, isoDay, isoSecond } from './dates.js';
import type { Random } from './random.js';
import type { RowContext } from './types.js';

/** The synthetic data's "today": nothing is dated after it. */
export const TODAY = daysFromCivil(2025, 6, 30);

/** The row's event day as 'YYYY-MM-DD'. */
export const rowDate = (c: RowContext): string => isoDay(c.day());

/** A day `min`–`max` days after `from` ('YYYY-MM-DD'), or '' when that would be after today. */
export function after(c: RowContext, from: string | undefined, min: number, max: number, allowFuture = false): string {
  const base = from ? dayOf(from) : c.day();
  const day = base + min + c.rnd.int(max - min + 1);
  return !allowFuture && day > TODAY ? '' : isoDay(day);
}

/** A uniformly random day between two dates (inclusive). */
export function between(rnd: Random, from: string, to: string): string {
  const a = dayOf(from);
  return isoDay(a + rnd.int(dayOf(to) - a + 1));
}

/** 'YYYY-MM-DD HH:mm:ss' on the given day, in office hours unless `anyHour`. */
export function timeOn(rnd: Random, day: number | string, anyHour = false): string {
  const d = typeof day === 'string' ? dayOf(day) : day;
  const second = anyHour ? rnd.int(86400) : 8 * 3600 + rnd.int(10 * 3600);
  return isoSecond(d * 86400 + second);
}

/** A decimal in [min, max) with `scale` digits after the point. */
export function decimal(rnd: Random, min: number, max: number, scale = 2): string {
  return (min + rnd.next() * (max - min)).toFixed(scale);
}

export function integer(rnd: Random, min: number, max: number): string {
  return String(min + rnd.int(max - min + 1));
}

/** BOOLEAN as a Chinese form would write it. */
export function yesNo(rnd: Random, pYes: number): string {
  return rnd.next() < pYes ? '是' : '否';
}

export function base64(rnd: Random, bytes: number): string {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = rnd.int(256);
  return b.toString('base64');
}

/** 府山街道 → 府山, 店口镇 → 店口. */
export function shortPlace(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}
