import type { DataType } from '../../catalog/index.js';

/** A value as the record reader presents it (equal on every dialect). */
export type ProfileValue = string | number | boolean;

export type LengthBucket = { from: number; to: number; count: number };
export type PatternCount = { pattern: string; count: number };

/** One data item's profile over the live records of its resource. */
export type ItemProfile = {
  itemCode: string;
  dataType: DataType;
  /** Live records. */
  rows: number;
  /** SQL NULL. */
  nulls: number;
  /** Text that is empty or only blanks (textual items only). */
  empty: number;
  /** (nulls + empty) / rows, 4 decimals; null without records. */
  nullRate: number | null;
  /** Distinct values among the filled ones. */
  distinct: number;
  /** Typed: numbers compared numerically, dates and date-times as ISO text, text by code point. Null when no value (or BINARY). */
  min: ProfileValue | null;
  max: ProfileValue | null;
  /** At most TOP_VALUES, most frequent first. */
  topValues: { value: ProfileValue; count: number }[];
  /** Characters of the value's text form; null when no value (or BINARY). */
  lengths: { min: number; max: number; avg: number; histogram: LengthBucket[] } | null;
  /** Shapes of the value's text form (digits → 9, Latin letters → A/a, CJK → 汉, the rest kept). */
  patterns: { top: PatternCount[]; tracked: number; exact: boolean };
};

export const TOP_VALUES = 10;
export const TOP_PATTERNS = 10;
/** Distinct shapes tracked per item (memory stays bounded on free text); later new shapes are only counted as untracked. */
export const MAX_PATTERNS = 1000;
/** A shape keeps this many characters, then '…'. */
export const PATTERN_CHARS = 64;
export const HISTOGRAM_BUCKETS = 10;

/** Items profiled in code by their text form (lengths, shapes); BINARY gets counts only. */
export const hasText = (t: DataType) => t !== 'BINARY';
/** Items whose min/max come from the stream (code-point text, exact decimals), not from SQL. */
export const minMaxInCode = (t: DataType) => t === 'STRING' || t === 'TEXT' || t === 'DECIMAL';

function isHan(cp: number) {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x323af) || cp === 0x3007
  );
}

/**
 * The shape of a value: ASCII digits → 9, Latin letters → A / a, CJK ideographs → 汉, every other
 * character kept (so full-width digits and separators show as themselves), at most PATTERN_CHARS.
 */
export function shapeOf(text: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (n === PATTERN_CHARS) return `${out}…`;
    let cp = text.charCodeAt(i);
    if (cp >= 0x30 && cp <= 0x39) out += '9';
    else if (cp >= 0x41 && cp <= 0x5a) out += 'A';
    else if (cp >= 0x61 && cp <= 0x7a) out += 'a';
    else {
      const pair = cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length;
      if (pair) cp = text.codePointAt(i)!;
      out += isHan(cp) ? '汉' : pair ? text.slice(i, i + 2) : text[i];
      if (pair) i += 1;
    }
    n += 1;
  }
  return out;
}

/** Characters (code points) of a text. */
export function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n -= 1;
  }
  return n;
}

/**
 * Code-point order (the same on every database; SQL text order depends on the collation). UTF-16
 * units order like code points except surrogates against U+E000–U+FFFF: the first differing unit
 * is shifted so that surrogates (astral characters) sort last.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixUp(x) - fixUp(y);
  }
  return a.length - b.length;
}
const fixUp = (u: number) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Exact order of decimal texts ('-12.50' < '3'); texts that are not plain decimals compare as numbers. */
export function compareDecimal(a: string, b: string): number {
  const x = DECIMAL.exec(a);
  const y = DECIMAL.exec(b);
  if (!x || !y) return Number(a) - Number(b);
  const parts = (m: RegExpExecArray) => {
    const int = (m[2] ?? '').replace(/^0+/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    return { neg: m[1] === '-' && (int !== '' || frac !== ''), int, frac };
  };
  const p = parts(x);
  const q = parts(y);
  if (p.neg !== q.neg) return p.neg ? -1 : 1;
  const sign = p.neg ? -1 : 1;
  if (p.int.length !== q.int.length) return sign * (p.int.length - q.int.length);
  if (p.int !== q.int) return sign * (p.int < q.int ? -1 : 1);
  const w = Math.max(p.frac.length, q.frac.length);
  const f = p.frac.padEnd(w, '0');
  const g = q.frac.padEnd(w, '0');
  return f === g ? 0 : sign * (f < g ? -1 : 1);
}

/** A small histogram of lengths: one bucket per length when at most HISTOGRAM_BUCKETS, else equal-width ranges. */
export function lengthHistogram(counts: ReadonlyMap<number, number>): LengthBucket[] {
  if (counts.size === 0) return [];
  const lengths = [...counts.keys()];
  const min = Math.min(...lengths);
  const max = Math.max(...lengths);
  const width = Math.ceil((max - min + 1) / HISTOGRAM_BUCKETS);
  const buckets: LengthBucket[] = [];
  for (let from = min; from <= max; from += width) buckets.push({ from, to: Math.min(from + width - 1, max), count: 0 });
  for (const [len, n] of counts) buckets[Math.floor((len - min) / width)]!.count += n;
  return buckets;
}

/** What the stream works out for one item: lengths, shapes, and min/max where SQL's order is not the typed one. */
export type StreamedItem = {
  lengths: Map<number, number>;
  lengthSum: number;
  values: number;
  patterns: Map<string, number>;
  /** Filled values whose shape was new after MAX_PATTERNS were tracked. */
  untracked: number;
  min: string | null;
  max: string | null;
};

export function newStreamedItem(): StreamedItem {
  return { lengths: new Map(), lengthSum: 0, values: 0, patterns: new Map(), untracked: 0, min: null, max: null };
}

/** Adds one filled value (its presented text) to an item's stream figures. */
export function addValue(s: StreamedItem, type: DataType, text: string) {
  s.values += 1;
  const len = codePoints(text);
  s.lengthSum += len;
  s.lengths.set(len, (s.lengths.get(len) ?? 0) + 1);
  const shape = shapeOf(text);
  const seen = s.patterns.get(shape);
  if (seen !== undefined) s.patterns.set(shape, seen + 1);
  else if (s.patterns.size < MAX_PATTERNS) s.patterns.set(shape, 1);
  else s.untracked += 1;
  if (minMaxInCode(type)) {
    if (s.min === null || compareValues(type, text, s.min) < 0) s.min = text;
    if (s.max === null || compareValues(type, text, s.max) > 0) s.max = text;
  }
}

/** The stream figures as they are presented: lengths and the top shapes (ties by shape, code-point order). */
export function streamedFigures(s: StreamedItem) {
  const top = [...s.patterns.entries()]
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .slice(0, TOP_PATTERNS)
    .map(([pattern, count]) => ({ pattern, count }));
  const lengths =
    s.values === 0
      ? null
      : {
          min: Math.min(...s.lengths.keys()),
          max: Math.max(...s.lengths.keys()),
          avg: Math.round((s.lengthSum / s.values) * 100) / 100,
          histogram: lengthHistogram(s.lengths),
        };
  return { lengths, patterns: { top, tracked: s.patterns.size, exact: s.untracked === 0 } };
}

/** Typed order of two presented values: numbers numerically, decimals exactly, booleans false first, the rest by code point. */
export function compareValues(type: DataType, a: ProfileValue, b: ProfileValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (type === 'DECIMAL' || type === 'INTEGER') return compareDecimal(String(a), String(b));
  return compareText(String(a), String(b));
}

/** Top values, most frequent first, ties in the typed order of the value (the database's tie order of text is collation-bound). */
export function orderTopValues(type: DataType, rows: { value: ProfileValue; count: number }[]) {
  return [...rows].sort((a, b) => b.count - a.count || compareValues(type, a.value, b.value));
}
