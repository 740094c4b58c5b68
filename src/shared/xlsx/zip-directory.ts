import fs from 'node:fs/promises';
import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';
import { checkDeclaredSizes } from './workbook-guard.js';

const END = 0x06054b50,
  CENTRAL = 0x02014b50;
/** Far above what 10,000 entries with long names take; a larger directory is refused unread. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
/** Read size when an entry is streamed from disk: the kernel's read-ahead does the rest. */
const READ_BYTES = 256 * 1024;

/** Random access to the bytes of a ZIP package: a file on disk or bytes in memory. */
export interface ZipSource {
  readonly size: number;
  /** Bytes read so far (progress of a load). */
  readonly bytesRead: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** One entry as the central directory declares it. */
export type ZipEntry = { name: string; flags: number; method: number; compressedSize: number; size: number; localOffset: number };

export async function openZipFile(file: string): Promise<ZipSource> {
  const handle = await fs.open(file, 'r');
  const size = (await handle.stat()).size;
  let bytesRead = 0;
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    async read(position, length) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
      let at = 0;
      while (at < out.length) {
        const { bytesRead: n } = await handle.read(out, at, out.length - at, position + at);
        if (n === 0) break;
        at += n;
      }
      bytesRead += at;
      return at === out.length ? out : out.subarray(0, at);
    },
    close: () => handle.close(),
  };
}

export function zipOfBytes(bytes: Uint8Array): ZipSource {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let bytesRead = 0;
  return {
    size: buf.length,
    get bytesRead() {
      return bytesRead;
    },
    read: async (position, length) => {
      const out = buf.subarray(position, Math.min(buf.length, position + length));
      bytesRead += out.length;
      return out;
    },
    close: async () => undefined,
  };
}

/** The compressed bytes of `length` from `position`, in pieces. */
export async function* readRange(zip: ZipSource, position: number, length: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < length;) {
    const piece = await zip.read(position + at, Math.min(READ_BYTES, length - at));
    if (piece.length === 0) throw workbookMalformed('an entry runs past the end of the file (a truncated upload?)');
    at += piece.length;
    yield piece;
  }
}

/**
 * Reads the central directory at the end of a ZIP package and refuses what it declares past the
 * limits (entries, sizes) before a byte is inflated. What the entries really inflate to is
 * counted while they are read (zip-entry.ts): a directory that lies does not help.
 */
export async function readZipDirectory(zip: ZipSource, limits: XlsxLimits): Promise<ZipEntry[]> {
  const size = zip.size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await zip.read(size - tailLength, tailLength);
  let end = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw workbookMalformed('the ZIP directory at its end is missing (a truncated upload?)');
  const count = tail.readUInt16LE(end + 10);
  const length = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || length === 0xffffffff || offset === 0xffffffff) throw workbookTooLarge('is a ZIP64 package', limits.maxEntryBytes, 'bytes per entry');
  if (count > limits.maxEntries) throw workbookTooLarge(`has ${count.toLocaleString('en-US')} ZIP entries`, limits.maxEntries, 'entries');
  if (length > MAX_DIRECTORY_BYTES) throw workbookTooLarge('has a ZIP directory larger than any workbook needs', MAX_DIRECTORY_BYTES, 'bytes of ZIP directory');
  if (offset + length > size) throw workbookMalformed('its ZIP directory points past the end of the file');
  const dir = await zip.read(offset, length);
  const entries: ZipEntry[] = [];
  for (let p = 0, n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw workbookMalformed('its ZIP directory is damaged');
    const nameLength = dir.readUInt16LE(p + 28);
    entries.push({
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      flags: dir.readUInt16LE(p + 8),
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  checkDeclaredSizes(entries, limits);
  return entries;
}
