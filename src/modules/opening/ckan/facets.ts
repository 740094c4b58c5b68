import type { SearchDoc } from './search-fields.js';

/**
 * Facet counts over the matching datasets, in both of CKAN's shapes: `facets` (deprecated:
 * field → value → count) and `search_facets` (field → {title, items: [{name, display_name,
 * count}]}). Values are ranked by count (then name) and cut at `limit` (negative: no limit),
 * as Solr's facet.sort=count does; CKAN then orders `search_facets` items by display name,
 * descending, and so does this.
 */
export function facetsOf(docs: SearchDoc[], fields: string[], limit: number, mincount: number) {
  const facets: Record<string, Record<string, number>> = {};
  const search_facets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }> = {};
  for (const field of fields) {
    const counts = new Map<string, number>();
    const labels = new Map<string, string>();
    for (const doc of docs) {
      for (const v of doc.strings[field] ?? []) {
        counts.set(v, (counts.get(v) ?? 0) + 1);
        if (!labels.has(v)) labels.set(v, displayName(doc, field, v));
      }
    }
    let ranked = [...counts].filter(([, n]) => n >= Math.max(mincount, 1)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (limit >= 0) ranked = ranked.slice(0, limit);
    facets[field] = Object.fromEntries(ranked);
    search_facets[field] = {
      title: field,
      items: ranked
        .map(([name, count]) => ({ name, display_name: labels.get(name) ?? name, count }))
        .sort((a, b) => (a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0)),
    };
  }
  return { facets, search_facets };
}

/** Organizations and groups show their titles (department, open domain), as CKAN looks them up. */
function displayName(doc: SearchDoc, field: string, value: string): string {
  if (field === 'organization') return doc.dataset.departmentName;
  if (field === 'groups') return doc.dataset.domainName;
  return value;
}
