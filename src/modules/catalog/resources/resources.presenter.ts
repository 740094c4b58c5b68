import { fromJson, toBool } from '../../../storage/dialect.js';
import type { DataItemTable } from '../../../storage/schema.js';
import type { DataType, MaskingRule, Sensitivity } from '../codes.js';
import type { DataItem, Resource } from './resources.schemas.js';
import { openTypeFromDb, shareTypeFromDb, type ResourceRowWithCounts } from './resources.repository.js';

export function presentItem(row: DataItemTable): DataItem {
  return {
    id: row.id,
    seq: row.seq,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    dataType: row.data_type as DataType,
    legacyType: row.legacy_type,
    length: row.length,
    precision: row.precision,
    primaryKey: toBool(row.primary_key),
    nullable: toBool(row.nullable),
    codeSet: row.code_set,
    dataElement: row.data_element,
    shareType: shareTypeFromDb(row.share_type),
    shareCondition: row.share_condition,
    openType: openTypeFromDb(row.open_type),
    openCondition: row.open_condition,
    sensitivity: row.sensitivity as Sensitivity,
    maskingRule: row.masking_rule as MaskingRule | null,
    sourceField: row.source_field,
    description: row.description,
  };
}

/**
 * Record counts as a figure: collection replaces the total with the records actually held, so the
 * declared shared and open counts are capped at it (never more shared than there are records).
 */
export function presentRecordCounts(row: Pick<ResourceRowWithCounts, 'record_total' | 'record_shared' | 'record_open'>) {
  const total = Number(row.record_total);
  return { total, shared: Math.min(Number(row.record_shared), total), open: Math.min(Number(row.record_open), total) };
}

export function presentResource(row: ResourceRowWithCounts, items?: DataItemTable[]): Resource {
  return {
    id: row.id,
    code: row.code,
    classificationCode: row.classification_code,
    sequenceNo: row.sequence_no,
    name: row.name,
    nameEn: row.name_en,
    category: row.category,
    providerDepartmentId: row.provider_department_id,
    regionCode: row.region_code,
    summary: row.summary,
    formatCategory: row.format_category,
    formatType: row.format_type,
    shareType: shareTypeFromDb(row.share_type),
    shareCondition: row.share_condition,
    notSharedBasis: row.not_shared_basis,
    shareModes: fromJson<string[]>(row.share_modes, []),
    openType: openTypeFromDb(row.open_type),
    openCondition: row.open_condition,
    openDomain: row.open_domain,
    updateFrequency: row.update_frequency,
    publishedOn: row.published_on,
    relatedCodes: fromJson<string[]>(row.related_codes, []),
    systemId: row.system_id,
    sensitivity: row.sensitivity as Sensitivity,
    importance: row.importance,
    classified: toBool(row.classified),
    tags: fromJson<string[]>(row.tags, []),
    recordCounts: presentRecordCounts(row),
    itemCount: Number(row.item_count),
    shareableItemCount: Number(row.shareable_item_count),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(items ? { items: items.map(presentItem) } : {}),
  };
}
