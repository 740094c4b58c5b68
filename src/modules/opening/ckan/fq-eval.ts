import { invalid } from './ckan-errors.js';
import { fieldsOf, type FqNode } from './fq-parser.js';
import { isSearchField, SEARCH_FIELDS, type SearchDoc } from './search-fields.js';
import { parseSolrDate } from './solr-date.js';

/**
 * Turns a parsed query into a predicate over search documents. Words of the default field
 * (`text`) are matched through the open catalogue's index (Chinese segmented there), so `q` and
 * bare words in `fq` find what the portal's search finds; `textHits` holds those matches, one
 * map (dataset id → score) per word. Every error names its parameter (`q` or `fq`) and becomes
 * a 409 Validation Error.
 */
export type Predicate = (doc: SearchDoc) => boolean;
export type TextHits = Map<string, Map<string, number>>;

/** Unknown fields are refused before anything is evaluated. */
export function checkFields(node: FqNode, param: string): void {
  const unknown = [...fieldsOf(node)].filter((f) => !isSearchField(f));
  if (unknown.length > 0) {
    throw invalid(param, `Unknown field "${unknown[0]}"; searchable fields: ${Object.keys(SEARCH_FIELDS).join(', ')}`);
  }
}

const isIndexWord = (n: FqNode): boolean => n.kind === 'term' && (n.field === null || n.field === 'text') && n.glob === null;

/** The words to look up in the index before compiling. */
export function indexWords(node: FqNode, out = new Set<string>()): Set<string> {
  if (node.kind === 'term' && isIndexWord(node)) out.add(node.value);
  else if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) indexWords(c, out);
  else if (node.kind === 'not') indexWords(node.child, out);
  return out;
}

export function compile(node: FqNode, param: string, now: Date, hits: TextHits): Predicate {
  switch (node.kind) {
    case 'all':
      return () => true;
    case 'and': {
      const parts = node.children.map((c) => compile(c, param, now, hits));
      return (doc) => parts.every((p) => p(doc));
    }
    case 'or': {
      const parts = node.children.map((c) => compile(c, param, now, hits));
      return (doc) => parts.some((p) => p(doc));
    }
    case 'not': {
      const inner = compile(node.child, param, now, hits);
      return (doc) => !inner(doc);
    }
    case 'term':
      return compileTerm(node, param, now, hits);
    case 'range':
      return compileRange(node, param, now);
  }
}

function globRegExp(glob: string, flags: string): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) src += escapeRegExp(glob[++i]!);
    else if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else src += escapeRegExp(c);
  }
  return new RegExp(flags.includes('anchored') ? `^${src}$` : src, flags.includes('i') ? 'iu' : 'u');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileTerm(node: Extract<FqNode, { kind: 'term' }>, param: string, now: Date, hits: TextHits): Predicate {
  const field = node.field ?? 'text';
  if (isIndexWord(node)) {
    const ids = hits.get(node.value) ?? new Map<string, number>();
    return (doc) => ids.has(doc.dataset.id);
  }
  const kind = SEARCH_FIELDS[field as keyof typeof SEARCH_FIELDS];
  if (kind === 'string') {
    if (node.glob !== null) {
      const re = globRegExp(node.glob, 'anchored');
      return (doc) => doc.strings[field]!.some((v) => re.test(v));
    }
    return (doc) => doc.strings[field]!.includes(node.value);
  }
  if (kind === 'text') {
    if (node.glob !== null) {
      const re = globRegExp(node.glob.toLowerCase(), 'i');
      return (doc) => re.test(doc.texts[field]!);
    }
    const needle = node.value.toLowerCase();
    return (doc) => doc.texts[field]!.includes(needle);
  }
  // date and int fields: `*` means "has a value" (every dataset has these); otherwise equality.
  if (node.glob === '*') return () => true;
  const value = kind === 'date' ? parseSolrDate(node.value, now) : numberOf(node.value);
  if (value === null || node.glob !== null) throw invalid(param, `"${node.value}" is not a ${kind === 'date' ? 'date' : 'number'} for the field "${field}"`);
  return (doc) => doc.numbers[field] === value;
}

const numberOf = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null);

function compileRange(node: Extract<FqNode, { kind: 'range' }>, param: string, now: Date): Predicate {
  const field = node.field;
  if (field === null) throw invalid(param, 'A range needs a field (field:[a TO b])');
  const kind = SEARCH_FIELDS[field as keyof typeof SEARCH_FIELDS];
  const { includeLower, includeUpper } = node;
  if (kind === 'text') throw invalid(param, `The field "${field}" is text; ranges apply to dates, numbers and names`);
  if (kind === 'string') {
    const { lower, upper } = node;
    const inside = (v: string) => (lower === null || (includeLower ? v >= lower : v > lower)) && (upper === null || (includeUpper ? v <= upper : v < upper));
    return (doc) => doc.strings[field]!.some(inside);
  }
  const bound = (b: string | null) => {
    if (b === null) return null;
    const v = kind === 'date' ? parseSolrDate(b, now) : numberOf(b);
    if (v === null) throw invalid(param, `"${b}" is not a ${kind === 'date' ? 'date' : 'number'} for the field "${field}"`);
    return v;
  };
  const lower = bound(node.lower);
  const upper = bound(node.upper);
  return (doc) => {
    const v = doc.numbers[field]!;
    return (lower === null || (includeLower ? v >= lower : v > lower)) && (upper === null || (includeUpper ? v <= upper : v < upper));
  };
}
