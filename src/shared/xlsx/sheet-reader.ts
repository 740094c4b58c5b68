import { DEFAULT_XLSX_LIMITS, workbookMalformed, type XlsxLimits } from './limits.js';
import { DEFAULT_SPILL, SharedStrings, sharedStringsHandler, type SpillThreshold } from './shared-strings.js';
import { SheetHandler, type SheetRow } from './sheet-handler.js';
import {
  officeDocument,
  relationshipOfType,
  relationshipsHandler,
  stylesHandler,
  workbookHandler,
  type Relationships,
  type SheetEntry,
} from './workbook-parts.js';
import { XmlTokenizer, type XmlHandler } from './xml-tokenizer.js';
import { entryBytes, type UnzipBudget } from './zip-entry.js';
import { readZipDirectory, type ZipEntry, type ZipSource } from './zip-directory.js';

export type { CellValue, SheetRow } from './sheet-handler.js';
export type { SheetEntry } from './workbook-parts.js';

export type WorkbookOptions = {
  limits?: XlsxLimits;
  /** Where a large shared-strings table is spilled (default: the OS temp dir), and the start of its file name. */
  scratchDir?: string;
  scratchPrefix?: string;
  /** How much of the shared-strings table stays in memory; the rest goes to a scratch file (tests lower it). */
  spill?: SpillThreshold;
};

/** An XLSX workbook opened for reading sheets row by row. */
export interface SheetWorkbook {
  /** Worksheets in tab order. */
  readonly sheets: readonly SheetEntry[];
  readonly date1904: boolean;
  /** Batches of rows of one sheet, in file order; the shared strings are read first, wherever they are in the ZIP. */
  rows(sheet: SheetEntry): AsyncGenerator<SheetRow[], void, undefined>;
  /** Releases the scratch file of a spilled shared-strings table. The ZIP source is the caller's. */
  close(): void;
}

/** Rows handed over at once: the shared strings of a batch that are in the scratch file are read together. */
const BATCH_ROWS = 256;

/**
 * Opens a workbook through its ZIP central directory: the package's declared sizes are checked
 * first, then workbook.xml, its relationships and styles.xml are read; sheets are streamed on
 * request. Every inflated byte counts against the limits (WORKBOOK_TOO_LARGE / WORKBOOK_MALFORMED),
 * as in the workbook guard that stands in front of exceljs.
 */
export async function openWorkbook(zip: ZipSource, options: WorkbookOptions = {}): Promise<SheetWorkbook> {
  const limits = options.limits ?? DEFAULT_XLSX_LIMITS;
  const entries = new Map<string, ZipEntry>();
  for (const e of await readZipDirectory(zip, limits)) entries.set(e.name, e);
  const budget: UnzipBudget = { unzipped: 0 };

  async function parse(name: string, handler: XmlHandler, limit: number): Promise<void> {
    const entry = entries.get(name)!;
    const tokenizer = new XmlTokenizer(name, handler, limits);
    for await (const piece of entryBytes(zip, entry, limit, limits, budget)) tokenizer.write(piece);
    tokenizer.end();
  }
  async function rels(name: string): Promise<Relationships | null> {
    if (!entries.has(name)) return null;
    const h = relationshipsHandler(name);
    await parse(name, h, limits.maxOtherPartBytes);
    return h.result();
  }

  const root = await rels('_rels/.rels');
  const workbookPart = (root && officeDocument(root)) ?? 'xl/workbook.xml';
  const slash = workbookPart.lastIndexOf('/');
  const wbRels = await rels(`${workbookPart.slice(0, slash + 1)}_rels/${workbookPart.slice(slash + 1)}.rels`);
  let sheets: SheetEntry[] = [];
  let date1904 = false;
  if (entries.has(workbookPart)) {
    const h = workbookHandler();
    await parse(workbookPart, h, limits.maxOtherPartBytes);
    const wb = h.result();
    date1904 = wb.date1904;
    for (const s of wb.sheets) {
      const rel = wbRels?.byId.get(s.rid);
      if (rel && rel.type.endsWith('/worksheet') && entries.has(rel.target)) sheets.push({ name: s.name, part: rel.target });
    }
  }
  if (sheets.length === 0) {
    // No usable workbook.xml: the worksheet parts by number, named as Excel would.
    sheets = [...entries.keys()]
      .map((name) => ({ name, n: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1] }))
      .filter((s) => s.n !== undefined)
      .sort((a, b) => Number(a.n) - Number(b.n))
      .map((s) => ({ name: `Sheet${s.n}`, part: s.name }));
  }

  const stylesPart = (wbRels && relationshipOfType(wbRels, '/styles')) ?? 'xl/styles.xml';
  let dateStyles: Uint8Array = new Uint8Array(0);
  if (entries.has(stylesPart)) {
    const h = stylesHandler();
    await parse(stylesPart, h, limits.maxOtherPartBytes);
    dateStyles = h.result();
  }
  const stringsPart = (wbRels && relationshipOfType(wbRels, '/sharedStrings')) ?? 'xl/sharedStrings.xml';
  let strings: SharedStrings | null = null;

  async function loadStrings(): Promise<SharedStrings | null> {
    if (strings || !entries.has(stringsPart)) return strings;
    // No count of `<si>` first: the limit is enforced as each one opens, and until then a table
    // costs 4 bytes of offsets per string and its UTF-8, past the threshold on disk.
    const table = new SharedStrings(options.spill ?? DEFAULT_SPILL, options.scratchDir, options.scratchPrefix);
    try {
      const h = sharedStringsHandler(table, limits);
      await parse(stringsPart, h, limits.maxEntryBytes);
      h.finish();
    } catch (error) {
      table.close();
      throw error;
    }
    strings = table;
    return table;
  }

  return {
    sheets,
    date1904,
    async *rows(sheet: SheetEntry) {
      const entry = entries.get(sheet.part);
      if (!entry) throw workbookMalformed(`${sheet.part} is missing from the package`);
      const table = await loadStrings();
      const handler = new SheetHandler({ part: sheet.part, limits, strings: table, dateStyles, date1904 });
      const tokenizer = new XmlTokenizer(sheet.part, handler, limits);
      for await (const piece of entryBytes(zip, entry, limits.maxEntryBytes, limits, budget)) {
        tokenizer.write(piece);
        if (handler.rows.length >= BATCH_ROWS) yield take(handler, table);
      }
      tokenizer.end();
      if (handler.rows.length > 0) yield take(handler, table);
    },
    close() {
      (strings as SharedStrings | null)?.close();
    },
  };
}

/** The finished rows, their shared strings from the scratch file looked up. */
function take(handler: SheetHandler, strings: SharedStrings | null): SheetRow[] {
  const rows = handler.rows;
  handler.rows = [];
  const pending = handler.pending;
  if (pending.length > 0) {
    handler.pending = [];
    const found = strings!.resolve(pending.map((p) => p.index));
    for (let k = 0; k < pending.length; k++) pending[k]!.cells[pending[k]!.col] = found[k] ?? null;
  }
  return rows;
}
