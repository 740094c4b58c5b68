// The labels of a resource's and a data item's fields, by the API's field name: the editor's
// labels and problems, and the editions diff's field-by-field changes.
import type { MessageKey } from '../../i18n/i18n';

export const RESOURCE_FIELD_LABELS: Record<string, MessageKey> = {
  code: 'field.resource.code',
  name: 'field.resource.name',
  nameEn: 'field.resource.nameEn',
  category: 'field.resource.category',
  providerDepartmentId: 'field.resource.providerDepartmentId',
  regionCode: 'field.resource.regionCode',
  summary: 'field.resource.summary',
  formatCategory: 'field.resource.formatCategory',
  formatType: 'field.resource.formatType',
  shareType: 'field.resource.shareType',
  shareCondition: 'field.resource.shareCondition',
  notSharedBasis: 'field.resource.notSharedBasis',
  shareModes: 'field.resource.shareModes',
  openType: 'field.resource.openType',
  openCondition: 'field.resource.openCondition',
  openDomain: 'field.resource.openDomain',
  updateFrequency: 'field.resource.updateFrequency',
  publishedOn: 'field.resource.publishedOn',
  relatedCodes: 'field.resource.relatedCodes',
  systemId: 'field.resource.systemId',
  sensitivity: 'field.resource.sensitivity',
  importance: 'field.resource.importance',
  classified: 'field.resource.classified',
  tags: 'field.resource.tags',
  recordCounts: 'field.resource.recordCounts',
  items: 'field.resource.items',
};

export const ITEM_FIELD_LABELS: Record<string, MessageKey> = {
  code: 'field.item.code',
  name: 'field.item.name',
  nameEn: 'field.item.nameEn',
  dataType: 'field.item.dataType',
  legacyType: 'field.item.legacyType',
  length: 'field.item.length',
  precision: 'field.item.precision',
  primaryKey: 'field.item.primaryKey',
  nullable: 'field.item.nullable',
  codeSet: 'field.item.codeSet',
  dataElement: 'field.item.dataElement',
  shareType: 'field.item.shareType',
  shareCondition: 'field.item.shareCondition',
  openType: 'field.item.openType',
  openCondition: 'field.item.openCondition',
  sensitivity: 'field.item.sensitivity',
  maskingRule: 'field.item.maskingRule',
  sourceField: 'field.item.sourceField',
  description: 'field.item.description',
};

/** The message keys of the API's per-field problem codes (catalogue rules, then schema checks). */
export const PROBLEM_CODE_KEYS: Record<string, MessageKey> = {
  ITEM_SHARE_LESS_RESTRICTED: 'invariant.ITEM_SHARE_LESS_RESTRICTED',
  ITEM_OPEN_LESS_RESTRICTED: 'invariant.ITEM_OPEN_LESS_RESTRICTED',
  NOT_SHARED_MUST_BE_PROHIBITED: 'invariant.NOT_SHARED_MUST_BE_PROHIBITED',
  L4_MUST_BE_PROHIBITED: 'invariant.L4_MUST_BE_PROHIBITED',
  L2_L3_AT_MOST_RESTRICTED: 'invariant.L2_L3_AT_MOST_RESTRICTED',
  ITEM_SENSITIVITY_ABOVE_RESOURCE: 'invariant.ITEM_SENSITIVITY_ABOVE_RESOURCE',
  SHARE_CONDITION_REQUIRED: 'invariant.SHARE_CONDITION_REQUIRED',
  NOT_SHARED_BASIS_REQUIRED: 'invariant.NOT_SHARED_BASIS_REQUIRED',
  OPEN_CONDITION_REQUIRED: 'invariant.OPEN_CONDITION_REQUIRED',
  PRIMARY_KEY_NULLABLE: 'invariant.PRIMARY_KEY_NULLABLE',
  DUPLICATE_ITEM_CODE: 'invariant.DUPLICATE_ITEM_CODE',
  NO_ITEMS: 'invariant.NO_ITEMS',
  CODE_CATEGORY_MISMATCH: 'invariant.CODE_CATEGORY_MISMATCH',
  CLASSIFIED_MUST_NOT_OPEN: 'invariant.CLASSIFIED_MUST_NOT_OPEN',
  OPEN_DOMAIN_REQUIRED: 'invariant.OPEN_DOMAIN_REQUIRED',
  RECORD_COUNTS_ABOVE_TOTAL: 'invariant.RECORD_COUNTS_ABOVE_TOTAL',
  too_small: 'validation.too_small',
  too_big: 'validation.too_big',
  invalid_format: 'validation.invalid_format',
  invalid_string: 'validation.invalid_format',
  invalid_type: 'validation.invalid_type',
  invalid_value: 'validation.invalid_value',
  invalid_enum_value: 'validation.invalid_value',
  unrecognized_keys: 'validation.unrecognized_keys',
};

/** The label of a problem path: `items.2.code` → "data item 3: item code"; null for an unknown field. */
export function labelOfPath(path: string, t: (key: MessageKey, vars?: Record<string, string | number>) => string): string {
  const item = /^items\.(\d+)\.(\w+)/.exec(path);
  if (item) {
    const key = ITEM_FIELD_LABELS[item[2]!];
    return t('catalogueEdit.itemField', { n: Number(item[1]) + 1, field: key ? t(key) : item[2]! });
  }
  const top = path.split('.')[0]!;
  const key = RESOURCE_FIELD_LABELS[top];
  return key ? t(key) : path;
}
