import { AppError } from '../../../errors.js';
import { OPEN_DOMAINS } from '../../catalog/index.js';
import type { OpenAccess, OpenDataset, OpenRowQuery, OpenRows, OpenStats } from '../contracts.js';
import type { OpenCatalogInternal } from '../datasets/open-catalog.js';
import { openView, type Viewer } from '../datasets/open-view.js';
import { searchDatasets } from '../search/search-datasets.js';
import type { DatasetSearchQuery, RowsQuery } from './portal.schemas.js';

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

const summary = ({ items, ...d }: OpenDataset) => ({ ...d, itemCount: items.length });

/** `{"code": value | [values]}` as the row API takes it in its query string. */
export function parseFilters(text: string | undefined): OpenRowQuery['filters'] {
  if (text === undefined || text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid('query.filters', 'filters must be a JSON object: {"item_code": value or [values]}');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('query.filters', 'filters must be a JSON object');
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
  for (const [k, v] of Object.entries(raw)) {
    if (!(scalar(v) || (Array.isArray(v) && v.length > 0 && v.every(scalar))))
      throw invalid(`query.filters.${k}`, 'a filter value is a string, number, boolean or a non-empty array of them');
  }
  return raw as OpenRowQuery['filters'];
}

/** "code desc, other" → sort keys. */
export function parseSort(text: string | undefined): OpenRowQuery['sort'] {
  if (!text?.trim()) return undefined;
  return text.split(',').map((part, n) => {
    const m = /^\s*([a-z][a-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw invalid(`query.sort[${n}]`, 'sort is "item_code [asc|desc]", comma-separated');
    return { item: m[1]!.toLowerCase(), desc: m[2]?.toLowerCase() === 'desc' };
  });
}

/** The public portal: domains, search with facets, a dataset's page, its preview and its rows. No login for UNCONDITIONAL data. */
export function createPortalService(deps: { catalog: OpenCatalogInternal; rows: OpenRows; access: OpenAccess; stats: () => OpenStats }) {
  const { catalog, rows } = deps;
  return {
    async domains() {
      const counts = new Map<string, number>();
      for (const d of await catalog.datasets()) counts.set(d.domain, (counts.get(d.domain) ?? 0) + 1);
      return {
        items: Object.entries(OPEN_DOMAINS).map(([code, l]) => ({ code, name: l.zh, nameEn: l.en, datasets: counts.get(code) ?? 0 })),
      };
    },

    async search(q: DatasetSearchQuery) {
      const text = q.q?.trim();
      const matched = text ? await catalog.match(text) : null;
      const r = searchDatasets(await catalog.datasets(), {
        matched,
        filters: {
          domain: q.domain,
          department: q.department,
          region: q.region,
          format: q.format?.map((f) => f.toUpperCase()),
          openType: q.openType?.map((f) => f.toUpperCase()),
        },
        sort: q.sort,
        offset: q.offset,
        limit: q.limit,
      });
      return { total: r.total, offset: q.offset, limit: q.limit, items: r.results.map(summary), facets: r.facets };
    },

    async detail(id: string, viewer: Viewer) {
      const view = await openView(catalog, deps.access, id, viewer);
      deps.stats().count(view.dataset.id, 'view');
      return { ...view.dataset, withheld: view.withheld };
    },

    async preview(id: string, q: { limit: number; cursor?: string }, viewer: Viewer) {
      const page = await rows.query(id, { limit: q.limit, cursor: q.cursor }, viewer);
      return { ...page, withheld: page.withheld ?? [] };
    },

    async rows(id: string, q: RowsQuery, viewer: Viewer) {
      const page = await rows.query(
        id,
        { fields: q.fields, filters: parseFilters(q.filters), text: q.q, sort: parseSort(q.sort), limit: q.limit, offset: q.offset, cursor: q.cursor },
        viewer,
      );
      const dataset = await catalog.dataset(id);
      if (dataset) deps.stats().count(dataset.id, 'api');
      return { ...page, withheld: page.withheld ?? [] };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
