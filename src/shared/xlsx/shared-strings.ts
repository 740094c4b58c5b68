import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { workbookTooLarge, type XlsxLimits } from './limits.js';
import { xmlText, type XmlAttributes, type XmlHandler } from './xml-tokenizer.js';

/** When a table stops being kept in memory. */
export type SpillThreshold = { strings: number; characters: number };

/**
 * A table of 50,000 strings or 8 million characters (16 MB as JS strings) stays in memory; past
 * either it goes to a scratch SQLite file. A million-row sheet of distinct IDs and addresses has
 * millions of shared strings, which in the JS heap cost far more than their characters (exceljs
 * reached 997 MB at 300,000 rows).
 */
export const DEFAULT_SPILL: Readonly<SpillThreshold> = Object.freeze({ strings: 50_000, characters: 8_000_000 });

/** Strings looked up from the scratch file that are kept for the next rows (codes, names, districts repeat). */
const CACHE_SIZE = 65_536;
/** Rows per INSERT when spilling: one statement binds many rows, far fewer calls into SQLite. */
const INSERT_ROWS = 200;
/** Indexes per lookup of scattered strings. */
const LIST_SIZE = 128;

/**
 * The shared-strings table of one workbook (`<si>` elements in order), in memory or spilled to
 * SQLite. Lookups of a spilled table go in batches: the sheet reader collects a batch's indexes
 * and asks once (`resolve`), so a row costs no round trip of its own.
 */
export class SharedStrings {
  private memory: string[] | null = [];
  private characters = 0;
  private db: Database.Database | null = null;
  private file: string | null = null;
  private insert: Database.Statement | null = null;
  private queued: (number | string)[] = [];
  private rangeQuery: Database.Statement | null = null;
  private joinedQuery: Database.Statement | null = null;
  /** No string holds U+0000, so a range can come back as one string joined by it. */
  private nulFree = true;
  private listQuery: Database.Statement | null = null;
  /** Direct-mapped: index i lives in slot i % CACHE_SIZE until another index takes the slot. */
  private readonly cacheKeys = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cacheValues = new Array<string>(CACHE_SIZE);
  count = 0;

  constructor(
    private readonly spill: SpillThreshold = DEFAULT_SPILL,
    private readonly scratchDir: string = os.tmpdir(),
    private readonly scratchPrefix = '',
  ) {}

  /** True once the table lives in the scratch file: lookups must then go through `resolve`. */
  get spilled(): boolean {
    return this.memory === null;
  }

  /** The string at `index` of an in-memory table (undefined past its end). */
  at(index: number): string | undefined {
    return this.memory![index];
  }

  add(text: string): void {
    const index = this.count++;
    this.characters += text.length;
    if (this.nulFree && text.includes('\0')) this.nulFree = false;
    if (this.memory) {
      this.memory.push(text);
      if (this.memory.length > this.spill.strings || this.characters > this.spill.characters) this.spillToDisk();
      return;
    }
    this.queued.push(index, text);
    if (this.queued.length === 2 * INSERT_ROWS) this.flush();
  }

  /** All strings are in: the scratch file is written and ready for lookups. */
  finish(): void {
    if (!this.db) return;
    this.flush();
    this.db.exec('COMMIT');
    this.rangeQuery = this.db.prepare('SELECT i, s FROM sst WHERE i BETWEEN ? AND ?').raw();
    // One value per range instead of one row per string: most of a range's cost was the rows. The
    // ordered subquery runs as a coroutine in rowid order (an ORDER BY inside group_concat sorts).
    if (this.nulFree) {
      this.joinedQuery = this.db.prepare('SELECT group_concat(s, char(0)) FROM (SELECT s FROM sst WHERE i BETWEEN ? AND ? ORDER BY i)').pluck();
    }
    // A fixed list (padded with -1) keeps one prepared statement; SQLite seeks each rowid.
    this.listQuery = this.db.prepare(`SELECT i, s FROM sst WHERE i IN (${'?,'.repeat(LIST_SIZE - 1)}?)`).raw();
  }

  /**
   * The strings at `indexes` of a spilled table, in order (undefined for an index past its end).
   * Dense runs of indexes (strings are numbered in order of first use, so a sheet's new strings
   * mostly are) are read as ranges; scattered ones as lists of rowids.
   */
  resolve(indexes: number[]): (string | undefined)[] {
    const out = new Array<string | undefined>(indexes.length);
    const missing: number[] = [];
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      const slot = i % CACHE_SIZE;
      if (this.cacheKeys[slot] === i) out[k] = this.cacheValues[slot];
      else if (i >= 0 && i < this.count) missing.push(i);
    }
    if (missing.length > 0) {
      const found = new Map<number, string>();
      // Only scattered strings are cached: they are the ones that repeat (codes, common names). A
      // dense run is mostly strings seen for the first time (IDs, addresses), which would evict them.
      const take = (rows: unknown[], cache: boolean) => {
        for (const [i, s] of rows as [number, string][]) {
          found.set(i, s);
          if (cache) this.remember(i, s);
        }
      };
      const sorted = Float64Array.from(missing).sort();
      const list: number[] = [];
      for (let a = 0; a < sorted.length;) {
        // A run: each index at most 4 past the previous one.
        let b = a + 1;
        while (b < sorted.length && sorted[b]! - sorted[b - 1]! <= 4) b++;
        if (b - a >= 32) this.range(sorted[a]!, sorted[b - 1]!, found);
        else for (let k = a; k < b; k++) if (k === a || sorted[k] !== sorted[k - 1]) list.push(sorted[k]!);
        a = b;
      }
      for (let k = 0; k < list.length; k += LIST_SIZE) {
        const chunk = list.slice(k, k + LIST_SIZE);
        while (chunk.length < LIST_SIZE) chunk.push(-1);
        take(this.listQuery!.all(chunk), true);
      }
      for (let k = 0; k < indexes.length; k++) if (out[k] === undefined) out[k] = found.get(indexes[k]!);
    }
    return out;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    if (this.file) fs.rmSync(this.file, { force: true });
    this.file = null;
  }

  /** The strings lo..hi (all exist: indexes below `count` are never missing). */
  private range(lo: number, hi: number, found: Map<number, string>): void {
    const parts = this.joinedQuery ? (this.joinedQuery.get(lo, hi) as string).split('\0') : null;
    if (parts && parts.length === hi - lo + 1) {
      for (let k = 0; k < parts.length; k++) found.set(lo + k, parts[k]!);
      return;
    }
    for (const [i, s] of this.rangeQuery!.all(lo, hi) as [number, string][]) found.set(i, s);
  }

  /**
   * Constant time, whatever the table: a Map evicting its oldest key slowed to milliseconds per
   * lookup, as V8 walks the deleted entries at the front of a Map on each `keys().next()`.
   */
  private remember(i: number, s: string): void {
    const slot = i % CACHE_SIZE;
    this.cacheKeys[slot] = i;
    this.cacheValues[slot] = s;
  }

  private spillToDisk(): void {
    fs.mkdirSync(this.scratchDir, { recursive: true });
    this.file = path.join(this.scratchDir, `${this.scratchPrefix}xlsx-strings-${randomUUID()}.sqlite`);
    const db = new Database(this.file);
    this.db = db;
    // A scratch file: nothing to recover after a crash, so no journal and no fsync; a small page cache.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -8000');
    db.exec('CREATE TABLE sst (i INTEGER PRIMARY KEY, s TEXT NOT NULL)');
    db.exec('BEGIN');
    const memory = this.memory!;
    this.memory = null;
    for (let i = 0; i < memory.length; i++) {
      this.queued.push(i, memory[i]!);
      if (this.queued.length === 2 * INSERT_ROWS) this.flush();
    }
  }

  private flush(): void {
    const n = this.queued.length / 2;
    if (n === 0) return;
    if (n === INSERT_ROWS) {
      this.insert ??= this.db!.prepare(`INSERT INTO sst VALUES ${'(?, ?),'.repeat(INSERT_ROWS - 1)}(?, ?)`);
      this.insert.run(this.queued);
    } else this.db!.prepare(`INSERT INTO sst VALUES ${'(?, ?),'.repeat(n - 1)}(?, ?)`).run(this.queued);
    this.queued = [];
  }
}

/** The `_xHHHH_` escapes of OOXML strings (a control character such as _x000D_, or _x005F_ for '_'). */
export function unescapeOoxml(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Reads xl/sharedStrings.xml into `table`: the text of each `<si>`, rich-text runs joined,
 * phonetic guides (`<rPh>`) left out. Enforces the limits on strings and their characters.
 */
export function sharedStringsHandler(table: SharedStrings, limits: XlsxLimits): XmlHandler & { finish(): void } {
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  let parts = '';
  let characters = 0;
  return {
    open(name: string, _attrs: XmlAttributes) {
      if (name === 'si') {
        if (table.count + 1 > limits.maxSharedStrings) throw workbookTooLarge('has too many shared strings', limits.maxSharedStrings, 'shared strings');
        inSi = true;
        parts = '';
      } else if (name === 't') inT = inSi && phonetic === 0;
      else if (name === 'rPh') phonetic++;
    },
    close(name: string) {
      if (name === 'si') {
        inSi = false;
        table.add(unescapeOoxml(parts));
      } else if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
    },
    text(src: Buffer, start: number, end: number, cdata: boolean) {
      if (!inT) return;
      const text = cdata ? src.toString('utf8', start, end) : xmlText(src, start, end);
      characters += text.length;
      if (characters > limits.maxSharedStringCharacters) {
        throw workbookTooLarge('has too many characters of shared strings', limits.maxSharedStringCharacters, 'characters');
      }
      parts += text;
    },
    finish: () => table.finish(),
  };
}
