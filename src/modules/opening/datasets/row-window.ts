import type { ReadRecord } from '../../collection/index.js';

type Row = ReadRecord;
type Cmp = (a: Row, b: Row) => number;

/**
 * The first `size` rows of a stream, in arrival order (key order) or by a comparator: memory
 * holds at most 2 × size rows (sorted and cut back to size when full), ties keep key order.
 */
export class TopRows {
  private buf: Row[] = [];
  constructor(
    private readonly size: number,
    private readonly cmp: Cmp | null,
  ) {}

  offer(row: Row) {
    if (this.cmp === null) {
      if (this.buf.length < this.size) this.buf.push(row);
      return;
    }
    this.buf.push(row);
    if (this.buf.length >= 2 * this.size) this.cut();
  }

  rows(): Row[] {
    if (this.cmp !== null) this.cut();
    return this.buf;
  }

  private cut() {
    this.buf.sort(this.cmp!);
    this.buf.length = Math.min(this.buf.length, this.size);
  }
}

/** Typed values as the record reader gives them: numbers, exact integers/decimals as text, dates as ISO text; nulls last. */
export function compareValues(a: Row, b: Row, keys: { code: string; desc: boolean }[]): number {
  for (const k of keys) {
    const c = compareOne(a[k.code], b[k.code]);
    if (c !== 0) return k.desc ? -c : c;
  }
  return 0;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

function compareOne(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'boolean' || typeof y === 'boolean') return Number(x) - Number(y);
  const sx = String(x);
  const sy = String(y);
  if ((typeof x === 'number' || NUMERIC.test(sx)) && (typeof y === 'number' || NUMERIC.test(sy))) {
    const d = Number(sx) - Number(sy);
    if (d !== 0) return d;
  }
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/** Case-insensitive substring of any of the text items' values (as presented: masked ones masked). */
export function matchesText(r: Row, items: readonly string[], text: string): boolean {
  const needle = text.toLowerCase();
  return items.some((code) => {
    const v = r[code];
    return typeof v === 'string' && v.toLowerCase().includes(needle);
  });
}
