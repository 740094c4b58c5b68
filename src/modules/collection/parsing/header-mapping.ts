/** Matches a file's header cells to the data items of the resource being collected. */

export interface MappableItem {
  code: string;
  name: string;
  nameEn?: string | null;
  /** The catalogue's data element (数据元) of the item, e.g. DE00001: a header naming it matches. */
  dataElement?: string | null;
  primaryKey: boolean;
  nullable: boolean;
}

/** How a header found its item: the saved mapping, an exact label, or a tolerant match (synonym, prefix, suffix). */
export type MatchKind = 'saved' | 'code' | 'name' | 'nameEn' | 'dataElement' | 'synonym' | 'prefix' | 'suffix';

/** Groups of column names meaning the same thing (mappings/header-synonyms.ts builds them). */
export type SynonymGroups = readonly (readonly string[])[];

export interface MappedColumn {
  index: number;
  header: string;
  itemCode: string;
  matchedBy: MatchKind;
}

export interface MissingItem {
  code: string;
  name: string;
  primaryKey: boolean;
  nullable: boolean;
  /** A missing primary-key or non-nullable item makes the file unloadable. */
  blocking: boolean;
}

export interface UnmappedHeader {
  index: number;
  header: string;
  /** Why no item was chosen, in plain words. */
  reason: string;
  /** Item codes that matched equally well: never guessed between. Absent when nothing matched. */
  candidates?: string[];
}

export interface HeaderMapping {
  columns: MappedColumn[];
  /** One entry per item, in the items' order: the column holding it, or -1. */
  columnOf: number[];
  /** Headers that match no item, or several (with `candidates`); their values are not loaded. */
  unmappedHeaders: UnmappedHeader[];
  /** Headers the saved mapping says to skip (mapped to null). */
  ignoredHeaders: { index: number; header: string }[];
  missingItems: MissingItem[];
  /** A second column for an item already matched exactly: ambiguous, so the file is not loadable. */
  duplicates: { index: number; header: string; itemCode: string; firstIndex: number }[];
  /** Saved mappings that name no item of the resource. */
  unknownTargets: { header: string; itemCode: string }[];
  loadable: boolean;
}

export type MapHeaderOptions = { synonyms?: SynonymGroups };

/** A tolerant match needs this many characters on its shorter side: '号' alone is a suffix of too much. */
const MIN_AFFIX_LENGTH = 2;

/**
 * Maps each header in two passes. Exact first: the saved mapping (header → item code, or null to
 * skip), then the item code, the Chinese name, the English name, the data element. Then, for the
 * headers left and the items no exact match took: a shipped or platform synonym, then a prefix or
 * suffix (性别 ↔ 性别代码). A tolerant match counts only when exactly one item matches and no other
 * header matched that item tolerantly: otherwise the header stays unmapped with the candidates
 * named, never guessed. Comparison uses headerKey().
 */
export function mapHeader(
  header: readonly string[],
  items: readonly MappableItem[],
  explicit: Readonly<Record<string, string | null>> = {},
  options: MapHeaderOptions = {},
): HeaderMapping {
  const itemIndex = new Map(items.map((item, i) => [item.code, i]));
  const explicitMap = new Map<string, string | null>();
  const unknownTargets: HeaderMapping['unknownTargets'] = [];
  for (const [h, code] of Object.entries(explicit)) {
    if (code !== null && !itemIndex.has(code)) unknownTargets.push({ header: h, itemCode: code });
    else explicitMap.set(headerKey(h), code);
  }
  const exact: [MatchKind, Map<string, number[]>][] = [
    ['code', indexBy(items, (item) => [item.code])],
    ['name', indexBy(items, (item) => [item.name])],
    ['nameEn', indexBy(items, (item) => [item.nameEn ?? ''])],
    ['dataElement', indexBy(items, (item) => [item.dataElement ?? ''])],
  ];

  const columnOf: number[] = items.map(() => -1);
  const result: HeaderMapping = {
    columns: [],
    columnOf,
    unmappedHeaders: [],
    ignoredHeaders: [],
    missingItems: [],
    duplicates: [],
    unknownTargets,
    loadable: false,
  };
  const found: ({ item: number; by: MatchKind } | UnmappedHeader | 'skip' | 'duplicate' | null)[] = header.map(() => null);
  const take = (index: number, item: number, by: MatchKind) => {
    if (columnOf[item]! >= 0) {
      result.duplicates.push({ index, header: header[index]!, itemCode: items[item]!.code, firstIndex: columnOf[item]! });
      found[index] = 'duplicate';
      return;
    }
    columnOf[item] = index;
    found[index] = { item, by };
  };

  // Pass 1: saved mappings (all of them first, so a saved column is never the one called a duplicate), then exact labels.
  header.forEach((raw, index) => {
    const key = headerKey(raw);
    if (!explicitMap.has(key)) return;
    const code = explicitMap.get(key)!;
    if (code === null) found[index] = 'skip';
    else take(index, itemIndex.get(code)!, 'saved');
  });
  header.forEach((raw, index) => {
    const key = headerKey(raw);
    if (found[index] !== null || key === '') return;
    for (const [by, map] of exact) {
      const hits = map.get(key);
      if (!hits) continue;
      if (hits.length === 1 || by !== 'dataElement') take(index, hits[0]!, by);
      // Two items of one data element: which one this column fills is not for us to guess.
      else
        found[index] = ambiguous(
          index,
          raw,
          hits.map((i) => items[i]!.code),
          `several items share the data element '${raw.trim()}'`,
        );
      return;
    }
  });

  // Pass 2: tolerant matches, among the items no exact match took.
  const open = items.flatMap((_, i) => (columnOf[i]! < 0 ? [i] : []));
  const groupsOf = synonymIndex(options.synonyms ?? []);
  const labelsOf = items.map((item) => [item.code, item.name, item.nameEn ?? ''].map(headerKey).filter((k) => k !== ''));
  const tolerant = new Map<number, { candidates: number[]; by: MatchKind }>();
  header.forEach((raw, index) => {
    const key = headerKey(raw);
    if (found[index] !== null || key === '') return;
    const groups = groupsOf.get(key);
    if (groups) {
      const synonyms = open.filter((i) => labelsOf[i]!.some((label) => groupsOf.get(label)?.some((g) => groups.includes(g))));
      if (synonyms.length) return void tolerant.set(index, { candidates: synonyms, by: 'synonym' });
    }
    const prefix = open.filter((i) => labelsOf[i]!.some((label) => affix(key, label, (a, b) => a.startsWith(b))));
    const suffix = open.filter((i) => !prefix.includes(i) && labelsOf[i]!.some((label) => affix(key, label, (a, b) => a.endsWith(b))));
    if (prefix.length + suffix.length) tolerant.set(index, { candidates: [...prefix, ...suffix], by: prefix.length ? 'prefix' : 'suffix' });
  });
  const claims = new Map<number, number[]>();
  for (const [index, t] of tolerant)
    if (t.candidates.length === 1) (claims.get(t.candidates[0]!) ?? claims.set(t.candidates[0]!, []).get(t.candidates[0]!)!).push(index);
  for (const [index, t] of tolerant) {
    const raw = header[index]!;
    const codes = t.candidates.map((i) => items[i]!.code);
    if (t.candidates.length > 1) {
      found[index] = ambiguous(index, raw, codes, `matches several items by ${t.by}: ${codes.join(', ')}`);
      continue;
    }
    const rivals = claims.get(t.candidates[0]!)!.filter((other) => other !== index);
    if (rivals.length) {
      found[index] = ambiguous(index, raw, codes, `'${rivals.map((r) => header[r]).join("', '")}' also matches ${codes[0]} by ${t.by}`);
      continue;
    }
    columnOf[t.candidates[0]!] = index;
    found[index] = { item: t.candidates[0]!, by: t.by };
  }

  header.forEach((raw, index) => {
    const f = found[index] ?? null;
    if (f === 'duplicate') return;
    if (f === 'skip') result.ignoredHeaders.push({ index, header: raw });
    else if (f === null)
      result.unmappedHeaders.push({
        index,
        header: raw,
        reason: headerKey(raw) === '' ? 'the header is empty' : 'no data item has this code, name, data element or synonym',
      });
    else if ('reason' in f) result.unmappedHeaders.push(f);
    else result.columns.push({ index, header: raw, itemCode: items[f.item]!.code, matchedBy: f.by });
  });
  items.forEach((item, i) => {
    if (columnOf[i]! >= 0) return;
    const blocking = item.primaryKey || !item.nullable;
    result.missingItems.push({ code: item.code, name: item.name, primaryKey: item.primaryKey, nullable: item.nullable, blocking });
  });
  result.loadable = result.duplicates.length === 0 && unknownTargets.length === 0 && !result.missingItems.some((m) => m.blocking);
  return result;
}

/**
 * The comparison form of a header or item label: NFKC (full-width letters, digits and brackets
 * become half-width; the ideographic space a space), no whitespace, BOM or bracket characters
 * (（）()【】[] — "出生日期(YYYYMMDD)" compares as 出生日期yyyymmdd), no "*" that templates put on
 * required columns, latin letters in lower case.
 */
export function headerKey(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/[\s\uFEFF()[\]【】]+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

function ambiguous(index: number, header: string, candidates: string[], why: string): UnmappedHeader {
  return { index, header, reason: `ambiguous: ${why}; map it with the column mappings`, candidates };
}

/** Whether one of two keys starts (ends) with the other, the shorter long enough to mean something. */
function affix(a: string, b: string, test: (longer: string, shorter: string) => boolean): boolean {
  if (a === b) return false;
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return shorter.length >= MIN_AFFIX_LENGTH && test(longer, shorter);
}

function indexBy(items: readonly MappableItem[], labels: (item: MappableItem) => string[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const label of labels(item)) {
      const key = headerKey(label);
      if (key !== '') (map.get(key) ?? map.set(key, []).get(key)!).push(i);
    }
  });
  return map;
}

/** Each label's key → the groups it belongs to. */
function synonymIndex(groups: SynonymGroups): Map<string, number[]> {
  const map = new Map<string, number[]>();
  groups.forEach((group, g) => {
    for (const label of group) {
      const key = headerKey(label);
      if (key === '') continue;
      const list = map.get(key) ?? map.set(key, []).get(key)!;
      if (!list.includes(g)) list.push(g);
    }
  });
  return map;
}
