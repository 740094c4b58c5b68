import { Readable, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';
import { readRange, type ZipEntry, type ZipSource } from './zip-directory.js';

const LOCAL = 0x04034b50;
/** Inflated pieces of 64 KiB: fewer hand-overs to the tokenizer than zlib's default 16 KiB. */
const INFLATE_CHUNK = 64 * 1024;

/** Inflated bytes of all entries read from one package, against `maxUnzippedBytes`. */
export type UnzipBudget = { unzipped: number };

/**
 * Streams one entry's inflated bytes, counting them against the limits as they come: the entry's
 * own (`limit`) and the package's total. zlib inflates off the main thread, a piece at a time,
 * so memory stays at a few pieces whatever the entry's size.
 */
export async function* entryBytes(zip: ZipSource, entry: ZipEntry, limit: number, limits: XlsxLimits, budget: UnzipBudget): AsyncGenerator<Buffer> {
  if (entry.flags & 0x01) throw workbookMalformed(`${entry.name} is encrypted (save the workbook without a password)`);
  if (entry.method !== 0 && entry.method !== 8)
    throw workbookMalformed(`${entry.name} uses ZIP compression method ${entry.method}, which spreadsheet programs do not write`);
  const head = await zip.read(entry.localOffset, 30);
  if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw workbookMalformed(`the ZIP directory points to no entry for ${entry.name}`);
  const start = entry.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + entry.compressedSize > zip.size) throw workbookMalformed(`${entry.name} runs past the end of the file (a truncated upload?)`);
  const raw = readRange(zip, start, entry.compressedSize);
  let bytes = 0;
  const count = (n: number) => {
    bytes += n;
    budget.unzipped += n;
    if (bytes > limit) throw workbookTooLarge(`unzips ${entry.name} to more than ${limit.toLocaleString('en-US')} bytes`, limit, 'bytes for that entry');
    // Writers state sizes exactly; one that lies would slip past the checks made on what it declares.
    if (bytes > entry.size) {
      throw workbookTooLarge(
        `unzips ${entry.name} to more than the ${entry.size.toLocaleString('en-US')} bytes its ZIP directory declares`,
        entry.size,
        'bytes for that entry',
      );
    }
    if (budget.unzipped > limits.maxUnzippedBytes) throw workbookTooLarge('unzips to more bytes than are read', limits.maxUnzippedBytes, 'bytes unzipped');
  };
  if (entry.method === 0) {
    for await (const piece of raw) {
      count(piece.length);
      yield piece;
    }
    return;
  }
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  // Errors reach the loop below through the inflater, which pipeline destroys with them.
  pipeline(Readable.from(raw), inflater, () => undefined);
  try {
    for await (const piece of inflater as AsyncIterable<Buffer>) {
      count(piece.length);
      yield piece;
    }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('Z_')) throw workbookMalformed(`${entry.name} is not valid deflate data (a damaged or truncated file?)`);
    throw error;
  } finally {
    inflater.destroy();
  }
}
