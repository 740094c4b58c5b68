import { INVARIANT_CODES, type InvariantCode, type Violation } from '../../../errors.js';
import { OPEN_TYPE_RANK, SHARE_TYPE_RANK, type DataType, type MaskingRule, type OpenType, type Sensitivity, type ShareType } from '../codes.js';
import { RESOURCE_CODE_PATTERN, type ResourceInput } from './resources.schemas.js';

/** A data item with every default resolved: what is stored and checked. */
export type ItemDraft = {
  id?: string;
  code: string;
  name: string;
  nameEn: string | null;
  dataType: DataType;
  legacyType: string | null;
  length: number | null;
  precision: number | null;
  primaryKey: boolean;
  nullable: boolean;
  codeSet: string | null;
  dataElement: string | null;
  shareType: ShareType;
  shareCondition: string | null;
  openType: OpenType;
  openCondition: string | null;
  sensitivity: Sensitivity;
  maskingRule: MaskingRule | null;
  sourceField: string | null;
  description: string | null;
};

/** A resource with every default resolved. */
export type ResourceDraft = Omit<ResourceInput, 'items' | 'regionCode' | 'recordCounts'> & {
  regionCode: string;
  classificationCode: string;
  sequenceNo: string;
  recordCounts: { total: number; shared: number; open: number };
  items: ItemDraft[];
};

const SENSITIVITY_RANK: Record<Sensitivity, number> = { L1: 1, L2: 2, L3: 3, L4: 4 };
const openTypeByRank = (rank: number) => (Object.keys(OPEN_TYPE_RANK) as OpenType[]).find((k) => OPEN_TYPE_RANK[k] === rank)!;

/** The least restricted open type the sharing, sensitivity and classification rules allow. */
export function mostOpenAllowed(share: ShareType, sensitivity: Sensitivity, classified: boolean): OpenType {
  if (share === 'NOT_SHARED' || sensitivity === 'L4' || classified) return 'PROHIBITED';
  if (sensitivity === 'L2' || sensitivity === 'L3') return 'RESTRICTED';
  return 'UNCONDITIONAL';
}

const moreRestricted = (a: OpenType, b: OpenType) => openTypeByRank(Math.max(OPEN_TYPE_RANK[a], OPEN_TYPE_RANK[b]));

/**
 * Fills defaults: an item inherits its resource's share type and sensitivity, and opens no more
 * than its resource and its own rules allow; a primary-key item is not nullable unless it says so.
 */
export function resolveDraft(input: ResourceInput, departmentRegion: string): ResourceDraft {
  const [, classificationCode = '', sequenceNo = ''] = RESOURCE_CODE_PATTERN.exec(input.code) ?? [];
  const { items, regionCode, recordCounts, ...rest } = input;
  return {
    ...rest,
    regionCode: regionCode ?? departmentRegion,
    classificationCode,
    sequenceNo,
    recordCounts: recordCounts ?? { total: 0, shared: 0, open: 0 },
    items: items.map((i) => {
      const shareType = i.shareType ?? input.shareType;
      const sensitivity = i.sensitivity ?? input.sensitivity;
      const openType = i.openType ?? moreRestricted(input.openType, mostOpenAllowed(shareType, sensitivity, input.classified));
      return {
        ...(i.id ? { id: i.id } : {}),
        code: i.code,
        name: i.name,
        nameEn: i.nameEn ?? null,
        dataType: i.dataType,
        legacyType: i.legacyType ?? null,
        length: i.length ?? null,
        precision: i.precision ?? null,
        primaryKey: i.primaryKey,
        nullable: i.nullable ?? !i.primaryKey,
        codeSet: i.codeSet ?? null,
        dataElement: i.dataElement ?? null,
        shareType,
        shareCondition: i.shareCondition ?? null,
        openType,
        openCondition: i.openCondition ?? null,
        sensitivity,
        maskingRule: i.maskingRule ?? null,
        sourceField: i.sourceField ?? null,
        description: i.description ?? null,
      };
    }),
  };
}

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';

/** Every catalogue rule of DOMAIN.md §3; returns all violations (empty when the entry is valid). */
export function checkResourceRules(r: ResourceDraft): Violation[] {
  const out: Violation[] = [];
  const add = (code: InvariantCode, path: string, detail?: string) =>
    out.push({ code, path, message: detail ? `${INVARIANT_CODES[code]}: ${detail}` : INVARIANT_CODES[code] });

  if (r.items.length === 0) add('NO_ITEMS', 'items');
  if (String(r.category) !== r.classificationCode[0]) {
    add('CODE_CATEGORY_MISMATCH', 'code', `code ${r.code} is in class ${r.classificationCode[0]}, category is ${r.category}`);
  }
  if (r.shareType === 'CONDITIONAL' && blank(r.shareCondition)) add('SHARE_CONDITION_REQUIRED', 'shareCondition');
  if (r.shareType === 'NOT_SHARED' && blank(r.notSharedBasis)) add('NOT_SHARED_BASIS_REQUIRED', 'notSharedBasis');
  if (r.shareType === 'NOT_SHARED' && r.openType !== 'PROHIBITED') add('NOT_SHARED_MUST_BE_PROHIBITED', 'openType');
  if (r.sensitivity === 'L4' && r.openType !== 'PROHIBITED') add('L4_MUST_BE_PROHIBITED', 'openType');
  if ((r.sensitivity === 'L2' || r.sensitivity === 'L3') && r.openType === 'UNCONDITIONAL') add('L2_L3_AT_MOST_RESTRICTED', 'openType');
  if (r.classified && r.openType !== 'PROHIBITED') add('CLASSIFIED_MUST_NOT_OPEN', 'openType');
  if (r.openType === 'RESTRICTED' && blank(r.openCondition)) add('OPEN_CONDITION_REQUIRED', 'openCondition');
  if (r.openType !== 'PROHIBITED' && (r.openDomain === null || r.openDomain === undefined)) add('OPEN_DOMAIN_REQUIRED', 'openDomain');
  const counts = r.recordCounts;
  if (counts.shared > counts.total) add('RECORD_COUNTS_ABOVE_TOTAL', 'recordCounts.shared', `${counts.shared} shared of ${counts.total}`);
  if (counts.open > counts.total) add('RECORD_COUNTS_ABOVE_TOTAL', 'recordCounts.open', `${counts.open} open of ${counts.total}`);

  const seen = new Map<string, number>();
  r.items.forEach((item, i) => {
    const p = `items.${i}`;
    const first = seen.get(item.code);
    if (first !== undefined) add('DUPLICATE_ITEM_CODE', `${p}.code`, `'${item.code}' is also item ${first + 1}`);
    else seen.set(item.code, i);
    if (item.primaryKey && item.nullable) add('PRIMARY_KEY_NULLABLE', `${p}.nullable`, item.code);
    if (SHARE_TYPE_RANK[item.shareType] < SHARE_TYPE_RANK[r.shareType]) {
      add('ITEM_SHARE_LESS_RESTRICTED', `${p}.shareType`, `${item.code} is ${item.shareType}, the resource is ${r.shareType}`);
    }
    if (OPEN_TYPE_RANK[item.openType] < OPEN_TYPE_RANK[r.openType]) {
      add('ITEM_OPEN_LESS_RESTRICTED', `${p}.openType`, `${item.code} is ${item.openType}, the resource is ${r.openType}`);
    }
    if (SENSITIVITY_RANK[item.sensitivity] > SENSITIVITY_RANK[r.sensitivity]) {
      add('ITEM_SENSITIVITY_ABOVE_RESOURCE', `${p}.sensitivity`, `${item.code} is ${item.sensitivity}, the resource is ${r.sensitivity}`);
    }
    // An item inherits the resource's condition when both are conditional.
    const inheritedCondition = r.shareType === 'CONDITIONAL' ? r.shareCondition : null;
    if (item.shareType === 'CONDITIONAL' && blank(item.shareCondition) && blank(inheritedCondition)) {
      add('SHARE_CONDITION_REQUIRED', `${p}.shareCondition`, item.code);
    }
    const inheritedBasis = r.shareType === 'NOT_SHARED' ? r.notSharedBasis : null;
    if (item.shareType === 'NOT_SHARED' && blank(item.shareCondition) && blank(inheritedBasis)) {
      add('NOT_SHARED_BASIS_REQUIRED', `${p}.shareCondition`, `${item.code} (give the basis as its share condition)`);
    }
    if (item.shareType === 'NOT_SHARED' && item.openType !== 'PROHIBITED') add('NOT_SHARED_MUST_BE_PROHIBITED', `${p}.openType`, item.code);
    if (item.sensitivity === 'L4' && item.openType !== 'PROHIBITED') add('L4_MUST_BE_PROHIBITED', `${p}.openType`, item.code);
    if ((item.sensitivity === 'L2' || item.sensitivity === 'L3') && item.openType === 'UNCONDITIONAL') {
      add('L2_L3_AT_MOST_RESTRICTED', `${p}.openType`, item.code);
    }
    const inheritedOpenCondition = r.openType === 'RESTRICTED' ? r.openCondition : null;
    if (item.openType === 'RESTRICTED' && blank(item.openCondition) && blank(inheritedOpenCondition)) {
      add('OPEN_CONDITION_REQUIRED', `${p}.openCondition`, item.code);
    }
  });
  return out;
}

export const isShareable = (t: ShareType) => t !== 'NOT_SHARED';
