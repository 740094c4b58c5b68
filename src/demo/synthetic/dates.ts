/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian), so synthetic
 * rows need no Date object per value (H. Hinnant's algorithms).
 */

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 'YYYY-MM-DD' of a day number. */
export function isoDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** 'YYYY-MM-DD HH:mm:ss' of a second count since 1970-01-01 (no time zone: wall-clock values). */
export function isoSecond(seconds: number): string {
  const day = Math.floor(seconds / 86400);
  const s = seconds - day * 86400;
  return `${isoDay(day)} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** Day numbers are parsed back from 'YYYY-MM-DD' when one value depends on another. */
export function dayOf(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** 'YYYYMM' of the month `back` months before year/month. */
export function monthBefore(year: number, month: number, back: number): string {
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}${pad2((index % 12) + 1)}`;
}
