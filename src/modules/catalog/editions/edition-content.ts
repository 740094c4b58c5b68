import { createHash } from 'node:crypto';
import type { DataItem, Resource } from '../resources/resources.schemas.js';

/**
 * What an edition compares. A whitelist rather than "everything but the volatile fields", so that a
 * field added to the resource presenter later does not silently change every stored hash (and make
 * every resource look changed). Left out on purpose:
 * - ids: the resource code and the item code are the keys; a resource deleted and catalogued again
 *   under the same code is the same entry;
 * - version, createdAt, updatedAt: saving an entry unchanged is not a change;
 * - itemCount, shareableItemCount, classificationCode, sequenceNo: derived from the items / the code;
 * - recordCounts: they move with every collection run, not with the catalogue;
 * - item seq: items are matched by code, their order in the template is presentation.
 * The snapshot itself keeps all of these: an edition is the bureau's record.
 */
export const RESOURCE_CONTENT_FIELDS = [
  'code',
  'name',
  'nameEn',
  'category',
  'providerDepartmentId',
  'regionCode',
  'summary',
  'formatCategory',
  'formatType',
  'shareType',
  'shareCondition',
  'notSharedBasis',
  'shareModes',
  'openType',
  'openCondition',
  'openDomain',
  'updateFrequency',
  'publishedOn',
  'relatedCodes',
  'systemId',
  'sensitivity',
  'importance',
  'classified',
  'tags',
] as const satisfies readonly (keyof Resource)[];

export const ITEM_CONTENT_FIELDS = [
  'code',
  'name',
  'nameEn',
  'dataType',
  'legacyType',
  'length',
  'precision',
  'primaryKey',
  'nullable',
  'codeSet',
  'dataElement',
  'shareType',
  'shareCondition',
  'openType',
  'openCondition',
  'sensitivity',
  'maskingRule',
  'sourceField',
  'description',
] as const satisfies readonly (keyof DataItem)[];

/** Lists whose order carries no meaning: compared as sorted sets. */
const UNORDERED_FIELDS: ReadonlySet<string> = new Set(['shareModes', 'relatedCodes', 'tags']);

export type FieldChange = { field: string; from: unknown; to: unknown };
type Content = Record<string, unknown>;

function pick(source: object, fields: readonly string[]): Content {
  const out: Content = {};
  for (const f of fields) {
    const v = (source as Record<string, unknown>)[f] ?? null;
    out[f] = UNORDERED_FIELDS.has(f) && Array.isArray(v) ? [...v].map(String).sort() : v;
  }
  return out;
}

export const itemContent = (item: DataItem): Content => pick(item, ITEM_CONTENT_FIELDS);

/** The resource's comparable fields, without its items. */
export const resourceContent = (r: Resource): Content => pick(r, RESOURCE_CONTENT_FIELDS);

/** JSON with object keys sorted at every depth: equal content gives equal text on any engine. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Content = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Content)[k];
    return sorted;
  });
}

/** sha256 (hex) of the canonical content: equal hashes mean nothing an edition compares has changed. */
export function contentHash(r: Resource): string {
  const items = [...(r.items ?? [])].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(itemContent);
  return createHash('sha256')
    .update(canonicalJson({ ...resourceContent(r), items }))
    .digest('hex');
}

/** The fields whose values differ, in the order of `fields`. */
export function fieldChanges(from: Content, to: Content, fields: readonly string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    const a = from[field] ?? null;
    const b = to[field] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) out.push({ field, from: a, to: b });
  }
  return out;
}
