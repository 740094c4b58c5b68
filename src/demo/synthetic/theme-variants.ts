import { defectRows, type DemoDefect } from './defects.js';

/**
 * SYNTHETIC VARIANTS for the thematic databases (src/demo/themes.ts): what real member files
 * carry and the themes' mechanism must cope with, seeded into a few rows of otherwise clean
 * files, the same rows every run (spread as defects.ts spreads its faults):
 * - `legacy-id`: an older record keyed by the 15-digit ID number issued before 1999 (joins as LEGACY);
 * - `org-code`: an older record keyed by the organisation code (GB 11714) its USCC carries at
 *   positions 9–17, written with its hyphen (joins through the BRIDGE);
 * - `name-variant`: a source that disagrees with the authoritative one (a conflict);
 * - `check-digit`: a key with a wrong check character (matched on the theme's attribute
 *   combinations when the member carries one, else left in the review queue).
 */
export type VariantKind = 'legacy-id' | 'org-code' | 'name-variant' | 'check-digit';
export type ThemeVariant = Omit<DemoDefect, 'kind'> & { kind: VariantKind };

export const THEME_VARIANTS: readonly ThemeVariant[] = [
  // 社会保险参保信息 (人社局): records from before 1999 carry the 15-digit number; a few names typed differently.
  { resource: '101004/00001', item: 'citizen_id', kind: 'legacy-id', share: 0.02, min: 3 },
  { resource: '101004/00001', item: 'name', kind: 'name-variant', share: 0.004, min: 2 },
  // 纳税人登记信息: old tax registrations keyed by organisation code; a few enterprise names as the tax office wrote them.
  { resource: '102004/00001', item: 'uscc', kind: 'org-code', share: 0.02, min: 3 },
  { resource: '102004/00001', item: 'ent_name', kind: 'name-variant', share: 0.004, min: 2 },
  // 居民身份证电子证照: an ID number mistyped; name, birth date, sex and address still find the person.
  { resource: '105002/00001', item: 'citizen_id', kind: 'check-digit', share: 0.002, min: 2 },
  // 户籍迁移登记信息: an ID number mistyped with only a name beside it: the review queue, never a match on the name.
  { resource: '101001/00002', item: 'citizen_id', kind: 'check-digit', share: 0.002, min: 2 },
];

/** Another character for the last one of a name (a typo or an alternative form), never the same. */
const SWAP: Record<string, string> = { 伟: '玮', 芳: '方', 娜: '那', 敏: '民', 静: '靜', 丽: '莉', 强: '彊', 磊: '垒', 军: '君', 洋: '阳' };

function vary(kind: VariantKind, value: string): string {
  switch (kind) {
    case 'legacy-id':
      // Only numbers of people born in the 1900s had a 15-digit form (6 region + 6 birth date without the century + 3 sequence).
      return /^\d{6}19\d{9}[\dX]$/.test(value) ? `${value.slice(0, 6)}${value.slice(8, 17)}` : value;
    case 'org-code':
      return value.length === 18 ? `${value.slice(8, 16)}-${value.slice(16, 17)}` : value;
    case 'name-variant': {
      if (value.includes('有限公司')) return value.replace('有限公司', '有限责任公司');
      const last = value.slice(-1);
      return value.slice(0, -1) + (SWAP[last] ?? (last === '华' ? '樺' : '华'));
    }
    case 'check-digit':
      return value.slice(0, 17) + (value[17] === '0' ? '1' : '0');
  }
}

/** The rows of one resource's file with its theme variants seeded (items in file order); other resources pass unchanged. */
export function* withThemeVariants(resourceCode: string, itemCodes: readonly string[], rows: Iterable<string[]>, count: number): Generator<string[]> {
  const variants = THEME_VARIANTS.filter((v) => v.resource === resourceCode && itemCodes.includes(v.item)).map((v, j) => ({
    v,
    column: itemCodes.indexOf(v.item),
    // Variants of one file hit different rows: each is shifted by its place in the list.
    rows: new Set([...defectRows({ ...v, kind: 'empty' }, count)].map((i) => (i + j) % count)),
  }));
  let i = 0;
  for (const row of rows) {
    for (const { v, column, rows: hit } of variants) if (hit.has(i)) row[column] = vary(v.kind, row[column] ?? '');
    yield row;
    i++;
  }
}
