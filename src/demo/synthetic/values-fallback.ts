import { after, base64, decimal, integer, rowDate, timeOn, yesNo } from './helpers.js';
import { randomMobile, randomName } from './people.js';
import { address } from './places.js';
import type { RowContext, SyntheticItem, ValueFn } from './types.js';

/**
 * Values for items no table names: the codes an item's description enumerates, its code set,
 * words in its name, and last its data type and length.
 */

/** '01 迁入 02 迁出' → ['01', '02']; '存续、在业、吊销' → the words, or 01, 02 … when they do not fit. */
export function enumerated(item: Pick<SyntheticItem, 'description' | 'length'>): string[] | null {
  const d = item.description?.trim();
  if (!d) return null;
  const max = item.length ?? 100;
  const tokens = d.split(/\s+/);
  if (tokens.length >= 2 && tokens.length % 2 === 0 && tokens.every((t, i) => i % 2 === 1 || /^[0-9A-Za-z]{1,4}$/.test(t))) {
    const codes = tokens.filter((_, i) => i % 2 === 0);
    if (codes.every((c) => c.length <= max)) return codes;
  }
  const words = d
    .split('、')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length < 2) return null;
  return words.every((w) => [...w].length <= max) ? words : words.map((_, i) => String(i + 1).padStart(Math.min(max, 2), '0'));
}

const TEXT_PHRASES = ['按规定办理', '材料齐全，符合法定形式', '经审核符合要求', '已完成现场核查', '依申请公开', '定期更新维护'];

function byName(c: RowContext, item: SyntheticItem): string | null {
  const n = item.name;
  if (item.codeSet === 'GB 11643-1999') return c.person().citizenId;
  if (item.codeSet === 'GB 32100-2015' || item.code.endsWith('_uscc')) return c.firm().uscc;
  if (item.codeSet === 'GB/T 2260') return c.street().lineage.currentCode;
  if (item.codeSet === 'GB/T 10114-2003') return c.street().code;
  if (item.codeSet === 'GB/T 2261.1-2003') return c.person().sex;
  if (item.codeSet === 'GB/T 4754-2017') return c.firm().industry.code;
  if (item.codeSet === 'GB/T 4658-2006') return c.rnd.pick(['20', '30', '40', '60', '70']);
  if (/姓名|联系人/.test(n)) return randomName(c.rnd);
  if (/电话|手机/.test(n)) return randomMobile(c.rnd);
  if (/地址|坐落|住所|地点|场所/.test(n)) return address(c.rnd, c.street());
  if (/机关|部门/.test(n)) return c.authority().name;
  if (/单位|企业|机构|名称/.test(n) && (item.length ?? 0) >= 50) return c.firm().name;
  return null;
}

function byType(c: RowContext, item: SyntheticItem): string {
  const length = item.length ?? null;
  switch (item.dataType) {
    case 'DATE':
      return /至|截止|到期/.test(item.name) ? after(c, rowDate(c), 365, 5 * 365, true) : rowDate(c);
    case 'DATETIME':
      return timeOn(c.rnd, c.day());
    case 'INTEGER':
      return integer(c.rnd, 0, length ? Math.min(10 ** Math.min(length, 6) - 1, 1000) : 1000);
    case 'DECIMAL': {
      const scale = item.precision ?? 0;
      const max = length ? Math.min(10 ** (length - scale) - 1, 10000) : 10000;
      return decimal(c.rnd, 0, max, scale);
    }
    case 'DOUBLE':
      return (c.rnd.next() * 1000).toFixed(3);
    case 'BOOLEAN':
      return yesNo(c.rnd, 0.5);
    case 'BINARY':
      return base64(c.rnd, 32);
    case 'TEXT':
      return `${item.name}：${c.rnd.pick(TEXT_PHRASES)}。`;
    case 'STRING':
      if (length !== null && length <= 2) return String(1 + c.rnd.int(5)).padStart(length, '0');
      if (length !== null && length <= 12) return c.rnd.digits(length);
      return `${item.name}${1 + c.rnd.int(999)}`;
  }
}

/** Parsed once per item. */
const enumerations = new WeakMap<SyntheticItem, string[] | null>();

export const fallbackValue: ValueFn = (c, item) => {
  let options = enumerations.get(item);
  if (options === undefined) enumerations.set(item, (options = enumerated(item)));
  if (options) return c.rnd.pick(options);
  return byName(c, item) ?? byType(c, item);
};
