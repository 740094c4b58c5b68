import fs from 'node:fs/promises';
import { workbookMalformed, workbookTooLarge, type XlsxLimits } from './limits.js';
import { checkDeclaredSizes } from './workbook-guard.js';

const END = 0x06054b50,
  CENTRAL = 0x02014b50;
/** Far above what 10,000 entries with long names take; a larger directory is refused unread. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

/**
 * Reads the central directory at the end of a ZIP file on disk and refuses what it declares past
 * the limits (entries, sizes) before a byte is inflated. What the entries really inflate to is
 * counted by the WorkbookGuard while they are read: a directory that lies does not help.
 */
export async function checkZipDirectoryOfFile(file: string, limits: XlsxLimits): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
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
    if (count === 0xffff || length === 0xffffffff || offset === 0xffffffff)
      throw workbookTooLarge('is a ZIP64 package', limits.maxEntryBytes, 'bytes per entry');
    if (count > limits.maxEntries) throw workbookTooLarge(`has ${count.toLocaleString('en-US')} ZIP entries`, limits.maxEntries, 'entries');
    if (length > MAX_DIRECTORY_BYTES)
      throw workbookTooLarge('has a ZIP directory larger than any workbook needs', MAX_DIRECTORY_BYTES, 'bytes of ZIP directory');
    if (offset + length > size) throw workbookMalformed('its ZIP directory points past the end of the file');
    const dir = Buffer.alloc(length);
    await handle.read(dir, 0, length, offset);
    const entries: { name: string; size: number; compressedSize: number }[] = [];
    for (let p = 0, n = 0; n < count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw workbookMalformed('its ZIP directory is damaged');
      const nameLength = dir.readUInt16LE(p + 28);
      entries.push({ name: dir.toString('utf8', p + 46, p + 46 + nameLength), compressedSize: dir.readUInt32LE(p + 20), size: dir.readUInt32LE(p + 24) });
      p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    }
    checkDeclaredSizes(entries, limits);
  } finally {
    await handle.close();
  }
}
