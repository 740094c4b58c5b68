import { Readable } from 'node:stream';
import { AppError } from '../../../errors.js';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { checkDeclaredSizes } from '../../../shared/xlsx/workbook-guard.js';
import { DEFAULT_XLSX_LIMITS, workbookMalformed, workbookTooLarge, type XlsxLimits } from '../../../shared/xlsx/limits.js';

/**
 * Just enough of the XLSX package (a ZIP of XML parts) to learn what exceljs's streaming reader
 * does not tell: the sheet names in workbook order and each sheet's merged ranges. The streaming
 * reader leaves the cells of a merge blank except the top-left one, and <mergeCells> comes after
 * <sheetData> in the sheet XML, so the importer reads it first with this pass.
 */
type Entry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

export type Merge = { top: number; left: number; bottom: number; right: number };
export type SheetRef = { name: string; path: string };

export class NotXlsx extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function directory(buf: Buffer, limits: XlsxLimits): Map<string, Entry> {
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL) throw new NotXlsx('not a ZIP package');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new NotXlsx('the ZIP directory is missing (truncated upload?)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, Entry>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new NotXlsx('the ZIP directory is damaged');
    const nameLength = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, {
      name,
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  // What the directory declares is refused before anything is inflated; what is inflated is capped too.
  checkDeclaredSizes([...entries.values()], limits);
  return entries;
}

function rawData(buf: Buffer, e: Entry): Buffer {
  if (e.compressedSize === 0xffffffff || e.localOffset === 0xffffffff) throw new NotXlsx('ZIP64 packages are not supported');
  if (buf.readUInt32LE(e.localOffset) !== LOCAL) throw new NotXlsx(`the ZIP entry ${e.name} is damaged`);
  const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  return buf.subarray(start, start + e.compressedSize);
}

function readText(buf: Buffer, e: Entry, limits: XlsxLimits): string {
  const data = rawData(buf, e);
  if (e.method === 0) return data.toString('utf8');
  try {
    return inflateRawSync(data, { maxOutputLength: limits.maxOtherPartBytes }).toString('utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw workbookTooLarge(`unzips ${e.name} to more than ${limits.maxOtherPartBytes} bytes`, limits.maxOtherPartBytes, 'bytes for that entry');
    throw workbookMalformed(`${e.name} is not valid deflate data`);
  }
}

const decodeXml = (s: string) =>
  s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_m, hex: string, dec: string, named: string) =>
    hex
      ? String.fromCodePoint(parseInt(hex, 16))
      : dec
        ? String.fromCodePoint(Number(dec))
        : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[named]!,
  );
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]!) : undefined;
};

export type XlsxPackage = {
  sheets: SheetRef[];
  /** The merged ranges of a sheet, 1-based. */
  merges(sheet: SheetRef): Promise<Merge[]>;
};

/** Opens the package of an XLSX file; throws NotXlsx for anything else (XLS, CSV, a renamed ZIP). */
export function openXlsxPackage(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): XlsxPackage {
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) {
    throw new NotXlsx('this is an Excel 97–2003 (.xls) or password-protected file; save it as .xlsx');
  }
  const entries = directory(buf, limits);
  const workbook = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new NotXlsx('the ZIP package holds no Excel workbook');
  const targets = new Map<string, string>();
  for (const tag of readText(buf, rels, limits).match(/<(?:\w+:)?Relationship\s[^>]*>/g) ?? []) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: SheetRef[] = [];
  for (const tag of readText(buf, workbook, limits).match(/<(?:\w+:)?sheet\s[^>]*>/g) ?? []) {
    const name = attr(tag, 'name');
    const rid = attr(tag, '(?:\\w+:)?id');
    const path = rid ? targets.get(rid) : undefined;
    if (name !== undefined && path) sheets.push({ name, path });
  }
  return { sheets, merges: (sheet) => readMerges(buf, entries.get(sheet.path), limits) };
}

const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/**
 * Inflates the sheet as a stream and keeps only the tail from <mergeCells> on, so memory stays
 * flat however many rows the sheet has.
 */
async function readMerges(buf: Buffer, e: Entry | undefined, limits: XlsxLimits): Promise<Merge[]> {
  if (!e) return [];
  const source = Readable.from([rawData(buf, e)]);
  const chunks: AsyncIterable<Buffer> = e.method === 0 ? source : source.pipe(createInflateRaw());
  const marker = Buffer.from('mergeCells');
  const tail: Buffer[] = [];
  let carry: Buffer = Buffer.alloc(0);
  let inflated = 0;
  let kept = 0;
  try {
    for await (const chunk of chunks) {
      // The directory's size may lie: the inflated bytes are what is counted.
      inflated += chunk.length;
      if (inflated > limits.maxEntryBytes)
        throw workbookTooLarge(`unzips ${e.name} to more than ${limits.maxEntryBytes} bytes`, limits.maxEntryBytes, 'bytes for that entry');
      if (tail.length) {
        kept += chunk.length;
        if (kept > limits.maxOtherPartBytes)
          throw workbookTooLarge(`holds more than ${limits.maxOtherPartBytes} bytes of merged ranges`, limits.maxOtherPartBytes, 'bytes of merged ranges');
        tail.push(chunk);
        continue;
      }
      const window: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const at = window.indexOf(marker);
      if (at >= 0) tail.push(window.subarray(at));
      else carry = window.subarray(Math.max(0, window.length - marker.length));
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw workbookMalformed(`${e.name} is not valid deflate data`);
  }
  if (!tail.length) return [];
  const merges: Merge[] = [];
  for (const m of Buffer.concat(tail)
    .toString('utf8')
    .matchAll(/<(?:\w+:)?mergeCell\s[^>]*ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"/g)) {
    const [, l, t, r = l, b = t] = m;
    merges.push({ top: Number(t), left: colNumber(l!), bottom: Number(b), right: colNumber(r!) });
  }
  return merges;
}
