/** Matches a file's header cells to the data items of the resource being collected. */

export interface MappableItem {
  code: string;
  name: string;
  nameEn?: string | null;
  primaryKey: boolean;
  nullable: boolean;
}

export type MatchKind = 'explicit' | 'code' | 'name' | 'nameEn';

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

export interface HeaderMapping {
  columns: MappedColumn[];
  /** One entry per item, in the items' order: the column holding it, or -1. */
  columnOf: number[];
  /** Headers that match no item; their values are not loaded. */
  unmappedHeaders: { index: number; header: string }[];
  /** Headers the explicit mapping says to skip (mapped to null). */
  ignoredHeaders: { index: number; header: string }[];
  missingItems: MissingItem[];
  /** A second column for an item already matched: ambiguous, so the file is not loadable. */
  duplicates: { index: number; header: string; itemCode: string; firstIndex: number }[];
  /** Explicit mappings that name no item of the resource. */
  unknownTargets: { header: string; itemCode: string }[];
  loadable: boolean;
}

/**
 * For each header: the explicit mapping (header → item code, or null to skip) first, then the
 * item code (case-insensitive), then the Chinese name, then the English name. Comparison
 * ignores whitespace anywhere (templates pad "姓\u3000名" with an ideographic space), full-width
 * forms, a BOM, letter case, and the "*" that templates put on required columns.
 */
export function mapHeader(header: readonly string[], items: readonly MappableItem[], explicit: Readonly<Record<string, string | null>> = {}): HeaderMapping {
  const itemIndex = new Map(items.map((item, i) => [item.code, i]));
  const explicitMap = new Map<string, string | null>();
  const unknownTargets: HeaderMapping['unknownTargets'] = [];
  for (const [h, code] of Object.entries(explicit)) {
    if (code !== null && !itemIndex.has(code)) unknownTargets.push({ header: h, itemCode: code });
    else explicitMap.set(headerKey(h), code);
  }
  const byCode = firstByKey(items, (item) => item.code);
  const byName = firstByKey(items, (item) => item.name);
  const byNameEn = firstByKey(items, (item) => item.nameEn ?? '');

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
  header.forEach((raw, index) => {
    const key = headerKey(raw);
    let match: { item: number; by: MatchKind } | null = null;
    if (explicitMap.has(key)) {
      const code = explicitMap.get(key)!;
      if (code === null) {
        result.ignoredHeaders.push({ index, header: raw });
        return;
      }
      match = { item: itemIndex.get(code)!, by: 'explicit' };
    } else if (key !== '') {
      const found = pick(byCode, key, 'code') ?? pick(byName, key, 'name') ?? pick(byNameEn, key, 'nameEn');
      match = found;
    }
    if (match === null) {
      result.unmappedHeaders.push({ index, header: raw });
      return;
    }
    const item = items[match.item]!;
    if (columnOf[match.item]! >= 0) {
      result.duplicates.push({ index, header: raw, itemCode: item.code, firstIndex: columnOf[match.item]! });
      return;
    }
    columnOf[match.item] = index;
    result.columns.push({ index, header: raw, itemCode: item.code, matchedBy: match.by });
  });
  items.forEach((item, i) => {
    if (columnOf[i]! >= 0) return;
    const blocking = item.primaryKey || !item.nullable;
    result.missingItems.push({ code: item.code, name: item.name, primaryKey: item.primaryKey, nullable: item.nullable, blocking });
  });
  result.loadable = result.duplicates.length === 0 && unknownTargets.length === 0 && !result.missingItems.some((m) => m.blocking);
  return result;
}

/** The comparison form of a header or item label. */
export function headerKey(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/[\s\uFEFF]+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

function firstByKey(items: readonly MappableItem[], label: (item: MappableItem) => string): Map<string, number> {
  const map = new Map<string, number>();
  items.forEach((item, i) => {
    const key = headerKey(label(item));
    if (key !== '' && !map.has(key)) map.set(key, i);
  });
  return map;
}

function pick(map: Map<string, number>, key: string, by: MatchKind): { item: number; by: MatchKind } | null {
  const item = map.get(key);
  return item === undefined ? null : { item, by };
}
