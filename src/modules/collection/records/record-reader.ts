import { AppError, notFound } from '../../../errors.js';
import { scopeCovers, type AccessScope } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import { decodeCompositeCursor, encodeCursor, type Page } from '../../../shared/page.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { DataType, MaskingRule } from '../../catalog/index.js';
import { exportWriter, type ExportColumn, type ExportFormat } from './export-format.js';
import { pagedCsvOf } from './export-pages.js';
import { xlsxChunks } from './export-xlsx.js';
import { createExportThreads, type ExportChunk, type ExportThreads } from './export-threads.js';
import { maskValue } from './masking.js';
import { recordKeyText, type DisputedKeys } from './record-key.js';
import { PROVENANCE } from './record-layout.js';
import { bindValue, cursorValue, presentValue, type RecordValue } from './record-reader-values.js';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { andThen, type MaybePromise } from '../../../shared/maybe-promise.js';
import { createRecordReaderRepository, type Condition, type ReadColumn, type RecordTableInfo } from './record-reader.repository.js';

export type { RecordValue } from './record-reader-values.js';
export type { ExportFormat } from './export-format.js';

/** What the reader needs of a catalogue entry (the catalogue's Resource satisfies it). */
export type RecordEntry = {
  id: string;
  providerDepartmentId: string;
  classified: boolean;
  items: readonly {
    code: string;
    dataType: DataType;
    length: number | null;
    precision: number | null;
    primaryKey: boolean;
    maskingRule?: MaskingRule | null;
  }[];
};

/**
 * Who reads and how: `scope` decides whether a classified resource exists for the reader at all;
 * `masked` (decided by collectionPolicy.recordAccess, or by a sharing grant) whether items with
 * a masking rule are masked; `reason` is recorded when an administrator reads unmasked.
 * `audit: false` means the caller keeps its own audit of the read (the sharing gateway's call
 * audit, batched off the hot path), so the reader writes no audit event.
 */
export type ReadAccess = { actor: Actor | null; scope: AccessScope; masked: boolean; reason?: string | null; audit?: false };

/** A filter value as a caller sends it; checked against the item's data type before any SQL. */
export type FilterValue = string | number | boolean;
export type RecordFilter =
  | { item: string; op: 'eq'; value: FilterValue }
  | { item: string; op: 'in'; values: FilterValue[] }
  | { item: string; op: 'range'; from?: FilterValue; to?: FilterValue }
  | { item: string; op: 'null' | 'notNull' };
export const FILTER_OPS = ['eq', 'in', 'range', 'null', 'notNull'] as const;

export type RecordMeta = { batchId: string; receivedAt: string };
/** A record: item code → value (record-reader-values.ts), plus `_meta` only when asked for, `_disputed` under an open objection. */
export type ReadRecord = { [code: string]: RecordValue | RecordMeta | undefined; _meta?: RecordMeta; _disputed?: true };

export type RecordQuery = {
  /** Item codes to return (projection); all live items when absent. */
  items?: readonly string[];
  filters?: readonly RecordFilter[];
  /** Add `_meta: { batchId, receivedAt }` (the load that last changed the record). */
  meta?: boolean;
};
export type PageQuery = RecordQuery & { cursor?: string; limit: number };
/** A key: item code → value, for every primary-key item. */
export type RecordKey = Readonly<Record<string, FilterValue>>;

export const MAX_BATCH_KEYS = 1000;
const EXPORT_PAGE = 1000;
/** Item lists whose layout a reader keeps per catalogue entry (keptLayoutOf). */
const LAYOUTS_PER_ENTRY = 32;

export interface RecordReader {
  /** One page in key order; `total` is the resource's live record count. */
  page(entry: RecordEntry, access: ReadAccess, query: PageQuery): Promise<Page<ReadRecord> & { total: number }>;
  /** The live record with this key, or null. */
  get(entry: RecordEntry, access: ReadAccess, key: RecordKey, query?: Omit<RecordQuery, 'filters'>): Promise<ReadRecord | null>;
  /** Several keys at once (at most MAX_BATCH_KEYS): one answer per key, in the order asked, null where none. */
  getMany(entry: RecordEntry, access: ReadAccess, keys: readonly RecordKey[], query?: Omit<RecordQuery, 'filters'>): Promise<(ReadRecord | null)[]>;
  /**
   * Every matching record in key order, fetched a page at a time: memory stays bounded. The
   * request is checked (visibility, items, filters) before the promise resolves, so a bad one
   * fails before anything is streamed; the read is audited when the stream ends.
   */
  export(entry: RecordEntry, access: ReadAccess, query?: RecordQuery): Promise<AsyncIterable<ReadRecord>>;
  /**
   * The same records as `export` (the same items, values, masks and order), already written as
   * a file: CSV (header line, UTF-8 with a BOM or GBK) or a JSON array, as encoded chunks. Read
   * with one statement on a connection of its own in an export thread when the database can be
   * opened by URL (ADR 0031), else in pages in this thread. Checked before the promise resolves,
   * audited as `records.export` when the stream ends. No `_disputed` or `_meta`: a file has no
   * place for them.
   */
  exportFile(entry: RecordEntry, access: ReadAccess, query: Omit<RecordQuery, 'meta'>, format: ExportFormat): Promise<AsyncIterable<Buffer>>;
}

type Item = RecordEntry['items'][number];
type Layout = {
  table: RecordTableInfo | null;
  chosen: Item[];
  columns: ReadColumn[];
  keySpec: ReadColumn[];
  where: Condition[];
  byCode: Map<string, Item>;
};

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });
const badCursor = () => new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');

/**
 * The one way any module reads a resource's collected records (issue 6): typed values equal on
 * both dialects, projection, key and batch lookup, typed filters, keyset paging, a streamed
 * export; masking per item, and every read audited as a read event (who, resource, items, rows,
 * unmasked + reason). Provenance columns never leave raw.
 */
export function createRecordReader(deps: {
  db: Db;
  auditor: Auditor;
  disputedKeys?: DisputedKeys;
  /** How an export thread opens the same database (Storage.url); absent or null: file exports run in this thread. */
  databaseUrl?: string | null;
  exportThreads?: ExportThreads;
  /** Dialect.changeStamp: with it, a resource's record-table registry is read once per database change, not per call (ADR 0036). */
  changeStamp?: (db: Db) => Promise<string | null>;
  /** Dialect.changeStampExpression: with it, a key lookup reads the stamp in its own statement (ADR 0037). */
  changeStampExpression?: string | null;
}): RecordReader {
  const repo = createRecordReaderRepository({ changeStamp: deps.changeStamp });
  let threads = deps.exportThreads ?? null;

  function assertVisible(entry: RecordEntry, access: ReadAccess) {
    if (entry.classified && !scopeCovers(access.scope, entry.providerDepartmentId)) throw notFound('resource', entry.id);
  }

  async function layout(entry: RecordEntry, query: RecordQuery) {
    const { info: table, stamp } = await repo.table(deps.db, entry.id);
    return { ...layoutOf(entry, query, table), stamp };
  }

  function layoutOf(entry: RecordEntry, query: RecordQuery, table: RecordTableInfo | null): Layout {
    const byCode = new Map(entry.items.map((i) => [i.code, i]));
    const live = entry.items.filter((i) => !table || table.liveColumns.has(i.code));
    let chosen: Item[] = live;
    if (query.items && query.items.length > 0) {
      chosen = query.items.map((code) => {
        const item = byCode.get(code);
        if (!item) throw invalid('query.items', `No data item '${code}' in this resource`);
        return item;
      });
      chosen = [...new Map(chosen.map((i) => [i.code, i])).values()];
    }
    const keySpec: ReadColumn[] = table
      ? table.keyColumns.map((k) => {
          const item = byCode.get(k);
          return item ? { column: k, dataType: item.dataType } : { column: k, dataType: 'STRING' as DataType };
        })
      : [];
    const where = (query.filters ?? []).flatMap((f, n) => conditions(byCode, f, `query.filter[${n}]`));
    return { table, chosen, columns: columnsOf(chosen), keySpec, where, byCode };
  }

  /**
   * layoutOf for a query without filters, worked out once per catalogue entry, registry rows and
   * item list: a key lookup asks the same of the same objects call after call (the gateway's cached
   * entry and grant). A re-read entry or registry row is a new object, so nothing stale is kept.
   * The layout is shared: callers only read it.
   */
  const layouts = new WeakMap<RecordEntry, { table: RecordTableInfo; byItems: Map<string, Layout> }>();
  function keptLayoutOf(entry: RecordEntry, query: Omit<RecordQuery, 'filters'>, table: RecordTableInfo): Layout {
    let kept = layouts.get(entry);
    if (!kept || kept.table !== table) layouts.set(entry, (kept = { table, byItems: new Map() }));
    const key = query.items?.join('\u0000') ?? '';
    let l = kept.byItems.get(key);
    if (!l) {
      l = layoutOf(entry, { items: query.items }, table);
      if (kept.byItems.size >= LAYOUTS_PER_ENTRY) kept.byItems.delete(kept.byItems.keys().next().value!);
      kept.byItems.set(key, l);
    }
    return l;
  }

  /**
   * A key lookup in one statement (ADR 0037), where the dialect can read its change stamp in it
   * and the connection can read at once (no promise): with the registry rows as last read, the
   * records and the stamp of their snapshot; when that stamp is still the one the registry rows
   * were read under, they held for those records. Null (the caller takes the ordinary path) before
   * the first read, when the stamp moved, when the connection cannot read at once, or when the
   * statement failed against the table as last known (dropped or altered since).
   */
  function stampedLookup(entry: RecordEntry, keys: readonly RecordKey[], query: Omit<RecordQuery, 'filters'>) {
    const expression = deps.changeStampExpression;
    const known = expression ? repo.knownTable(deps.db, entry.id) : null;
    if (!expression || !known?.info || keys.length === 0) return null;
    const l = keptLayoutOf(entry, query, known.info);
    const wanted = keys.map((k, n) => keyValues(entry, l.keySpec, l.byCode, k, `keys[${n}]`));
    try {
      const spec = { table: known.info.table, columns: l.columns, keys: l.keySpec, keyValues: wanted, meta: query.meta ?? false };
      const read = repo.byKeysStampedNow(deps.db, spec, expression);
      return read && read.stamp === known.stamp ? { ...l, table: known.info, wanted, rows: read.rows, stamp: read.stamp } : null;
    } catch {
      return null;
    }
  }

  function conditions(byCode: Map<string, Item>, f: RecordFilter, path: string): Condition[] {
    const item = byCode.get(f.item);
    if (!item) throw invalid(path, `No data item '${f.item}' in this resource`);
    const column: ReadColumn = { column: item.code, dataType: item.dataType };
    const bind = (v: FilterValue) => {
      if (item.dataType === 'BINARY') throw invalid(path, `Item '${item.code}' is binary: it cannot be filtered on`);
      const b = bindValue(item, v);
      if (!b.ok) throw invalid(path, `Item '${item.code}' (${item.dataType}): ${b.reason}`);
      return b.value;
    };
    switch (f.op) {
      case 'eq':
        return [{ column, op: 'eq', value: bind(f.value) }];
      case 'in':
        if (f.values.length === 0 || f.values.length > MAX_BATCH_KEYS) throw invalid(path, `'in' takes 1 to ${MAX_BATCH_KEYS} values`);
        return [{ column, op: 'in', values: f.values.map(bind) }];
      case 'range': {
        if (item.dataType === 'BOOLEAN') throw invalid(path, `Item '${item.code}' is a boolean: use eq`);
        if (f.from === undefined && f.to === undefined) throw invalid(path, 'A range needs a lower or an upper bound');
        const out: Condition[] = [];
        if (f.from !== undefined) out.push({ column, op: 'gte', value: bind(f.from) });
        if (f.to !== undefined) out.push({ column, op: 'lte', value: bind(f.to) });
        return out;
      }
      case 'null':
      case 'notNull':
        return [{ column, op: f.op }];
    }
  }

  function presenter(chosen: Item[], access: ReadAccess, meta: boolean) {
    return (row: Record<string, unknown>): ReadRecord => {
      const out: ReadRecord = {};
      for (const item of chosen) {
        const value = presentValue(item.dataType, row[item.code]);
        out[item.code] = access.masked ? maskValue(item.maskingRule ?? null, value) : value;
      }
      if (meta) {
        out._meta = { batchId: String(row[PROVENANCE.batch]), receivedAt: new Date(String(row[PROVENANCE.receivedAt])).toISOString() };
      }
      return out;
    };
  }

  function decodeAfter(cursor: string | undefined, keySpec: ReadColumn[], byCode: Map<string, Item>): unknown[] | undefined {
    const raw = decodeCompositeCursor(cursor, keySpec.length);
    if (!raw) return undefined;
    return raw.map((v, i) => {
      if (v === null) throw badCursor();
      const item = byCode.get(keySpec[i]!.column);
      // A resource without primary-key items is keyed by its content hash (base64url text).
      if (!item) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{0,64}$/.test(v)) throw badCursor();
        return v;
      }
      const b = bindValue(item, v);
      if (!b.ok) throw badCursor();
      return b.value;
    });
  }

  function keyOf(row: Record<string, unknown>, keySpec: ReadColumn[]) {
    return keySpec.map((k) => cursorValue(presentValue(k.dataType, row[k.column])));
  }

  /**
   * `_disputed: true` on records with an open objection (异议标注), when a provider is injected and
   * the resource has key items; at once when the provider answers from what it keeps.
   */
  function markDisputed(
    entry: RecordEntry,
    keySpec: ReadColumn[],
    byCode: Map<string, Item>,
    rows: Record<string, unknown>[],
    records: ReadRecord[],
    stamp: string | null,
  ): MaybePromise<void> {
    if (!deps.disputedKeys || rows.length === 0 || !keySpec.every((k) => byCode.get(k.column)?.primaryKey)) return;
    const texts = rows.map((row) => recordKeyText(Object.fromEntries(keySpec.map((k) => [k.column, presentValue(k.dataType, row[k.column])]))));
    return andThen(deps.disputedKeys(entry.id, texts, stamp), (disputed) => {
      texts.forEach((text, n) => {
        if (disputed.has(text)) records[n]!._disputed = true;
      });
    });
  }

  async function audit(entry: RecordEntry, access: ReadAccess, action: string, chosen: Item[], rows: number, query: RecordQuery) {
    if (access.audit === false) return;
    await deps.auditor.read({
      actor: access.actor,
      action,
      targetType: 'resource',
      targetId: entry.id,
      detail: {
        items: chosen.map((i) => i.code),
        rows,
        masked: access.masked,
        ...(access.masked ? {} : { unmasked: true, reason: access.reason ?? null }),
        // Which items were filtered on and how; never the values (they may be personal data).
        ...(query.filters?.length ? { filters: query.filters.map((f) => ({ item: f.item, op: f.op })) } : {}),
      },
    });
  }

  function keyValues(entry: RecordEntry, keySpec: ReadColumn[], byCode: Map<string, Item>, key: RecordKey, path: string): unknown[] {
    if (keySpec.length === 0 || !keySpec.every((k) => byCode.get(k.column)?.primaryKey)) {
      throw invalid(path, `Resource ${entry.id} has no primary-key items: its records cannot be looked up by key`);
    }
    const extra = Object.keys(key).filter((c) => !keySpec.some((k) => k.column === c));
    if (extra.length) throw invalid(path, `'${extra[0]}' is not a primary-key item`);
    return keySpec.map((k) => {
      const v = key[k.column];
      if (v === undefined) throw invalid(path, `The key needs '${k.column}'`);
      const b = bindValue(byCode.get(k.column)!, v);
      if (!b.ok) throw invalid(path, `Item '${k.column}': ${b.reason}`);
      return b.value;
    });
  }

  async function lookup(entry: RecordEntry, access: ReadAccess, keys: readonly RecordKey[], query: Omit<RecordQuery, 'filters'>, action: string) {
    assertVisible(entry, access);
    if (keys.length > MAX_BATCH_KEYS) throw invalid('keys', `At most ${MAX_BATCH_KEYS} keys at once`);
    const fast = stampedLookup(entry, keys, query);
    const { table, chosen, columns, keySpec, byCode, stamp } = fast ?? (await layout(entry, query));
    const present = presenter(chosen, access, query.meta ?? false);
    if (!table) {
      await audit(entry, access, action, chosen, 0, {});
      return keys.map(() => null);
    }
    const wanted = fast?.wanted ?? keys.map((k, n) => keyValues(entry, keySpec, byCode, k, `keys[${n}]`));
    const rows =
      fast?.rows ??
      (wanted.length ? await repo.byKeys(deps.db, { table: table.table, columns, keys: keySpec, keyValues: wanted, meta: query.meta ?? false }) : []);
    const hits: { rows: Record<string, unknown>[]; records: ReadRecord[] } = { rows: [], records: [] };
    // One key: the statement matched on it, so a row is its answer; several: each found by its key.
    const found = wanted.length === 1 ? null : new Map(rows.map((r) => [JSON.stringify(keyOf(r, keySpec)), r]));
    const answers = wanted.map((vals) => {
      const row = found ? found.get(JSON.stringify(vals.map((v, i) => cursorValue(presentValue(keySpec[i]!.dataType, v))))) : rows[0];
      if (!row) return null;
      const record = present(row);
      hits.rows.push(row);
      hits.records.push(record);
      return record;
    });
    if (access.audit !== false) await audit(entry, access, action, chosen, rows.length, {});
    // A record under an open objection is marked wherever it is served, key lookups included.
    const marking = markDisputed(entry, keySpec, byCode, hits.rows, hits.records, stamp);
    if (marking instanceof Promise) await marking;
    return answers;
  }

  return {
    async page(entry, access, query) {
      assertVisible(entry, access);
      const { table, chosen, keySpec, where, byCode, stamp } = await layout(entry, query);
      const after = table ? decodeAfter(query.cursor, keySpec, byCode) : decodeCompositeCursor(query.cursor, 0);
      if (!table) {
        await audit(entry, access, 'records.read', chosen, 0, query);
        return { items: [], nextCursor: null, total: 0 };
      }
      const meta = query.meta ?? false;
      const rows = await repo.select(deps.db, { table: table.table, columns: columnsOf(chosen), keys: keySpec, where, after, limit: query.limit + 1, meta });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows[pageRows.length - 1];
      await audit(entry, access, 'records.read', chosen, pageRows.length, query);
      const items = pageRows.map(presenter(chosen, access, meta));
      await markDisputed(entry, keySpec, byCode, pageRows, items, stamp);
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor(keyOf(last, keySpec)) : null,
        total: table.liveCount,
      };
    },

    async get(entry, access, key, query = {}) {
      return (await lookup(entry, access, [key], query, 'records.lookup'))[0] ?? null;
    },

    getMany: (entry, access, keys, query = {}) => lookup(entry, access, keys, query, 'records.lookup'),

    async export(entry, access, query = {}) {
      assertVisible(entry, access);
      const { table, chosen, keySpec, where, byCode } = await layout(entry, query);
      const meta = query.meta ?? false;
      const present = presenter(chosen, access, meta);
      return (async function* () {
        let rows = 0;
        try {
          if (!table) return;
          let after: unknown[] | undefined;
          for (;;) {
            const batch = await repo.select(deps.db, { table: table.table, columns: columnsOf(chosen), keys: keySpec, where, after, limit: EXPORT_PAGE, meta });
            const records = batch.map(present);
            // Pages read later than the layout: no stamp, each check reads the objections afresh.
            await markDisputed(entry, keySpec, byCode, batch, records, null);
            for (const record of records) {
              rows++;
              yield record;
            }
            if (batch.length < EXPORT_PAGE) return;
            // The last key as the database compares it (bound form), not as presented.
            after = rawKey(batch[batch.length - 1]!, keySpec);
          }
        } finally {
          // Also when the consumer stops early: the rows it was given are what was read.
          await audit(entry, access, 'records.export', chosen, rows, query);
        }
      })();
    },

    async exportFile(entry, access, query, format) {
      assertVisible(entry, access);
      const { table, chosen, keySpec, where } = await layout(entry, query);
      if (format.kind === 'csv' && format.header.length !== chosen.length) throw new Error('exportFile: one header name per item');
      const columns: ExportColumn[] = chosen.map((i) => ({ code: i.code, dataType: i.dataType, mask: access.masked ? (i.maskingRule ?? null) : null }));
      let chunks: AsyncIterable<ExportChunk>;
      if (!table) {
        chunks = fileInThread(columns, format, async function* () {});
      } else if (deps.databaseUrl) {
        const compiled = repo.compileExport(deps.db, { table: table.table, columns: columnsOf(chosen), keys: keySpec, where });
        threads ??= createExportThreads();
        chunks = threads.run({
          url: deps.databaseUrl,
          sql: compiled.sql,
          params: [...compiled.parameters],
          columns,
          format,
          batchRows: EXPORT_BATCH,
          chunkChars: EXPORT_CHUNK_CHARS,
          paged: pagedCsvOf({ table: table.table, keys: keySpec, columns, filtered: where.length > 0, format }),
        });
      } else {
        chunks = fileInThread(columns, format, async function* () {
          let after: unknown[] | undefined;
          for (;;) {
            const batch = await repo.select(deps.db, {
              table: table.table,
              columns: columnsOf(chosen),
              keys: keySpec,
              where,
              after,
              limit: EXPORT_PAGE,
              meta: false,
            });
            yield batch.map((row) => columns.map((c) => row[c.code]));
            if (batch.length < EXPORT_PAGE) return;
            after = rawKey(batch[batch.length - 1]!, keySpec);
            // On SQLite a page resolves as microtasks only: let other requests in between.
            await yieldToLoop();
          }
        });
      }
      return (async function* () {
        let rows = 0;
        try {
          for await (const chunk of chunks) {
            rows += chunk.rows;
            yield chunk.bytes;
          }
        } finally {
          // Also when the consumer stops early: the rows in the chunks it was given are what was read.
          await audit(entry, access, 'records.export', chosen, rows, query);
        }
      })();
    },
  };
}

/** Rows per batch an export thread reads, and characters per chunk it posts (about 128–256 KB). */
const EXPORT_BATCH = 2000;
const EXPORT_CHUNK_CHARS = 128 * 1024;

/** A file export written in this thread from batches of row arrays (a database no other thread can open). */
async function* fileInThread(columns: ExportColumn[], format: ExportFormat, batches: () => AsyncIterable<unknown[][]>): AsyncGenerator<ExportChunk> {
  if (format.kind === 'xlsx') return yield* xlsxChunks(columns, format, batches());
  const writer = exportWriter(columns, format);
  let text = writer.start();
  let rows = 0;
  let first = true;
  for await (const batch of batches()) {
    text += writer.rows(batch);
    rows += batch.length;
    if (text.length >= 64 * 1024) {
      yield { bytes: writer.encode(text, first), rows };
      first = false;
      text = '';
      rows = 0;
    }
  }
  text += writer.end();
  if (text || first) yield { bytes: writer.encode(text, first), rows };
}

const columnsOf = (items: readonly Item[]): ReadColumn[] => items.map((i) => ({ column: i.code, dataType: i.dataType }));

/** A row's key values ready to bind again (INTEGER as bigint: read as text, exact). */
function rawKey(row: Record<string, unknown>, keySpec: ReadColumn[]): unknown[] {
  return keySpec.map((k) => {
    const v = row[k.column];
    if (k.dataType === 'INTEGER') return BigInt(String(v));
    if (k.dataType === 'BOOLEAN') return presentValue('BOOLEAN', v);
    return v;
  });
}
