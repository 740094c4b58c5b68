import type { OpenDataset } from '../contracts.js';

export const FACETS = ['domain', 'department', 'region', 'format', 'openType'] as const;
export type Facet = (typeof FACETS)[number];
export type SearchSort = 'relevance' | 'modified' | 'name' | 'records';

export type DatasetSearch = {
  /** Relevance by dataset id when a text query was given (OpenCatalog.match); null: every dataset. */
  matched: Map<string, number> | null;
  filters: Partial<Record<Facet, string[]>>;
  sort: SearchSort;
  offset: number;
  limit: number;
};

export type FacetCount = { value: string; label: string; count: number };

/** The values a dataset has for a facet, with their labels. */
function facetValues(d: OpenDataset, f: Facet): { value: string; label: string }[] {
  switch (f) {
    case 'domain':
      return [{ value: d.domain, label: d.domainName }];
    case 'department':
      return [{ value: d.departmentId, label: d.departmentName }];
    case 'region':
      return [{ value: d.regionCode, label: d.regionName }];
    case 'format':
      return d.distributions.map((x) => ({ value: x.format, label: x.format }));
    case 'openType':
      return [{ value: d.openType, label: d.openType === 'RESTRICTED' ? '受限开放' : '无条件开放' }];
  }
}

const SORTS: Record<Exclude<SearchSort, 'relevance'>, (a: OpenDataset, b: OpenDataset) => number> = {
  modified: (a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : 0),
  name: (a, b) => collator.compare(a.title, b.title),
  records: (a, b) => b.recordCount - a.recordCount,
};

/**
 * Search over the open catalogue's list (in memory): text matches come from the index, then
 * facet filters (any of the values within a facet, all facets), facet counts over the filtered
 * result, a stable sort (ties by name) and a page. Only listed datasets can be counted, so a
 * facet or a total never reveals an unpublished or suspended one.
 */
export function searchDatasets(all: readonly OpenDataset[], s: DatasetSearch) {
  const byName = (a: OpenDataset, b: OpenDataset) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const fixed = s.sort === 'relevance' ? (s.matched ? null : 'modified') : s.sort;
  // Fixed orders are sorted once per list (the open catalogue's snapshot); filtering keeps the order.
  const source = fixed === null ? all : sortedOnce(all, fixed, (a, b) => SORTS[fixed](a, b) || byName(a, b));
  const unfiltered = !s.matched && FACETS.every((f) => !s.filters[f]?.length);
  const hits = unfiltered
    ? source
    : source.filter((d) => {
        if (s.matched && !s.matched.has(d.id)) return false;
        return FACETS.every((f) => {
          const wanted = s.filters[f];
          return !wanted?.length || facetValues(d, f).some((v) => wanted.includes(v.value));
        });
      });
  const facets = unfiltered ? facetsOnce(all, hits) : facetsOf(hits);
  const sorted = fixed === null ? [...hits].sort((a, b) => relevance(s.matched!)(a, b) || byName(a, b)) : hits;
  return { total: hits.length, results: sorted.slice(s.offset, s.offset + s.limit), facets };
}

const fullFacets = new WeakMap<readonly OpenDataset[], Record<Facet, FacetCount[]>>();

/** The whole list's facets, counted once per list. */
function facetsOnce(all: readonly OpenDataset[], hits: readonly OpenDataset[]) {
  let f = fullFacets.get(all);
  if (!f) fullFacets.set(all, (f = facetsOf(hits)));
  return f;
}

function facetsOf(hits: readonly OpenDataset[]): Record<Facet, FacetCount[]> {
  return Object.fromEntries(
    FACETS.map((f) => {
      const counts = new Map<string, FacetCount>();
      for (const d of hits) {
        for (const v of facetValues(d, f)) {
          const c = counts.get(v.value) ?? { ...v, count: 0 };
          c.count++;
          counts.set(v.value, c);
        }
      }
      return [f, [...counts.values()].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))];
    }),
  ) as Record<Facet, FacetCount[]>;
}

const orders = new WeakMap<readonly OpenDataset[], Map<string, readonly OpenDataset[]>>();

function sortedOnce(all: readonly OpenDataset[], key: string, cmp: (a: OpenDataset, b: OpenDataset) => number): readonly OpenDataset[] {
  let byKey = orders.get(all);
  if (!byKey) orders.set(all, (byKey = new Map()));
  let sorted = byKey.get(key);
  if (!sorted) byKey.set(key, (sorted = [...all].sort(cmp)));
  return sorted;
}

const collator = new Intl.Collator('zh-CN');
const relevance = (m: Map<string, number>) => (a: OpenDataset, b: OpenDataset) => (m.get(b.id) ?? 0) - (m.get(a.id) ?? 0);
