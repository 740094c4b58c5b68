import { AppError } from '../../../errors.js';
import { createConverters } from '../loading/converters.js';
import { CoerceFailure } from '../parsing/coerce-value.js';
import { mapHeader, type MatchKind, type SynonymGroups } from '../parsing/header-mapping.js';
import { openRecords } from '../parsing/records.js';
import type { RecordFormat, RecordStream } from '../parsing/types.js';
import type { RecordColumn } from '../records/record-layout.js';
import { explicitOf, type StoredMapping } from './saved-mapping.js';

/** What a preview reads: plain data, so it can run in a pool worker (an XLSX's shared strings are the whole workbook's text). */
export type PreviewInput = {
  filePath: string;
  format: RecordFormat;
  encoding?: string;
  sheet?: string;
  /** Where an XLSX reader may spill a large shared-strings table. */
  scratchDir?: string;
  columns: RecordColumn[];
  mapping: StoredMapping;
  synonyms: SynonymGroups;
  /** How many data rows to show. */
  rows: number;
};

export type PreviewValue = string | number | boolean | null;

export type HeaderPreview = {
  index: number;
  header: string;
  status: 'mapped' | 'skipped' | 'unmapped' | 'ambiguous' | 'duplicate';
  itemCode?: string;
  how?: MatchKind;
  reason?: string;
  candidates?: string[];
};

export type Preview = {
  dryRun: true;
  format: RecordFormat;
  encoding: string | null;
  headers: HeaderPreview[];
  /** Items no column fills: a required one (key or not nullable) stops a load. */
  unfilledItems: { code: string; name: string; required: boolean }[];
  /** Whether a load of this file would start (no duplicate column, no missing required item, no stale saved mapping). */
  loadable: boolean;
  /** Why it would not, in plain words. */
  problems: string[];
  /** The first rows as the load would store them: typed values by item code. */
  rows: { rowNumber: number; values: Record<string, PreviewValue> }[];
  /** Among those first rows, the ones a load would reject, and why. */
  rejects: { rowNumber: number; field: string | null; reason: string }[];
  /** Whether the file has rows past the ones shown. */
  more: boolean;
};

/**
 * Reads the header and the first `rows` data rows of a saved upload, maps the header as a load
 * would (saved mapping, exact labels, synonyms, prefix/suffix) and type-checks those rows with the
 * load's own converters. Stores nothing; reads no further than it shows (plus one batch to tell
 * whether more rows follow).
 */
export async function previewFile(input: PreviewInput): Promise<Preview> {
  let stream: RecordStream;
  try {
    stream = await openRecords(input.filePath, {
      format: input.format,
      filePath: input.filePath,
      batchSize: input.rows,
      ...(input.encoding ? { encoding: input.encoding } : {}),
      ...(input.sheet !== undefined ? { sheet: input.sheet } : {}),
      ...(input.scratchDir ? { scratchDir: input.scratchDir, scratchPrefix: 'preview-' } : {}),
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('COLLECTION_UNREADABLE', `The ${input.format.toUpperCase()} file cannot be read: ${(err as Error).message}`);
  }
  try {
    const columns = input.columns;
    const m = mapHeader(
      stream.header,
      columns.map((c) => ({ code: c.column, name: c.name, nameEn: c.nameEn, dataElement: c.dataElement, primaryKey: c.primaryKey, nullable: c.nullable })),
      explicitOf(input.mapping),
      { synonyms: input.synonyms },
    );
    const headers: HeaderPreview[] = [
      ...m.columns.map((c) => ({ index: c.index, header: c.header, status: 'mapped' as const, itemCode: c.itemCode, how: c.matchedBy })),
      ...m.ignoredHeaders.map((h) => ({ index: h.index, header: h.header, status: 'skipped' as const, reason: 'the saved mapping skips this header' })),
      ...m.unmappedHeaders.map((h) =>
        h.candidates
          ? { index: h.index, header: h.header, status: 'ambiguous' as const, reason: h.reason, candidates: h.candidates }
          : { index: h.index, header: h.header, status: 'unmapped' as const, reason: h.reason },
      ),
      ...m.duplicates.map((d) => ({
        index: d.index,
        header: d.header,
        status: 'duplicate' as const,
        itemCode: d.itemCode,
        reason: `'${stream.header[d.firstIndex] ?? ''}' already fills ${d.itemCode}: a load of this file is refused`,
      })),
    ].sort((a, b) => a.index - b.index);
    const problems = [
      ...m.duplicates.map((d) => `'${d.header}' and '${stream.header[d.firstIndex] ?? ''}' both map to ${d.itemCode}`),
      ...m.unknownTargets.map((u) => `the saved mapping sends '${u.header}' to ${u.itemCode}, which is no data item of this resource`),
      ...m.missingItems.filter((i) => i.blocking).map((i) => `no column for ${i.name} (${i.code}), which is required`),
    ];

    const converters = createConverters(input.synonyms);
    const present = columns.flatMap((c, i) => (m.columnOf[i]! >= 0 ? [{ column: c, index: m.columnOf[i]!, coerce: converters.coercerFor(c) }] : []));
    const rows: Preview['rows'] = [];
    const rejects: Preview['rejects'] = [];
    let seen = 0;
    let more = false;
    outer: for await (const batch of stream.batches) {
      if (seen >= input.rows) {
        more = batch.rows.length + batch.rejects.length > 0;
        if (more) break;
        continue;
      }
      const all = [...batch.rejects.map((r) => ({ reject: r })), ...batch.rows.map((r) => ({ row: r }))].sort(
        (a, b) => ('row' in a ? a.row.rowNumber : a.reject.rowNumber) - ('row' in b ? b.row.rowNumber : b.reject.rowNumber),
      );
      for (const entry of all) {
        if (seen >= input.rows) {
          more = true;
          break outer;
        }
        seen++;
        if ('reject' in entry) {
          rejects.push({ rowNumber: entry.reject.rowNumber, field: null, reason: entry.reject.reason });
          continue;
        }
        const values: Record<string, PreviewValue> = {};
        let refused: Preview['rejects'][number] | null = null;
        for (const p of present) {
          const v = p.coerce(entry.row.cells[p.index] ?? null);
          if (v instanceof CoerceFailure) {
            refused = { rowNumber: entry.row.rowNumber, field: stream.header[p.index] ?? p.column.column, reason: `${p.column.name}: ${v.reason}` };
            break;
          }
          values[p.column.column] = presentValue(v);
        }
        if (refused) rejects.push(refused);
        else rows.push({ rowNumber: entry.row.rowNumber, values });
      }
    }
    return {
      dryRun: true,
      format: stream.format,
      encoding: stream.encoding,
      headers,
      unfilledItems: m.missingItems.map((i) => ({ code: i.code, name: i.name, required: i.blocking })),
      loadable: m.loadable,
      problems,
      rows,
      rejects,
      more,
    };
  } finally {
    await stream.close().catch(() => undefined);
  }
}

/** A typed value as JSON carries it: big integers as text, bytes as base64. */
function presentValue(v: unknown): PreviewValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}
