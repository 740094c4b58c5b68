import type { Db } from '../../../storage/dialect.js';
import type { DataType } from '../../catalog/index.js';
import { addValue, hasText, minMaxInCode, newStreamedItem, orderTopValues, streamedFigures, type ItemProfile, type ProfileValue } from './profile.js';
import { createProfilesRepository } from './profiles.repository.js';

/** What to profile, as plain data (it crosses into the worker thread). */
export type ProfilePlan = {
  resourceId: string;
  /** Null: never collected (no record table). */
  table: string | null;
  /** Live item columns: item code → data type. */
  columns: [string, DataType][];
};
export type ProfileProgress = { rowsRead: number };
export type ProfileOutput = { rows: number; items: ItemProfile[] };
export type ReadRecords = (table: string, columns: string[]) => AsyncIterable<Record<string, unknown>>;

/** A stored value in the record reader's form (ADR 0007), equal on SQLite and PostgreSQL; null for BINARY. */
export function presentRaw(type: DataType, raw: unknown): ProfileValue | null {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'INTEGER': {
      const text = String(raw);
      return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
    }
    case 'DOUBLE':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'BOOLEAN':
      return raw === true || raw === 1 || raw === '1' || raw === 't' || raw === 'true' || raw === 1n;
    case 'DATETIME': {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(String(raw));
      if (!m) return String(raw);
      const fraction = (m[3] ?? '').slice(0, 6).replace(/0+$/, '');
      return `${m[1]}T${m[2]}${fraction ? `.${fraction}` : ''}`;
    }
    case 'BINARY':
      return null;
    default:
      return String(raw);
  }
}

const TEXTUAL = new Set<DataType>(['STRING', 'TEXT']);
/** Empty text as SQL's trim() sees it (spaces only), so the stream and the aggregate agree. */
const blank = (s: string) => /^ *$/.test(s);

/**
 * Profiles one resource's live records: one aggregate query (rows, nulls, empties, typed min/max of
 * numbers, dates and booleans), one grouping query per item (distinct and top values), then one
 * stream of the records for what SQL does not give alike on every dialect: lengths, shapes, and
 * min/max of text (code-point order) and decimals (exact). Memory stays bounded: per item a map of
 * lengths and at most MAX_PATTERNS shapes.
 */
export async function runProfile(db: Db, readRecords: ReadRecords, plan: ProfilePlan, onProgress: (p: ProfileProgress) => void): Promise<ProfileOutput> {
  if (!plan.table || plan.columns.length === 0) return { rows: 0, items: [] };
  const repo = createProfilesRepository();
  const table = plan.table;
  const { rows, counts } = await repo.aggregate(db, table, plan.columns);
  const tops: { distinct: number; top: { value: unknown; count: number }[] }[] = [];
  for (const [c, type] of plan.columns) tops.push(type === 'BINARY' ? { distinct: 0, top: [] } : await repo.topValues(db, table, c, type));

  const streamed = plan.columns.map(() => newStreamedItem());
  const read = plan.columns.filter(([, t]) => hasText(t));
  let rowsRead = 0;
  if (read.length > 0) {
    const index = new Map(plan.columns.map(([c], i) => [c, i]));
    for await (const row of readRecords(
      table,
      read.map(([c]) => c),
    )) {
      rowsRead += 1;
      for (const [c, type] of read) {
        const v = presentRaw(type, row[c]);
        if (v === null) continue;
        const text = String(v);
        if (TEXTUAL.has(type) && blank(text)) continue;
        addValue(streamed[index.get(c)!]!, type, text);
      }
      if (rowsRead % 10_000 === 0) onProgress({ rowsRead });
    }
  }
  onProgress({ rowsRead });

  const items = plan.columns.map(([itemCode, dataType], i): ItemProfile => {
    const k = counts[i]!;
    const s = streamed[i]!;
    const figures = streamedFigures(s);
    const inCode = minMaxInCode(dataType);
    return {
      itemCode,
      dataType,
      rows,
      nulls: rows - k.nonNull,
      empty: k.empty,
      nullRate: rows === 0 ? null : Math.round(((rows - k.nonNull + k.empty) / rows) * 10000) / 10000,
      distinct: k.distinct ?? tops[i]!.distinct,
      min: inCode ? (s.min === null ? null : presentRaw(dataType, s.min)) : presentRaw(dataType, k.min),
      max: inCode ? (s.max === null ? null : presentRaw(dataType, s.max)) : presentRaw(dataType, k.max),
      topValues: orderTopValues(
        dataType,

        tops[i]!.top.flatMap((t) => (presentRaw(dataType, t.value) === null ? [] : [{ value: presentRaw(dataType, t.value)!, count: t.count }])),
      ),
      lengths: hasText(dataType) ? figures.lengths : null,
      patterns: hasText(dataType) ? figures.patterns : { top: [], tracked: 0, exact: true },
    };
  });
  return { rows, items };
}
