import { quote, toHalfWidth } from './coerce-text.js';
import { CoerceFailure } from './coerce-value.js';

/**
 * Dates and datetimes in the forms Chinese users and systems send:
 *   2020-01-05  2020/1/5  2020.1.5  2020年1月5日  20200105  43835 (Excel serial, 5 digits)
 *   … followed by a time: "2020-01-05 08:30", "2020-01-05T08:30:00.5+08:00", "2020年1月5日 8时30分",
 *   or compact 20200105083000.
 * Day-first and month-first forms (05/01/2020) are refused: they are ambiguous.
 */
export interface TemporalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second, digits only, trailing zeros removed ('' for none). */
  fraction: string;
  /** 'Z', '+08:00' …, or '' when the input had no offset. */
  offset: string;
  hasTime: boolean;
}

const DATE_PREFIX = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)/;
const TIME_REST =
  /^(?:\s*T\s*|\s*)(\d{1,2})(?::|\s*[时點点]\s*)(\d{1,2})(?:(?::|\s*分\s*)(\d{1,2})(?:[.,](\d{1,9}))?\s*秒?|\s*分)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;
const EXCEL_SERIAL = /^(\d{5})(?:\.(\d+))?$/;
/** Excel serial 25569 is 1970-01-01 (its 1900 leap-year bug only shifts serials below 61). */
const EXCEL_EPOCH_SERIAL = 25569;
const MS_PER_DAY = 86_400_000;

export function parseTemporal(input: string): TemporalParts | CoerceFailure {
  const fast = fastIso(input);
  if (fast) return check(fast, input);
  const s = toHalfWidth(input);
  const prefix = DATE_PREFIX.exec(s);
  if (prefix) {
    const year = Number(prefix[1]);
    const month = Number(prefix[3] ?? prefix[5]);
    const day = Number(prefix[4] ?? prefix[6]);
    const rest = s.slice(prefix[0].length);
    if (rest.trim() === '') return check(parts(year, month, day), input);
    const t = TIME_REST.exec(rest);
    if (!t) return notA(input);
    const hour = Number(t[1]);
    const minute = Number(t[2]);
    const second = t[3] ? Number(t[3]) : 0;
    return check({ ...parts(year, month, day), hour, minute, second, fraction: trimZeros(t[4] ?? ''), offset: normalizeOffset(t[5]), hasTime: true }, input);
  }
  const compact = COMPACT.exec(s);
  if (compact) {
    const p = parts(Number(compact[1]), Number(compact[2]), Number(compact[3]));
    if (compact[4] === undefined) return check(p, input);
    return check({ ...p, hour: Number(compact[4]), minute: Number(compact[5]), second: Number(compact[6]), hasTime: true }, input);
  }
  const serial = EXCEL_SERIAL.exec(s);
  if (serial) return fromExcelSerial(Number(s), serial[2] !== undefined && !/^0*$/.test(serial[2]));
  return notA(input);
}

/** YYYY-MM-DD and YYYY-MM-DD[ T]HH:mm:ss, by far the most common, without regular expressions. */
function fastIso(s: string): TemporalParts | null {
  const n = s.length;
  if ((n !== 10 && n !== 19) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0) return null;
  if (n === 10) return parts(year, month, day);
  const sep = s.charCodeAt(10);
  if ((sep !== 32 && sep !== 84) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (hour < 0 || minute < 0 || second < 0) return null;
  return { year, month, day, hour, minute, second, fraction: '', offset: '', hasTime: true };
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function parts(year: number, month: number, day: number): TemporalParts {
  return { year, month, day, hour: 0, minute: 0, second: 0, fraction: '', offset: '', hasTime: false };
}

function check(p: TemporalParts, input: string): TemporalParts | CoerceFailure {
  if (!isRealDate(p.year, p.month, p.day)) return new CoerceFailure(`not a date (no such day): ${quote(input)}`);
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return new CoerceFailure(`not a time of day: ${quote(input)}`);
  return p;
}

function notA(input: string): CoerceFailure {
  return new CoerceFailure(`not a date: ${quote(input)}`);
}

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * True when `s` already is a valid YYYY-MM-DD, or (with time) YYYY-MM-DD[T ]HH:mm:ss: the common
 * case then needs no parsing objects at all.
 */
export function isCanonical(s: string, withTime: boolean): boolean {
  if (s.length !== (withTime ? 19 : 10) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || !isRealDate(year, month, day)) return false;
  if (!withTime) return true;
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function fromExcelSerial(serial: number, hasTime: boolean): TemporalParts {
  const ms = Math.round((serial - EXCEL_EPOCH_SERIAL) * MS_PER_DAY);
  const d = new Date(ms);
  const millis = d.getUTCMilliseconds();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: millis ? trimZeros(String(millis).padStart(3, '0')) : '',
    offset: '',
    hasTime,
  };
}

function trimZeros(fraction: string): string {
  return fraction.replace(/0+$/, '');
}

function normalizeOffset(tz: string | undefined): string {
  if (!tz) return '';
  if (tz === 'Z' || tz === 'z') return 'Z';
  const sign = tz[0]!;
  const body = tz.slice(1).replace(':', '');
  return `${sign}${body.slice(0, 2)}:${body.slice(2, 4).padEnd(2, '0')}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDate(p: TemporalParts): string {
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** ISO 8601 without an offset unless the input carried one (government systems record Beijing time). */
export function formatDateTime(p: TemporalParts): string {
  const fraction = p.fraction ? `.${p.fraction}` : '';
  return `${formatDate(p)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}${fraction}${p.offset}`;
}

export function isMidnight(p: TemporalParts): boolean {
  return p.hour === 0 && p.minute === 0 && p.second === 0 && p.fraction === '';
}
