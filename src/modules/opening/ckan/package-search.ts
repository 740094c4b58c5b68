import type { OpenCatalog } from '../contracts.js';
import { invalid, searchError } from './ckan-errors.js';
import { checkFields, compile, indexWords, type Predicate, type TextHits } from './fq-eval.js';
import { FqSyntaxError, parseFq, type FqNode } from './fq-parser.js';
import { presentPackage } from './package.presenter.js';
import { bool, integer, jsonList, natural, str, strList, type DataDict } from './params.js';
import { FACET_FIELDS, searchDocs, SORT_FIELDS } from './search-fields.js';
import { orderResults, type Sort } from './search-order.js';
import { facetsOf } from './facets.js';

/**
 * `package_search` over the open catalogue's datasets (held in memory by OpenCatalog): `q` and
 * `fq` / `fq_list` parsed by fq-parser.ts, sorted, paged and faceted like CKAN 2.10 answers it.
 */
export const ROWS_MAX = 1000;
const DEFAULT_SORT = 'score desc, metadata_modified desc';

/** The parameters CKAN passes on to Solr, and those it consumes itself; anything else is refused like CKAN does. */
const KNOWN = new Set([
  'q', 'fq', 'fq_list', 'rows', 'start', 'sort', 'facet', 'facet.field', 'facet.limit', 'facet.mincount', 'fl',
  'include_private', 'include_drafts', 'include_deleted', 'use_default_schema', 'qf', 'wt', 'bf', 'boost', 'tie', 'defType', 'mm', 'df', 'extras',
]); // prettier-ignore

export type SearchContext = { catalog: OpenCatalog; now: Date; baseUrl: string };

function parse(source: string, param: string): FqNode {
  try {
    const node = parseFq(source);
    checkFields(node, param);
    return node;
  } catch (err) {
    if (err instanceof FqSyntaxError) throw invalid(param, `Cannot parse the query: ${err.message}`);
    throw err;
  }
}

/** `q` without field syntax goes to the index whole (as the portal's search); with it, through the parser. */
function parseQ(q: string): { node: FqNode; wholeText: string | null } {
  const trimmed = q.trim();
  if (trimmed === '' || trimmed === '*:*') return { node: { kind: 'all' }, wholeText: null };
  if (!/[:()[\]{}"]|(^|\s)(AND|OR|NOT)(\s|$)|(^|\s)[-+!]/.test(trimmed)) return { node: { kind: 'all' }, wholeText: trimmed };
  return { node: parse(trimmed, 'q'), wholeText: null };
}

function parseSort(raw: string | undefined): Sort {
  const text = raw === undefined || raw.trim() === '' || raw.trim() === 'rank' ? DEFAULT_SORT : raw;
  return text.split(',').map((part) => {
    const [field = '', dir = 'asc', ...rest] = part.trim().split(/\s+/);
    if (!(SORT_FIELDS as readonly string[]).includes(field) || rest.length > 0 || !['asc', 'desc'].includes(dir.toLowerCase())) {
      throw invalid('sort', `Cannot sort by "${part.trim()}"; use one of ${SORT_FIELDS.join(', ')} with asc or desc`);
    }
    return { field: field as Sort[number]['field'], desc: dir.toLowerCase() === 'desc' };
  });
}

export async function packageSearch(ctx: SearchContext, d: DataDict) {
  const unknown = Object.keys(d).filter((k) => !KNOWN.has(k) && !k.startsWith('ext_'));
  if (unknown.length > 0) throw searchError(`Invalid search parameters: ${JSON.stringify(unknown)}`);
  const rows = natural(d, 'rows', 10, ROWS_MAX);
  const start = natural(d, 'start', 0);
  const sort = parseSort(str(d, 'sort'));
  const faceting = bool(d, 'facet', true);
  const facetFields = jsonList(d, 'facet.field') ?? [];
  const badFacet = facetFields.find((f) => !(FACET_FIELDS as readonly string[]).includes(f));
  if (badFacet !== undefined) throw invalid('facet.field', `Cannot facet on "${badFacet}"; facet fields: ${FACET_FIELDS.join(', ')}`);
  const facetLimit = integer(d, 'facet.limit', 50);
  const facetMincount = natural(d, 'facet.mincount', 1);
  const fl = fieldList(d);

  const q = parseQ(str(d, 'q') ?? '');
  const filters = [...strList(d, 'fq'), ...strList(d, 'fq_list')].map((f) => parse(f, 'fq'));

  const words = new Set<string>();
  for (const n of [q.node, ...filters]) indexWords(n, words);
  const hits: TextHits = new Map();
  for (const w of words) hits.set(w, await ctx.catalog.match(w));
  const scores = q.wholeText !== null ? await ctx.catalog.match(q.wholeText) : qScores(indexWords(q.node), hits);

  const predicates: Predicate[] = [q.node, ...filters].map((n, i) => compile(n, i === 0 ? 'q' : 'fq', ctx.now, hits));
  if (q.wholeText !== null) predicates.push((doc) => scores.has(doc.dataset.id));

  const docs = orderResults(searchDocs(await ctx.catalog.datasets()), (doc) => predicates.every((p) => p(doc)), sort, scores);

  const facets = faceting ? facetsOf(docs, facetFields, facetLimit, facetMincount) : { facets: {}, search_facets: {} };
  return {
    count: docs.length,
    sort: sort.map((s) => `${s.field} ${s.desc ? 'desc' : 'asc'}`).join(', '),
    results: docs.slice(start, start + rows).map((doc) => pick(presentPackage(doc.dataset, ctx.baseUrl), fl)),
    ...facets,
  };
}

/** Relevance of a `q` with field syntax: the summed scores of its bare words. */
function qScores(words: Set<string>, hits: TextHits): Map<string, number> {
  const scores = new Map<string, number>();
  for (const w of words) for (const [id, s] of hits.get(w) ?? []) scores.set(id, (scores.get(id) ?? 0) + s);
  return scores;
}

/** `fl`: the package fields to return (a list, or names separated by spaces or commas); all when absent. */
function fieldList(d: DataDict): string[] | null {
  const raw = d.fl;
  if (raw === undefined || raw === null || raw === '') return null;
  const names = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : null;
  if (!names || !names.every((n) => typeof n === 'string')) throw invalid('fl', 'Not a list of strings');
  return (names as string[]).filter((n) => n !== '');
}

function pick(p: Record<string, unknown>, fl: string[] | null): Record<string, unknown> {
  return fl === null ? p : Object.fromEntries(fl.filter((k) => Object.hasOwn(p, k)).map((k) => [k, p[k]]));
}
