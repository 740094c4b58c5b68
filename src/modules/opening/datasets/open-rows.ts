import { AppError } from '../../../errors.js';
import type { RecordFilter, RecordReader, ReadRecord } from '../../collection/index.js';
import type { OpenAccess, OpenItem, OpenRowQuery, OpenRows } from '../contracts.js';
import type { OpenCatalogInternal } from './open-catalog.js';
import { openView, PUBLIC_READ, type OpenView } from './open-view.js';
import type { CursorSeal } from './sealed-cursor.js';
import { compareValues, matchesText, TopRows } from './row-window.js';

/** Offset + limit a sorted or text-matched read may reach: it scans the table and keeps this many rows. */
export const MAX_ROW_WINDOW = 100_000;

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

/**
 * Rows of an open dataset (OpenRows): open items only, masks applied by the record reader,
 * RESTRICTED items only for an approved viewer. Filters and sorting take only items the viewer
 * reads unmasked (filtering on a masked or withheld item would reveal its values).
 *
 * Key order with filters uses the reader's keyset paging (cursor sealed, sealed-cursor.ts).
 * `offset`, `sort` and `text` are served by streaming the filtered records in key order and
 * keeping a window of offset + limit rows (at most MAX_ROW_WINDOW): time grows with the table,
 * memory with the window. `total` is the live record count without filters or text; with them it
 * is counted by the same stream (a full read of the matching records).
 */
export function createOpenRows(deps: { catalog: OpenCatalogInternal; records: RecordReader; access: OpenAccess; seal: CursorSeal }): OpenRows {
  const { records, seal } = deps;

  function fieldsOf(view: OpenView, q: OpenRowQuery): OpenItem[] {
    if (!q.fields || q.fields.length === 0) return view.visible;
    const byCode = new Map(view.dataset.items.map((i) => [i.code, i]));
    const picked = [...new Set(q.fields)].map((code, n) => {
      const item = byCode.get(code);
      if (!item) throw invalid(`fields[${n}]`, `No open data item '${code}' in this dataset`);
      return item;
    });
    const visible = picked.filter((i) => !view.withheld.includes(i.code));
    if (visible.length === 0)
      throw new AppError('FORBIDDEN', `The items asked for are RESTRICTED (受限开放): they need an approved application (${view.withheld.join(', ')})`);
    return visible;
  }

  /** An item a filter or sort may use: read by this viewer, unmasked, not binary. */
  function usable(view: OpenView, code: string, path: string): OpenItem {
    const item = view.visible.find((i) => i.code === code);
    if (!item) throw invalid(path, `'${code}' is not an open data item this caller may read`);
    if (item.masked) throw invalid(path, `'${code}' is masked: it cannot be filtered or sorted on`);
    if (item.dataType === 'BINARY') throw invalid(path, `'${code}' is binary: it cannot be filtered or sorted on`);
    return item;
  }

  function filtersOf(view: OpenView, q: OpenRowQuery): RecordFilter[] {
    return Object.entries(q.filters ?? {}).map(([code, v]) => {
      usable(view, code, `filters.${code}`);
      return Array.isArray(v) ? { item: code, op: 'in', values: v } : { item: code, op: 'eq', value: v };
    });
  }

  const project = (fields: OpenItem[]) => (r: ReadRecord) => Object.fromEntries(fields.map((f) => [f.code, r[f.code] ?? null]));

  return {
    async query(datasetId, q, viewer) {
      const view = await openView(deps.catalog, deps.access, datasetId, viewer ?? null);
      const fields = fieldsOf(view, q);
      const filters = filtersOf(view, q);
      const sort = (q.sort ?? []).map((s, n) => ({ ...s, item: usable(view, s.item, `sort[${n}]`) }));
      const text = q.text?.trim() ? q.text.trim() : null;
      const offset = q.offset ?? 0;
      if (q.cursor && (offset > 0 || sort.length > 0 || text))
        throw invalid('cursor', 'A cursor pages in key order: it cannot be combined with offset, sort or text');
      const head = {
        fields: fields.map((f) => ({ id: f.code, type: f.dataType, title: f.name })),
        withheld: view.withheld,
      };
      const present = project(fields);
      const codes = fields.map((f) => f.code);

      if (offset === 0 && sort.length === 0 && !text) {
        const page = await records.page(view.resource, PUBLIC_READ, {
          items: codes,
          filters,
          limit: q.limit,
          cursor: q.cursor ? seal.open(view.dataset.id, q.cursor) : undefined,
        });
        const total = filters.length === 0 ? page.total : await count(view, codes, filters);
        return { ...head, records: page.items.map(present), total, nextCursor: page.nextCursor ? seal.seal(view.dataset.id, page.nextCursor) : null };
      }

      if (offset + q.limit > MAX_ROW_WINDOW)
        throw invalid('offset', `offset + limit may reach at most ${MAX_ROW_WINDOW} when sorting, matching text or skipping rows`);
      const read = [...new Set([...codes, ...sort.map((s) => s.item.code)])];
      const textItems = fields.filter((f) => f.dataType === 'STRING' || f.dataType === 'TEXT').map((f) => f.code);
      const window = new TopRows(
        offset + q.limit,
        sort.length
          ? (a, b) =>
              compareValues(
                a,
                b,
                sort.map((s) => ({ code: s.item.code, desc: s.desc })),
              )
          : null,
      );
      let total = 0;
      for await (const r of await records.export(view.resource, PUBLIC_READ, { items: read, filters })) {
        if (text && !matchesText(r, textItems, text)) continue;
        total++;
        window.offer(r);
      }
      return { ...head, records: window.rows().slice(offset).map(present), total, nextCursor: null };
    },
  } satisfies OpenRows;

  /** Matching records counted by streaming one item of each (the reader has no filtered count). */
  async function count(view: OpenView, codes: string[], filters: RecordFilter[]): Promise<number> {
    let n = 0;
    for await (const _ of await records.export(view.resource, PUBLIC_READ, { items: codes.slice(0, 1), filters })) n++;
    return n;
  }
}
