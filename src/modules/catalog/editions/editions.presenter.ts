import { fromJson } from '../../../storage/dialect.js';
import type { EditionEntryTable, EditionTable } from '../../../storage/schema.js';
import type { Resource } from '../resources/resources.schemas.js';
import type { Edition, EditionEntry, EditionEntrySummary, EditionRef } from './editions.schemas.js';

export function presentEdition(row: EditionTable): Edition {
  return {
    id: row.id,
    name: row.name,
    note: row.note,
    resourceCount: Number(row.resource_count),
    itemCount: Number(row.item_count),
    shareableItemCount: Number(row.shareable_item_count),
    publishedBy: row.published_by,
    publishedAt: row.published_at,
  };
}

export const editionRef = (row: EditionTable): EditionRef => ({ id: row.id, name: row.name, publishedAt: row.published_at });
export const CURRENT_REF: EditionRef = Object.freeze({ id: 'current', name: null, publishedAt: null });

export const snapshotOf = (row: Pick<EditionEntryTable, 'snapshot'>): Resource => fromJson<Resource>(row.snapshot, {} as Resource);

export function presentEntrySummary(row: EditionEntryTable): EditionEntrySummary {
  const r = snapshotOf(row);
  return {
    code: row.resource_code,
    name: r.name,
    providerDepartmentId: r.providerDepartmentId,
    regionCode: r.regionCode,
    category: r.category,
    shareType: r.shareType,
    openType: r.openType,
    sensitivity: r.sensitivity,
    classified: r.classified,
    itemCount: r.itemCount,
    shareableItemCount: r.shareableItemCount,
    contentHash: row.content_hash,
  };
}

export function presentEntry(row: EditionEntryTable): EditionEntry {
  return { editionId: row.edition_id, code: row.resource_code, contentHash: row.content_hash, snapshot: snapshotOf(row) };
}
