import { fromJson } from '../../../storage/dialect.js';
import type { RecordValue } from '../../collection/index.js';
import type { MasterView, Provenance, SourceLink, MatchTier } from '../contracts.js';
import type { MasterRow, SourceRow } from './masters.repository.js';

export function presentMaster(row: MasterRow, themeCode: string): MasterView {
  return {
    id: row.id,
    themeCode,
    key: row.master_key,
    attributes: fromJson<Record<string, RecordValue>>(row.attributes, {}),
    provenance: fromJson<Record<string, Provenance>>(row.provenance, {}),
    sourceCount: Number(row.source_count),
    regionCode: row.region_code,
    updatedAt: row.updated_at,
  };
}

/** The record key a crosswalk row names, back from its recordKeyText form ([[code, value], …]). */
export function recordKeyOf(sourceKey: string): Record<string, string> {
  const pairs = fromJson<[string, string][]>(sourceKey, []);
  return Object.fromEntries(pairs);
}

export function presentSourceLink(row: SourceRow, themeCode: string): SourceLink {
  return {
    themeCode,
    resourceId: row.resource_id,
    recordKey: recordKeyOf(row.source_key),
    sourceKey: row.source_key,
    masterId: row.master_id,
    tier: row.tier as MatchTier,
    receivedAt: row.received_at,
  };
}

export const sourceAttributes = (row: SourceRow) => fromJson<Record<string, RecordValue>>(row.attributes, {});
