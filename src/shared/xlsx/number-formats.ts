/**
 * Which number formats show a date or time, and what a serial number in such a cell means.
 * Excel stores a date as a number of days (the time as its fraction) and tells it from a number
 * only by the cell's format.
 */

/**
 * Built-in formats (ECMA-376 §18.8.30) that are dates or times: 14–22 and 45–47 everywhere, and
 * 27–36 and 50–58 in the Chinese, Japanese and Korean locales — Chinese Excel's 2024年1月1日
 * (31) or 1月1日 (28) are among them (exceljs missed these and read such cells as numbers).
 */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export function isDateFormat(id: number, code: string | undefined): boolean {
  return code === undefined ? BUILT_IN_DATES.has(id) : isDateFormatCode(code);
}

/**
 * A format code with a year, month, day, hour, minute or second outside quoted text, escapes and
 * brackets (`[Red]`, `[$-804]`; `[h]` elapsed hours count as time): `yyyy-mm-dd`, `h:mm`,
 * `yyyy"年"m"月"d"日"`. `0.00`, `#,##0 "元"` and `General` are numbers.
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, '$1')
    .replace(/\[[^\]]*\]/g, '');
  if (/^general$/i.test(bare.trim())) return false;
  return /[ymdhs]/i.test(bare);
}

/** Days between Excel's day 0 of the 1900 system (taken as 1899-12-30) and 1970-01-01. */
const EPOCH_1900 = 25569;
/** The same for the 1904 system, whose day 0 is 1904-01-01. */
const EPOCH_1904 = 24107;
/** 9999-12-31, the last day Excel shows, is 2958465. */
const LAST_SERIAL = 2958466;
const DAY_MS = 86_400_000;

/**
 * A serial date as a Date whose UTC fields hold Excel's wall clock (no time zone), as exceljs
 * gave them. The 1900 system counts 29 February 1900, a day that never was (Lotus 1-2-3's bug,
 * kept by Excel): serials 1–59 are one day later than the epoch implies (1 is 1900-01-01) and
 * 60 is that day itself, returned as the text '1900-02-29' so that a date check rejects it. A
 * serial outside Excel's dates is returned as the number it is.
 */
export function serialToDate(serial: number, date1904: boolean): Date | string | number {
  if (!(serial >= 0 && serial < LAST_SERIAL)) return serial;
  if (date1904) return new Date(Math.round((serial - EPOCH_1904) * DAY_MS));
  if (serial >= 60 && serial < 61) return '1900-02-29';
  const shift = serial >= 1 && serial < 60 ? 1 : 0;
  return new Date(Math.round((serial + shift - EPOCH_1900) * DAY_MS));
}
