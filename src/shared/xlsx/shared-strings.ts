import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workbookTooLarge, type XlsxLimits } from './limits.js';
import { xmlText, type XmlAttributes, type XmlHandler } from './xml-tokenizer.js';

/** How much of a table is kept in memory: its first `bytes` of UTF-8; the rest goes to a scratch file. */
export type SpillThreshold = { bytes: number };

/**
 * The first 4 MB of a table's UTF-8 stay in memory (outside the JS heap), the rest in a scratch
 * file. Strings are numbered in order of first use, so the ones a sheet repeats most (codes,
 * districts, common names) are mostly among the first and stay in memory.
 */
export const DEFAULT_SPILL: Readonly<SpillThreshold> = Object.freeze({ bytes: 4 * 1024 * 1024 });

/** Decoded strings kept for the next rows (codes, names, districts repeat): those looked up twice (see `admit`). */
const CACHE_SIZE = 131_072;
/** Bytes written to the scratch file at once. */
const WRITE_BYTES = 1024 * 1024;
/** Spilled strings closer than this in the file are read with one read. */
const READ_GAP = 16 * 1024;
/** At most this many bytes per read of the scratch file. */
const READ_BYTES = 1024 * 1024;
/** Strings per entry of the index (a power of two). */
const BLOCK_BITS = 4;
const BLOCK = 1 << BLOCK_BITS;
/** Positions are 32-bit: a table past 4 GiB of UTF-8 is refused (the default limits stop far below). */
const MAX_TABLE_BYTES = 0xffff_ffff;

/**
 * The shared-strings table of one workbook (`<si>` elements in order) as UTF-8 bytes, each string
 * after its length (a LEB128 varint), and the position of every 16th string: no JS object per
 * string and 4 bytes of index per 16 strings. A lookup walks at most 15 lengths from its block's
 * start and decodes the one string. The bytes up to the spill threshold are one Buffer (external
 * memory, not the JS heap); past it they are appended to a scratch file and read back a batch at a
 * time (`resolve`), the sheet reader collecting a batch's indexes so a row costs no read of its
 * own. The page cache, not this process, holds the file's bytes.
 */
export class SharedStrings {
  private memory: Buffer = Buffer.allocUnsafe(0);
  /** Bytes of the strings in memory: a string starting before it is there, whole. */
  private memoryBytes = 0;
  /** Position of string 16·b, counted over memory and file together. */
  private blocks = new Uint32Array(64);
  /** All bytes of the table so far, memory and file. */
  private total = 0;
  private fd: number | null = null;
  private file: string | null = null;
  private fileBytes = 0;
  private pending: Buffer | null = null;
  private pendingBytes = 0;
  private readBuffer: Buffer | null = null;
  /** Direct-mapped: index i lives in slot i % CACHE_SIZE until another index takes the slot. */
  private readonly cacheKeys = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cacheValues = new Array<string>(CACHE_SIZE);
  /** One bit per string, set at its first lookup: a string enters the cache at its second. */
  private seen = new Uint8Array(0);
  count = 0;

  constructor(
    private readonly spill: SpillThreshold = DEFAULT_SPILL,
    private readonly scratchDir: string = os.tmpdir(),
    private readonly scratchPrefix = '',
  ) {}

  /** True once part of the table lives in the scratch file: lookups past memory go through `resolve`. */
  get spilled(): boolean {
    return this.file !== null;
  }

  /** Room for `n` strings (the `uniqueCount` a writer declared), so the index is not copied as it grows. */
  reserve(n: number): void {
    if ((n >>> BLOCK_BITS) + 1 > this.blocks.length) this.growBlocks((n >>> BLOCK_BITS) + 1);
  }

  /** The string at `index` when it needs no read of the scratch file; undefined when it does (or past the end). */
  peek(index: number): string | undefined {
    const slot = index & (CACHE_SIZE - 1);
    if (this.cacheKeys[slot] === index) return this.cacheValues[slot];
    if (index >= this.count) return undefined;
    const m = this.memory;
    const limit = this.memoryBytes;
    let pos = this.blocks[index >>> BLOCK_BITS]!;
    for (let k = index & (BLOCK - 1); ; k--) {
      if (pos >= limit) return undefined;
      let length = 0;
      let scale = 1;
      let b: number;
      do {
        b = m[pos++]!;
        length += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
      if (k === 0) {
        const text = m.toString('utf8', pos, pos + length);
        this.admit(index, text);
        return text;
      }
      pos += length;
    }
  }

  /** Appends a string given as UTF-8 bytes [start, end) of `src`. */
  addBytes(src: Uint8Array, start: number, end: number): void {
    const length = end - start;
    let head = 1;
    for (let n = length; n >= 0x80; n = Math.floor(n / 128)) head++;
    const at = this.reserveBytes(head + length);
    const out = at.buffer;
    let p = at.offset;
    for (let n = length; ; n = Math.floor(n / 128)) {
      if (n < 0x80) {
        out[p++] = n;
        break;
      }
      out[p++] = (n & 0x7f) | 0x80;
    }
    if (length <= 32) for (let k = 0; k < length; k++) out[p + k] = src[start + k]!;
    else out.set(src.subarray(start, end), p);
  }

  add(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.addBytes(bytes, 0, bytes.length);
  }

  /** All strings are in: the scratch file is written and ready for lookups. */
  finish(): void {
    this.flush();
    this.seen = new Uint8Array((this.count >>> 3) + 1);
  }

  /**
   * The strings at `indexes`, in order (undefined for an index past the end). Strings are numbered
   * in order of first use, so a batch's new strings are mostly one dense run of the file: nearby
   * blocks are read together, a megabyte at most per read (more only for one huge block).
   */
  resolve(indexes: number[]): (string | undefined)[] {
    const out = new Array<string | undefined>(indexes.length);
    const missing: number[] = [];
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      const text = i >= 0 ? this.peek(i) : undefined;
      if (text !== undefined) out[k] = text;
      else if (i >= 0 && i < this.count) missing.push(i);
    }
    if (missing.length === 0) return out;
    this.flush();
    const sorted = Float64Array.from(missing).sort();
    const found = new Map<number, string>();
    for (let a = 0; a < sorted.length;) {
      const from = this.blocks[sorted[a]! >>> BLOCK_BITS]!;
      let to = this.blockEnd(sorted[a]! >>> BLOCK_BITS);
      let b = a + 1;
      while (b < sorted.length) {
        const block = sorted[b]! >>> BLOCK_BITS;
        const end = this.blockEnd(block);
        if (this.blocks[block]! - to > READ_GAP || end - from > READ_BYTES) break;
        if (end > to) to = end;
        b++;
      }
      const buffer = this.read(from, to);
      // Walk forward through the bytes read: from a block's start, or on from the previous string.
      let at = -1;
      let pos = 0;
      for (let k = a; k < b; k++) {
        const i = sorted[k]!;
        if (i === at) continue;
        if (at < 0 || i - at > BLOCK) {
          at = i & ~(BLOCK - 1);
          pos = this.blocks[i >>> BLOCK_BITS]! - from;
        }
        for (;;) {
          const stringStart = pos;
          let length = 0;
          let scale = 1;
          let x: number;
          do {
            x = buffer[pos++]!;
            length += (x & 0x7f) * scale;
            scale *= 128;
          } while (x & 0x80);
          if (at === i) {
            const text = buffer.toString('utf8', pos, pos + length);
            found.set(i, text);
            this.admit(i, text);
            pos = stringStart; // the walk goes on from this string
            break;
          }
          pos += length;
          at++;
        }
      }
      a = b;
    }
    for (let k = 0; k < indexes.length; k++) if (out[k] === undefined) out[k] = found.get(indexes[k]!);
    return out;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    if (this.file) fs.rmSync(this.file, { force: true });
    this.file = null;
    this.memory = Buffer.allocUnsafe(0);
    this.pending = null;
    this.readBuffer = null;
  }

  /**
   * Caches a string looked up for the second time. Most strings of a big table are used once (an
   * ID number, a timestamp): caching each at its first lookup evicted the repeated ones (names,
   * dates, codes) every 65,536 new strings, and each repeat then cost a read of the scratch file.
   */
  private admit(index: number, text: string): void {
    const byte = index >>> 3;
    const bit = 1 << (index & 7);
    if (byte >= this.seen.length) return;
    if (this.seen[byte]! & bit) {
      this.cacheKeys[index & (CACHE_SIZE - 1)] = index;
      this.cacheValues[index & (CACHE_SIZE - 1)] = text;
    } else this.seen[byte]! |= bit;
  }

  /** Where block `b`'s last string ends. */
  private blockEnd(b: number): number {
    return (b + 1) << BLOCK_BITS < this.count ? this.blocks[b + 1]! : this.total;
  }

  /** Bytes [from, to) of the table: from memory as far as they are there, the rest from the file. */
  private read(from: number, to: number): Buffer {
    const length = to - from;
    if (!this.readBuffer || this.readBuffer.length < length) this.readBuffer = Buffer.allocUnsafe(Math.max(length, 64 * 1024));
    let at = 0;
    if (from < this.memoryBytes) {
      at = Math.min(to, this.memoryBytes) - from;
      this.memory.copy(this.readBuffer, 0, from, from + at);
    }
    while (at < length) {
      const n = fs.readSync(this.fd!, this.readBuffer, at, length - at, from + at - this.memoryBytes);
      if (n === 0) throw new Error('the scratch file of shared strings ended early');
      at += n;
    }
    return this.readBuffer;
  }

  /** Room for the next string's `size` bytes (length and text): in memory while it fits the threshold, else in the file's write buffer. */
  private reserveBytes(size: number): { buffer: Buffer; offset: number } {
    if (this.total + size > MAX_TABLE_BYTES) throw workbookTooLarge('has more bytes of shared strings than are read', MAX_TABLE_BYTES, 'bytes');
    const index = this.count++;
    if ((index & (BLOCK - 1)) === 0) {
      const b = index >>> BLOCK_BITS;
      if (b === this.blocks.length) this.growBlocks(2 * b);
      this.blocks[b] = this.total;
    }
    const start = this.total;
    this.total += size;
    if (this.file === null && this.total <= this.spill.bytes) {
      if (this.total > this.memory.length) this.growMemory();
      this.memoryBytes = this.total;
      return { buffer: this.memory, offset: start };
    }
    if (this.file === null) this.openFile();
    if (this.pendingBytes + size > this.pending!.length) {
      this.flush();
      if (size > this.pending!.length) this.pending = Buffer.allocUnsafe(size);
    }
    const offset = this.pendingBytes;
    this.pendingBytes += size;
    return { buffer: this.pending!, offset };
  }

  /**
   * Doubles the memory part, up to the threshold; from 1 MB on, straight to the threshold: one
   * allocation whose pages count only once written, and no copies left behind for the allocator
   * to keep (a 32 MB table grown by doubling cost twice that in RSS).
   */
  private growMemory(): void {
    const size = this.memory.length >= 1024 * 1024 ? this.spill.bytes : Math.min(this.spill.bytes, Math.max(this.total, 2 * this.memory.length, 64 * 1024));
    const grown = Buffer.allocUnsafeSlow(size);
    this.memory.copy(grown, 0, 0, this.memoryBytes);
    this.memory = grown;
  }

  private growBlocks(n: number): void {
    const grown = new Uint32Array(Math.max(n, 64));
    grown.set(this.blocks);
    this.blocks = grown;
  }

  private openFile(): void {
    fs.mkdirSync(this.scratchDir, { recursive: true });
    this.file = path.join(this.scratchDir, `${this.scratchPrefix}xlsx-strings-${randomUUID()}.bin`);
    this.fd = fs.openSync(this.file, 'w+', 0o600);
    // From here on every string goes to the file, however short, so that strings stay in order.
    this.pending = Buffer.allocUnsafe(WRITE_BYTES);
  }

  private flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    let at = 0;
    while (at < this.pendingBytes) at += fs.writeSync(this.fd, this.pending!, at, this.pendingBytes - at, this.fileBytes + at);
    this.fileBytes += this.pendingBytes;
    this.pendingBytes = 0;
  }
}

/** The `_xHHHH_` escapes of OOXML strings (a control character such as _x000D_, or _x005F_ for '_'). */
export function unescapeOoxml(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const AMP = 0x26,
  UNDERSCORE = 0x5f;

/**
 * Reads xl/sharedStrings.xml into `table`: the text of each `<si>`, rich-text runs joined,
 * phonetic guides (`<rPh>`) left out. Enforces the limits on strings and their characters. A
 * string's bytes go to the table as they are unless they hold an entity or an `_xHHHH_` escape
 * (then it is decoded and encoded again).
 */
export function sharedStringsHandler(table: SharedStrings, limits: XlsxLimits): XmlHandler & { finish(): void } {
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  /** The `<si>`'s bytes so far, while none needed decoding. */
  let raw = Buffer.allocUnsafe(4096);
  let rawBytes = 0;
  /** The `<si>`'s text once a piece needed decoding (then `raw` is no longer used). */
  let decoded: string | null = null;
  let characters = 0;
  return {
    open(name: string, attrs: XmlAttributes) {
      if (name === 'si') {
        if (table.count + 1 > limits.maxSharedStrings) throw workbookTooLarge('has too many shared strings', limits.maxSharedStrings, 'shared strings');
        inSi = true;
        rawBytes = 0;
        decoded = null;
      } else if (name === 't') inT = inSi && phonetic === 0;
      else if (name === 'rPh') phonetic++;
      else if (name === 'sst') {
        // A hint only: the limit is enforced per <si> whatever the writer declared.
        const unique = Number(attrs.get('uniqueCount') ?? attrs.get('count'));
        if (Number.isInteger(unique) && unique > 0) table.reserve(Math.min(unique, limits.maxSharedStrings));
      }
    },
    close(name: string) {
      if (name === 'si') {
        inSi = false;
        if (decoded === null) table.addBytes(raw, 0, rawBytes);
        else table.add(unescapeOoxml(decoded));
      } else if (name === 't') inT = false;
      else if (name === 'rPh') phonetic--;
    },
    text(src: Buffer, start: number, end: number, cdata: boolean) {
      if (!inT) return;
      let plain = true;
      let chars = 0;
      for (let p = start; p < end; p++) {
        const b = src[p]!;
        if ((b & 0xc0) !== 0x80) chars += b >= 0xf0 ? 2 : 1; // UTF-16 units, as String.length counts
        if (b === UNDERSCORE || (b === AMP && !cdata)) plain = false;
      }
      if (!plain && decoded === null) decoded = raw.toString('utf8', 0, rawBytes);
      if (decoded !== null) {
        const text = cdata ? src.toString('utf8', start, end) : xmlText(src, start, end);
        chars = text.length;
        decoded += text;
      } else {
        if (rawBytes + end - start > raw.length) {
          const grown = Buffer.allocUnsafe(Math.max(2 * raw.length, rawBytes + end - start));
          raw.copy(grown, 0, 0, rawBytes);
          raw = grown;
        }
        for (let p = start; p < end; p++) raw[rawBytes++] = src[p]!;
      }
      characters += chars;
      if (characters > limits.maxSharedStringCharacters) {
        throw workbookTooLarge('has too many characters of shared strings', limits.maxSharedStringCharacters, 'characters');
      }
    },
    finish: () => table.finish(),
  };
}
