import type { DataItem, Resource } from '../../catalog/index.js';
import type { OpenItem, OpenType } from '../contracts.js';

/** A catalogue entry with its items (single-resource reads carry them). */
export type FullResource = Resource & { items: DataItem[] };
export const withItems = (r: Resource): FullResource => ({ ...r, items: r.items ?? [] });

/** Why a resource may not be opened at all, or null when it may (some items at least). */
export function refusalOf(resource: Resource): string | null {
  if (resource.classified) return 'a classified (涉密) resource is never opened';
  if (resource.openType === 'PROHIBITED') return `its open type is PROHIBITED (禁止开放)`;
  if (resource.sensitivity === 'L4') return 'sensitivity L4 (敏感) data is never opened';
  if (resource.openDomain === null) return 'it has no open domain (开放领域) in the catalogue';
  if (openItemsOf(resource).length === 0) return 'none of its data items may be opened';
  return null;
}

const opensItem = (i: DataItem) => (i.openType === 'UNCONDITIONAL' || i.openType === 'RESTRICTED') && i.sensitivity !== 'L4';

/**
 * The items an open dataset shows, decided from the catalogue as it is now (a live view): item
 * open type UNCONDITIONAL or RESTRICTED, never L4; `masked` when the item has a masking rule.
 */
export function openItemsOf(resource: Resource): (DataItem & { openType: OpenType })[] {
  return (resource.items ?? []).filter(opensItem) as (DataItem & { openType: OpenType })[];
}

export function presentOpenItem(i: DataItem & { openType: OpenType }): OpenItem {
  return { code: i.code, name: i.name, dataType: i.dataType, openType: i.openType, masked: (i.maskingRule ?? 'NONE') !== 'NONE' };
}
