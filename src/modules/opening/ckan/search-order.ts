import type { SearchDoc } from './search-fields.js';
import type { SORT_FIELDS } from './search-fields.js';

/**
 * Result order for package_search. Orders without relevance are computed once per catalogue
 * snapshot and sort (then each search only filters the ordered list); relevance orders sort the
 * matching datasets per search. Ties end in id order, so pages never overlap.
 */
export type Sort = { field: (typeof SORT_FIELDS)[number]; desc: boolean }[];

function sortKey(doc: SearchDoc, field: Sort[number]['field'], scores: Map<string, number>): number | string {
  switch (field) {
    case 'score':
      return scores.get(doc.dataset.id) ?? 0;
    case 'name':
    case 'id':
      return doc.strings[field]![0]!;
    case 'title':
    case 'title_string':
      return doc.dataset.title;
    default:
      return doc.numbers[field]!;
  }
}

function comparator(sort: Sort, scores: Map<string, number>) {
  return (a: SearchDoc, b: SearchDoc) => {
    for (const s of sort) {
      const x = sortKey(a, s.field, scores);
      const y = sortKey(b, s.field, scores);
      if (x !== y) return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
    }
    return a.dataset.id < b.dataset.id ? -1 : a.dataset.id > b.dataset.id ? 1 : 0;
  };
}

const MAX_CACHED_ORDERS = 16;
const orders = new WeakMap<SearchDoc[], Map<string, SearchDoc[]>>();

function ordered(docs: SearchDoc[], sort: Sort): SearchDoc[] {
  let cache = orders.get(docs);
  if (!cache) orders.set(docs, (cache = new Map()));
  const key = JSON.stringify(sort);
  let list = cache.get(key);
  if (!list) {
    list = [...docs].sort(comparator(sort, new Map()));
    if (cache.size >= MAX_CACHED_ORDERS) cache.clear();
    cache.set(key, list);
  }
  return list;
}

/** The datasets `keep` accepts, in `sort` order. */
export function orderResults(docs: SearchDoc[], keep: (doc: SearchDoc) => boolean, sort: Sort, scores: Map<string, number>): SearchDoc[] {
  if (scores.size > 0 && sort.some((s) => s.field === 'score')) return docs.filter(keep).sort(comparator(sort, scores));
  // Without relevance every score is 0: the score keys do not order anything.
  return ordered(
    docs,
    sort.filter((s) => s.field !== 'score'),
  ).filter(keep);
}
