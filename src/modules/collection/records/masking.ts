import type { MaskingRule } from '../../catalog/index.js';

/**
 * Display masks (脱敏, DOMAIN.md §6) applied to a record value before it leaves the platform for
 * a caller who may not see it in clear. Masking is display only: not de-identification, not
 * anonymisation. A masked value is always a string (or null for null): a number under FULL
 * becomes '****', never a different number that could be mistaken for data.
 */
export type MaskedValue = string | null;

const STARS = '****';
const stars = (n: number) => '*'.repeat(Math.max(n, 0));

/** Surnames of two characters (复姓) kept whole by the NAME mask. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '闾丘',
  '澹台',
  '端木',
  '南宫',
  '西门',
  '百里',
  '呼延',
  '万俟',
  '独孤',
  '申屠',
  '太史',
  '公羊',
  '赫连',
  '拓跋',
]);

/** Keep the first `head` and last `tail` characters; a value too short to keep both is fully masked. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return STARS;
  return chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** 张三 → 张*, 欧阳娜娜 → 欧阳**; a Latin name keeps its first word ("Wang Xiaoming" → "Wang ****"). */
function maskName(value: string): string {
  const v = value.trim();
  if (/^[\p{Script=Latin}\s.'-]+$/u.test(v)) {
    const first = v.split(/\s+/)[0] ?? '';
    return first === v ? keepEnds(v, 1, 0) : `${first} ${STARS}`;
  }
  const chars = Array.from(v);
  const surname = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  if (chars.length <= surname) return STARS;
  return chars.slice(0, surname).join('') + stars(chars.length - surname);
}

/**
 * An address down to its county-level unit (区/县/县级市/旗): "浙江省绍兴市越城区府山街道…" →
 * "浙江省绍兴市越城区****". Province and prefecture are optional; an address whose district cannot be
 * found is fully masked rather than guessed at.
 */
const ADDRESS_PREFIX = /^(?:[^区县市省]{1,7}?(?:省|自治区|特别行政区))?(?:[^区县市]{1,9}?(?:市|自治州|地区|盟))?[^区县市省]{1,9}?(?:区|县|市|旗)/u;

function maskAddress(value: string): string {
  const v = value.trim();
  const m = ADDRESS_PREFIX.exec(v);
  // "绍兴市" alone matched as the county-level unit: keep it only when nothing but a street follows.
  if (!m || m[0].length >= v.length) return STARS;
  return `${m[0]}${STARS}`;
}

const MASKS: Record<Exclude<MaskingRule, 'NONE'>, (value: string) => string> = {
  CITIZEN_ID: (v) => keepEnds(v.trim(), 6, 4),
  MOBILE: (v) => keepEnds(v.trim().replace(/^\+?86[\s-]?/, ''), 3, 4),
  NAME: maskName,
  ADDRESS: maskAddress,
  BANK_CARD: (v) => keepEnds(v.replace(/[\s-]/g, ''), 6, 4),
  FULL: () => STARS,
};

/** Applies `rule` to a presented value (its text form); NONE and null leave the value unchanged. */
export function maskValue<T>(rule: MaskingRule | null, value: T): T | MaskedValue {
  if (rule === null || rule === 'NONE' || value === null || value === undefined) return value;
  return MASKS[rule](typeof value === 'string' ? value : String(value));
}
