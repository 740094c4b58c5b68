import type { Resource } from '../resources/resources.schemas.js';
import { fieldChanges, itemContent, ITEM_CONTENT_FIELDS, resourceContent, RESOURCE_CONTENT_FIELDS, type FieldChange } from './edition-content.js';

export type ResourceChange = {
  code: string;
  name: string;
  fields: FieldChange[];
  items: { added: string[]; removed: string[]; changed: { code: string; fields: FieldChange[] }[] };
};

export type DiffBody = {
  summary: {
    resourcesAdded: number;
    resourcesRemoved: number;
    resourcesChanged: number;
    itemsAdded: number;
    itemsRemoved: number;
    itemsChanged: number;
  };
  added: { code: string; name: string }[];
  removed: { code: string; name: string }[];
  changed: ResourceChange[];
};

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Compares two versions of one entry; items are matched by code. Null when nothing compared differs. */
export function compareResource(from: Resource, to: Resource): ResourceChange | null {
  const fields = fieldChanges(resourceContent(from), resourceContent(to), RESOURCE_CONTENT_FIELDS);
  const before = new Map((from.items ?? []).map((i) => [i.code, i]));
  const after = new Map((to.items ?? []).map((i) => [i.code, i]));
  const items: ResourceChange['items'] = { added: [], removed: [], changed: [] };
  for (const [code, item] of after) {
    const old = before.get(code);
    if (!old) {
      items.added.push(code);
      continue;
    }
    const changes = fieldChanges(itemContent(old), itemContent(item), ITEM_CONTENT_FIELDS);
    if (changes.length) items.changed.push({ code, fields: changes });
  }
  for (const code of before.keys()) if (!after.has(code)) items.removed.push(code);
  if (!fields.length && !items.added.length && !items.removed.length && !items.changed.length) return null;
  items.added.sort();
  items.removed.sort();
  items.changed.sort(byCode);
  return { code: to.code, name: to.name, fields, items };
}

/**
 * Builds the diff from the entries that may differ: `from` holds the removed and the candidate
 * changed entries, `to` the added and the candidate changed ones (those whose hashes differ).
 * Item counts cover whole resources too, so items(to) = items(from) + itemsAdded − itemsRemoved.
 */
export function diffEntries(from: ReadonlyMap<string, Resource>, to: ReadonlyMap<string, Resource>): DiffBody {
  const body: DiffBody = {
    summary: { resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 0, itemsAdded: 0, itemsRemoved: 0, itemsChanged: 0 },
    added: [],
    removed: [],
    changed: [],
  };
  const s = body.summary;
  for (const [code, r] of to) {
    const old = from.get(code);
    if (!old) {
      body.added.push({ code, name: r.name });
      s.itemsAdded += r.items?.length ?? 0;
      continue;
    }
    const change = compareResource(old, r);
    if (!change) continue;
    body.changed.push(change);
    s.itemsAdded += change.items.added.length;
    s.itemsRemoved += change.items.removed.length;
    s.itemsChanged += change.items.changed.length;
  }
  for (const [code, r] of from) {
    if (to.has(code)) continue;
    body.removed.push({ code, name: r.name });
    s.itemsRemoved += r.items?.length ?? 0;
  }
  body.added.sort(byCode);
  body.removed.sort(byCode);
  body.changed.sort(byCode);
  s.resourcesAdded = body.added.length;
  s.resourcesRemoved = body.removed.length;
  s.resourcesChanged = body.changed.length;
  return body;
}
