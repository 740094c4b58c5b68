import { once } from 'node:events';
import { constants, createInflateRaw, type InflateRaw } from 'node:zlib';
import type { AppError } from '../../errors.js';
import { workbookMalformed, workbookReadError, workbookTooLarge, type XlsxLimits } from './limits.js';
import { XmlScan, type PartKind, type WorkbookCounts } from './xml-scan.js';

const LOCAL = 0x04034b50,
  CENTRAL = 0x02014b50,
  END = 0x06054b50,
  DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/**
 * Which parts exceljs's streaming reader parses, and as what (its own tests of entry paths,
 * unanchored regexes included). Other entries it drains: they only count towards the sizes.
 */
function partOf(path: string, styles: boolean): PartKind | 'drained' {
  if (path === 'xl/sharedStrings.xml') return 'sharedStrings';
  if (/xl\/worksheets\/sheet\d+[.]xml/.test(path)) return 'worksheet';
  if (path === 'xl/workbook.xml' || path === 'xl/_rels/workbook.xml.rels' || (styles && path === 'xl/styles.xml')) return 'other';
  if (/xl\/worksheets\/_rels\/sheet\d+[.]xml.rels/.test(path)) return 'other';
  return 'drained';
}

/** Sizes a ZIP declares (its central directory): refused before anything is inflated. */
export function checkDeclaredSizes(entries: { name: string; size: number; compressedSize: number }[], limits: XlsxLimits): void {
  if (entries.length > limits.maxEntries) throw workbookTooLarge(`has ${entries.length.toLocaleString('en-US')} ZIP entries`, limits.maxEntries, 'entries');
  let total = 0;
  for (const e of entries) {
    if (e.size === 0xffffffff || e.compressedSize === 0xffffffff) throw workbookTooLarge('is a ZIP64 package', limits.maxEntryBytes, 'bytes per entry');
    if (e.size > limits.maxEntryBytes)
      throw workbookTooLarge(`declares ${e.name} as ${e.size.toLocaleString('en-US')} bytes unzipped`, limits.maxEntryBytes, 'bytes per entry');
    total += e.size;
  }
  if (total > limits.maxUnzippedBytes)
    throw workbookTooLarge(`declares ${total.toLocaleString('en-US')} bytes unzipped`, limits.maxUnzippedBytes, 'bytes unzipped');
}

type Mode = 'sig' | 'local' | 'name' | 'data' | 'scan' | 'descriptor' | 'central' | 'end' | 'skip' | 'done';

/**
 * Walks the raw bytes of an XLSX in front of exceljs, the way exceljs's unzipper does (local
 * headers in order; an entry without sizes ends at the first data-descriptor signature),
 * inflates every entry itself and counts what comes out: sizes are enforced on the inflated
 * bytes, so a header that lies does not help. `write` resolves only once the chunk's bytes have
 * been inflated and scanned, so exceljs is never handed bytes the guard has not checked.
 */
export class WorkbookGuard {
  failure: AppError | null = null;
  /** Those waiting in until(): told at once when the guard fails. */
  private readonly waiters = new Set<(e: AppError) => void>();
  private mode: Mode = 'sig';
  private head = Buffer.alloc(46);
  private headNeed = 4;
  private headHave = 0;
  private remaining = 0;
  private held: Buffer = Buffer.alloc(0);
  private reachedCentral = false;
  private entry: EntrySink | null = null;
  private entries = 0;
  private nameLength = 0;
  private extraLength = 0;
  private local = { flags: 0, method: 0, compressedSize: 0, size: 0 };
  unzipped = 0;
  declared = 0;
  readonly counts: WorkbookCounts = { sharedStrings: 0, sharedCharacters: 0 };

  constructor(
    readonly limits: XlsxLimits,
    private readonly options: { styles: boolean },
  ) {}

  /**
   * `p`, or the guard's failure if that comes first (exceljs then waits forever for bytes that
   * will not come). A set of waiters rather than Promise.race with one long-lived promise: each
   * race would leave a reaction on it, one per row read.
   */
  until<T>(p: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiters.add(reject);
      p.then(
        (v) => {
          this.waiters.delete(reject);
          resolve(v);
        },
        (e: unknown) => {
          this.waiters.delete(reject);
          reject(e);
        },
      );
    });
  }

  fail(error: unknown): AppError {
    if (!this.failure) {
      this.failure = workbookReadError(error);
      this.entry?.destroy();
      for (const wake of this.waiters) wake(this.failure);
      this.waiters.clear();
    }
    return this.failure;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      await this.walk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      await this.entry?.flush();
    } catch (error) {
      throw this.fail(error);
    }
    if (this.failure) throw this.failure;
  }

  /** The input ended: it must not end inside an entry or a header. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.mode !== 'sig' && this.mode !== 'done') throw this.fail(workbookMalformed('the file ends in the middle of a ZIP entry (a truncated upload?)'));
  }

  private expect(mode: Mode, bytes: number): void {
    this.mode = mode;
    this.headNeed = bytes;
    this.headHave = 0;
  }

  private async walk(buf: Buffer): Promise<void> {
    let p = 0;
    while (p < buf.length && !this.failure) {
      switch (this.mode) {
        case 'done':
          return;
        case 'skip': {
          const n = Math.min(this.remaining, buf.length - p);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) await this.skipped();
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, buf.length - p);
          if (n > 0) this.entry!.write(buf.subarray(p, p + n));
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) await this.endEntry();
          break;
        }
        case 'scan': {
          const data = this.held.length ? Buffer.concat([this.held, buf.subarray(p)]) : buf.subarray(p);
          const at = data.indexOf(DESCRIPTOR);
          if (at < 0) {
            const keep = Math.min(3, data.length);
            if (data.length > keep) this.entry!.write(data.subarray(0, data.length - keep));
            this.held = Buffer.from(data.subarray(data.length - keep));
            return;
          }
          if (at > 0) this.entry!.write(data.subarray(0, at));
          this.held = Buffer.alloc(0);
          await this.endEntry('descriptor');
          // The signature is part of the 16-byte descriptor that follows.
          buf = data;
          p = at;
          break;
        }
        default: {
          const n = Math.min(this.headNeed - this.headHave, buf.length - p);
          buf.copy(this.head, this.headHave, p, p + n);
          this.headHave += n;
          p += n;
          if (this.headHave === this.headNeed) await this.header();
        }
      }
    }
  }

  private afterSkip: 'sig' | 'data' | 'done' = 'sig';

  private async skip(bytes: number, then: 'sig' | 'data' | 'done'): Promise<void> {
    this.afterSkip = then;
    this.mode = 'skip';
    this.remaining = bytes;
    if (bytes === 0) await this.skipped();
  }

  private async skipped(): Promise<void> {
    if (this.afterSkip === 'data') await this.startData();
    else if (this.afterSkip === 'done') this.mode = 'done';
    else this.expect('sig', 4);
  }

  private async header(): Promise<void> {
    const h = this.head;
    switch (this.mode) {
      case 'sig': {
        const sig = h.readUInt32LE(0);
        if (sig === LOCAL) {
          if (this.reachedCentral) throw workbookMalformed('a ZIP entry follows the ZIP directory');
          this.expect('local', 26);
        } else if (sig === CENTRAL) {
          this.reachedCentral = true;
          this.expect('central', 42);
        } else if (sig === END) this.expect('end', 18);
        else if (this.reachedCentral) this.mode = 'done';
        else throw workbookMalformed('it is not a ZIP package where an entry should begin');
        return;
      }
      case 'local': {
        this.local = { flags: h.readUInt16LE(2), method: h.readUInt16LE(4), compressedSize: h.readUInt32LE(14), size: h.readUInt32LE(18) };
        this.nameLength = h.readUInt16LE(22);
        this.extraLength = h.readUInt16LE(24);
        if (++this.entries > this.limits.maxEntries) throw workbookTooLarge('has too many ZIP entries', this.limits.maxEntries, 'entries');
        if (this.nameLength > this.head.length) this.head = Buffer.alloc(Math.max(this.nameLength, 46));
        this.expect('name', this.nameLength);
        if (this.nameLength === 0) await this.header();
        return;
      }
      case 'name': {
        const name = h.toString('utf8', 0, this.nameLength);
        this.startEntry(name);
        await this.skip(this.extraLength, 'data');
        return;
      }
      case 'descriptor':
        this.expect('sig', 4);
        return;
      case 'central':
        await this.skip(h.readUInt16LE(24) + h.readUInt16LE(26) + h.readUInt16LE(28), 'sig');
        return;
      case 'end':
        await this.skip(h.readUInt16LE(16), 'done');
        return;
      default:
        return;
    }
  }

  private startEntry(name: string): void {
    const { size, compressedSize } = this.local;
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw workbookTooLarge('is a ZIP64 package', this.limits.maxEntryBytes, 'bytes per entry');
    const kind = partOf(name, this.options.styles);
    const limit = kind === 'other' ? this.limits.maxOtherPartBytes : this.limits.maxEntryBytes;
    if (size > limit) throw workbookTooLarge(`declares ${name} as ${size.toLocaleString('en-US')} bytes unzipped`, limit, 'bytes for that entry');
    this.declared += size;
    if (this.declared > this.limits.maxUnzippedBytes)
      throw workbookTooLarge('declares more bytes unzipped than are read', this.limits.maxUnzippedBytes, 'bytes unzipped');
    this.entry = new EntrySink(this, name, kind === 'drained' ? null : new XmlScan(name, kind, this.limits, this.counts), limit, this.local.method !== 0);
  }

  private async startData(): Promise<void> {
    const { flags, compressedSize } = this.local;
    // unzipper's rule: sizes are known unless bit 3 is set and the header left them 0.
    if (!(flags & 0x08) || compressedSize > 0) {
      this.mode = 'data';
      this.remaining = compressedSize;
      if (compressedSize === 0) await this.endEntry();
    } else {
      this.mode = 'scan';
      this.held = Buffer.alloc(0);
    }
  }

  private async endEntry(next: 'sig' | 'descriptor' = 'sig'): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    if (next === 'descriptor') this.expect('descriptor', 16);
    else this.expect('sig', 4);
    if (entry) await entry.end();
  }

  count(name: string, bytes: number, limit: number, entryBytes: number): void {
    this.unzipped += bytes;
    if (entryBytes > limit) throw workbookTooLarge(`unzips ${name} to more than ${limit.toLocaleString('en-US')} bytes`, limit, 'bytes for that entry');
    if (this.unzipped > this.limits.maxUnzippedBytes)
      throw workbookTooLarge('unzips to more bytes than are read', this.limits.maxUnzippedBytes, 'bytes unzipped');
  }
}

/** One entry's inflated bytes: counted, and scanned when exceljs parses that part. */
class EntrySink {
  private bytes = 0;
  private readonly inflater: InflateRaw | null;

  constructor(
    private readonly guard: WorkbookGuard,
    private readonly name: string,
    private readonly scan: XmlScan | null,
    private readonly limit: number,
    compressed: boolean,
  ) {
    if (!compressed) {
      this.inflater = null;
      return;
    }
    const inflater = createInflateRaw();
    inflater.on('readable', () => this.drain());
    inflater.on('error', (err) => this.guard.fail(workbookMalformed(`${this.name} is not valid deflate data (${err.message})`)));
    this.inflater = inflater;
  }

  write(data: Buffer): void {
    if (this.inflater) this.inflater.write(data);
    else this.take(data);
  }

  private drain(): void {
    if (!this.inflater) return;
    try {
      let out: Buffer | null;
      while (!this.guard.failure && (out = this.inflater.read() as Buffer | null) !== null) this.take(out);
    } catch (error) {
      this.guard.fail(error);
    }
  }

  private take(out: Buffer): void {
    this.bytes += out.length;
    this.guard.count(this.name, out.length, this.limit, this.bytes);
    this.scan?.write(out);
  }

  /** Resolves once every byte written so far has been inflated and scanned. */
  async flush(): Promise<void> {
    const inflater = this.inflater;
    if (!inflater || inflater.destroyed) return;
    await this.guard.until(new Promise<void>((resolve) => inflater.flush(constants.Z_SYNC_FLUSH, () => resolve())));
    this.drain();
  }

  async end(): Promise<void> {
    const inflater = this.inflater;
    if (inflater && !inflater.destroyed) {
      const ended = once(inflater, 'end');
      inflater.end();
      await this.guard.until(ended);
    }
    if (this.guard.failure) throw this.guard.failure;
    this.scan?.end();
  }

  destroy(): void {
    this.inflater?.destroy();
  }
}
