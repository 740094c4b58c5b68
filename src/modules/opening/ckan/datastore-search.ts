import type { OpenDataset, OpenRowPage } from '../contracts.js';
import type { ActionContext, CkanAction } from './ckan-action.js';
import { invalid, notFound } from './ckan-errors.js';
import { bool, csvList, jsonObject, natural, required, str, type DataDict } from './params.js';

/**
 * `datastore_search` over an open dataset's rows, read through OpenRows as an anonymous viewer:
 * open items only, masks applied, RESTRICTED items never. Any of a dataset's resources (its
 * distributions) names its rows. Records carry no `_id`: the rows have no stable row number
 * to give (paging is by offset, as `_links` shows).
 */
export const DATASTORE_ROWS_MAX = 32000;
const DATASTORE_ROWS_DEFAULT = 100;

/** The catalogue's data types as DataStore (PostgreSQL) column types. */
const CKAN_TYPES: Record<string, string> = {
  STRING: 'text',
  TEXT: 'text',
  INTEGER: 'int',
  DECIMAL: 'numeric',
  DOUBLE: 'float8',
  DATE: 'date',
  DATETIME: 'timestamp',
  BOOLEAN: 'bool',
  BINARY: 'text',
};

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function filtersOf(d: DataDict): Record<string, Scalar | Scalar[]> | undefined {
  const raw = jsonObject(d, 'filters');
  if (!raw) return undefined;
  for (const [field, v] of Object.entries(raw)) {
    if (!(isScalar(v) || (Array.isArray(v) && v.length > 0 && v.every(isScalar)))) {
      throw invalid('filters', `The filter on "${field}" must be a value or a non-empty list of values`);
    }
  }
  return raw as Record<string, Scalar | Scalar[]>;
}

function sortOf(d: DataDict): { item: string; desc: boolean }[] | undefined {
  const raw = str(d, 'sort');
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((part) => {
    const m = /^\s*("(?:[^"]|"")+"|[^\s"]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw invalid('sort', `Cannot sort by "${part.trim()}"; write "field" or "field desc"`);
    const field = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!;
    return { item: field, desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
}

async function datasetOfResource(ctx: ActionContext, resourceId: string): Promise<OpenDataset> {
  for (const dataset of await ctx.catalog.datasets()) if (dataset.distributions.some((r) => r.id === resourceId)) return dataset;
  throw notFound(`Resource "${resourceId}" was not found.`);
}

function linksOf(ctx: ActionContext, d: DataDict, limit: number, offset: number) {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.query)) if (k !== 'offset' && typeof v === 'string') base[k] = v;
  if (Object.keys(ctx.query).length === 0) {
    base.resource_id = String(d.resource_id);
    if (d.limit !== undefined) base.limit = String(limit);
  }
  const url = (extra: Record<string, string>) => `${ctx.path}?${new URLSearchParams({ ...base, ...extra }).toString()}`;
  const links: Record<string, string> = { start: url({}), next: url({ offset: String(offset + limit) }) };
  if (offset - limit > 0) links.prev = url({ offset: String(offset - limit) });
  return links;
}

function formatRecords(page: OpenRowPage, format: string): unknown {
  const ids = page.fields.map((f) => f.id);
  if (format === 'objects') return page.records;
  const lists = page.records.map((r) => ids.map((id) => r[id] ?? null));
  if (format === 'lists') return lists;
  const sep = format === 'csv' ? ',' : '\t';
  const cell = (v: unknown) => {
    const s = v === null ? '' : String(v);
    return /[",\t\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return lists.map((row) => row.map(cell).join(sep) + '\n').join('');
}

export const datastoreActions: Record<string, CkanAction> = {
  datastore_search: {
    help: "Search an open dataset's rows. Parameters: resource_id, filters (a JSON object: field → value or list of values), q (full text), fields, sort, limit (default 100, at most 32000), offset, include_total, records_format (objects, lists, csv, tsv).",
    run: async (ctx, d) => {
      const resourceId = required(d, 'resource_id');
      const limit = natural(d, 'limit', DATASTORE_ROWS_DEFAULT, DATASTORE_ROWS_MAX);
      const offset = natural(d, 'offset', 0);
      const filters = filtersOf(d);
      if (d.q !== undefined && d.q !== null && typeof d.q !== 'string')
        throw invalid('q', 'Only a full-text string is supported; filter on fields with filters');
      const q = str(d, 'q') ?? str(d, 'full_text');
      const fields = csvList(d, 'fields');
      const sort = sortOf(d);
      const includeTotal = bool(d, 'include_total', true);
      const recordsFormat = str(d, 'records_format') ?? 'objects';
      if (!['objects', 'lists', 'csv', 'tsv'].includes(recordsFormat)) throw invalid('records_format', 'Value must be one of: objects, lists, csv, tsv');
      if (bool(d, 'distinct', false)) throw invalid('distinct', 'distinct is not supported');

      const dataset = await datasetOfResource(ctx, resourceId);
      const page = await ctx.rows.query(
        dataset.id,
        { limit, offset, ...(fields ? { fields } : {}), ...(filters ? { filters } : {}), ...(q?.trim() ? { text: q } : {}), ...(sort ? { sort } : {}) },
        null,
      );
      return {
        include_total: includeTotal,
        resource_id: resourceId,
        fields: page.fields.map((f) => ({ id: f.id, type: CKAN_TYPES[f.type] ?? 'text', info: { label: f.title } })),
        records_format: recordsFormat,
        records: formatRecords(page, recordsFormat),
        limit,
        ...(d.offset !== undefined ? { offset } : {}),
        ...(filters ? { filters } : {}),
        ...(q !== undefined ? { q } : {}),
        ...(sort ? { sort: sort.map((s) => `${s.item}${s.desc ? ' desc' : ''}`).join(', ') } : {}),
        _links: linksOf(ctx, d, limit, offset),
        ...(includeTotal ? { total: page.total, total_was_estimated: false } : {}),
      };
    },
  },
};
