import { checkCitizenId } from '../../../shared/validation/citizen-id.js';
import { isValidPostalCode, normalizeMobile } from '../../../shared/validation/contact.js';
import { toHalfWidth } from '../../../shared/validation/half-width.js';
import { isValidOrgCode, normalizeOrgCode, orgCodeCheckChar } from '../../../shared/validation/org-code.js';
import { checkUscc } from '../../../shared/validation/uscc.js';
import { checkCodeSetMember, isEverValidRegionCode, resolveStandard, type CodeSetId, type CodeSetOptions } from './code-sets.js';

/**
 * Value checks that SQL cannot express (check digits, history-aware region codes, code sets read
 * from reference/), run in code by the scan's worker (DOMAIN.md §5 准确性/规范性, §9). Each answers
 * true or a short reason. Pure: no I/O beyond the reference tables read once.
 *
 * Empty values (null, undefined, '' or blanks) answer true: there is nothing to check, and the
 * completeness rule (not null) is the one that counts them. `isBlank` tells a scan which values to
 * leave out of B, the elements checked.
 */
export type ValueCheckKind = 'citizen-id' | 'uscc' | 'org-code' | 'mobile' | 'postal-code' | 'code-set';
export const VALUE_CHECK_KINDS: readonly ValueCheckKind[] = ['citizen-id', 'uscc', 'org-code', 'mobile', 'postal-code', 'code-set'];

export type ValueCheckOptions = CodeSetOptions & {
  /** For 'code-set': the item's codeSet text ('GB/T 2260', 'GB/T 3304-1991', …). */
  codeSet?: string;
  /** For 'citizen-id': birth dates after this day are refused (default: now). */
  today?: Date;
};

export type ValueCheck = (value: unknown) => true | string;

/**
 * The region segment of an ID number: any code ever in GB/T 2260 (numbers keep the code of their
 * issue), and 830000, which is no GB/T 2260 code but the segment of Taiwan residents' residence
 * permits (港澳台居民居住证, 2018; Hong Kong's 810000 and Macao's 820000 are GB/T 2260 codes).
 */
export function isIdNumberRegion(code: string): boolean {
  return code === '830000' || isEverValidRegionCode(code);
}

/**
 * checkCitizenId with ID-number regions, remembering the last answer: a scan checks one record's
 * ID with the check-digit rule and then again with the cross-field rule, one after the other.
 */
let lastId: { text: string; day: number; res: ReturnType<typeof checkCitizenId> } | null = null;
function checkIdNumber(text: string, today: Date) {
  const day = Math.floor(today.getTime() / 86_400_000);
  if (lastId !== null && lastId.text === text && lastId.day === day) return lastId.res;
  const res = checkCitizenId(text, isIdNumberRegion, today);
  lastId = { text, day, res };
  return res;
}

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return null;
}

/**
 * One check compiled once for a rule (the code set resolved, the tables loaded), to run over many
 * values. Throws on a 'code-set' whose name is not a shipped code set: resolve it first with
 * `resolveItemCheck` or `resolveCodeSet`.
 */
export function valueChecker(kind: ValueCheckKind, options: ValueCheckOptions = {}): ValueCheck {
  const base = baseChecker(kind, options);
  return (value) => {
    if (isBlank(value)) return true;
    const text = asText(value);
    if (text === null) return `a ${typeof value} is not a text value`;
    return base(text);
  };
}

function baseChecker(kind: ValueCheckKind, options: ValueCheckOptions): (text: string) => true | string {
  switch (kind) {
    case 'citizen-id': {
      const today = options.today ?? new Date();
      return (text) => {
        const res = checkIdNumber(text, today);
        return res.valid ? true : res.reason;
      };
    }
    case 'uscc':
      return (text) => {
        const res = checkUscc(text);
        return res.valid ? true : res.reason;
      };
    case 'org-code':
      return (text) => {
        if (isValidOrgCode(text)) return true;
        const v = normalizeOrgCode(text);
        if (!/^[0-9A-Z]{8}[0-9X]$/.test(v)) return 'must be 8 digits or capital letters and a check character (0-9 or X)';
        return `check character should be '${orgCodeCheckChar(v.slice(0, 8))}', not '${v[8]}'`;
      };
    case 'mobile':
      return (text) => (normalizeMobile(text) !== null ? true : 'not a mainland mobile number (1[3-9] and 9 more digits, +86 or 0086 allowed)');
    case 'postal-code':
      return (text) => (isValidPostalCode(text) ? true : 'a postal code is 6 digits from 010000 to 999999');
    case 'code-set': {
      const set = codeSetOf(options.codeSet);
      return (text) => checkCodeSetMember(set, text, options);
    }
  }
}

const codeSets = new Map<string, CodeSetId>();

function codeSetOf(codeSet: string | undefined): CodeSetId {
  if (codeSet === undefined) throw new RangeError("a 'code-set' check needs options.codeSet");
  let set = codeSets.get(codeSet);
  if (!set) {
    const ref = resolveStandard(codeSet);
    if (ref?.kind !== 'code-set')
      throw new RangeError(`'${codeSet}' is not a code set that is shipped${ref?.kind === 'unsupported' ? ` (${ref.reason})` : ''}`);
    set = ref.set;
    codeSets.set(codeSet, set);
  }
  return set;
}

/** Checks one value: true or a short reason. For many values of one rule, compile once with `valueChecker`. */
export function checkValue(kind: ValueCheckKind, value: unknown, options?: ValueCheckOptions): true | string {
  return valueChecker(kind, options)(value);
}

export type CrossCheckItems = { birthDate?: unknown; sex?: unknown };

const DATE = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[T ].*)?$/;

/** 'YYYY-MM-DD' of a birth-date value: 'YYYY-MM-DD', 'YYYYMMDD', 'YYYY/M/D', a date-time; null when not a date. */
function birthDateOf(value: string): string | null {
  const v = toHalfWidth(value).trim();
  const m = DATE.exec(v);
  if (!m) return null;
  const compact = !/[-/.]/.test(v.slice(0, 10));
  if (compact && !/^\d{8}(?:[T ]|$)/.test(v)) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const MALE = new Set(['1', '男', '男性', 'M', 'MALE']);
const FEMALE = new Set(['2', '女', '女性', 'F', 'FEMALE']);
const UNKNOWN = new Set(['0', '9', '未知的性别', '未知', '未说明的性别', '未说明']);

/**
 * Cross-field accuracy (准确性): the birth date and sex inside a citizen ID number agree with the
 * record's birth-date and sex items. Sex is read as a GB/T 2261.1 code (1 male, 2 female; an odd
 * sequence number is male) or its name (男/男性, 女/女性); 0 and 9 (not known / not stated) and empty
 * items have nothing to disagree with. An empty ID passes (nothing to compare); an invalid one
 * fails, since agreement cannot be shown.
 */
export function crossCheckCitizenId(id: unknown, items: CrossCheckItems, options: { today?: Date } = {}): true | string {
  if (isBlank(id)) return true;
  const text = asText(id);
  if (text === null) return 'citizen ID is not a text value';
  const res = checkIdNumber(text, options.today ?? new Date());
  if (!res.valid) return `citizen ID is not valid (${res.reason}), so it cannot be compared`;
  if (!isBlank(items.birthDate)) {
    const raw = asText(items.birthDate);
    // A DATE item reads as 'YYYY-MM-DD': equal to the ID's, it agrees without parsing.
    const birth = raw === res.birthDate ? raw : raw === null ? null : birthDateOf(raw);
    if (birth === null) return `birth date '${String(items.birthDate)}' is not a date`;
    if (birth !== res.birthDate) return `birth date ${birth} disagrees with ${res.birthDate} in the citizen ID`;
  }
  if (!isBlank(items.sex)) {
    const raw = items.sex;
    const s = raw === '1' || raw === '2' ? raw : toHalfWidth(String(raw)).trim().toUpperCase();
    const sex = MALE.has(s) ? 'male' : FEMALE.has(s) ? 'female' : UNKNOWN.has(s) ? null : undefined;
    if (sex === undefined) return `sex '${String(items.sex)}' is not a GB/T 2261.1 code`;
    if (sex !== null && sex !== res.sex) return `sex ${sex} disagrees with the citizen ID (sequence ${res.normalized.slice(14, 17)} is ${res.sex})`;
  }
  return true;
}

export type CatalogItemLike = { codeSet: string | null; dataType: string; code: string; name: string };
export type ItemCheck = { kind: ValueCheckKind; codeSet?: string; via: 'codeSet' | 'item' };

const TEXT_TYPES = new Set(['STRING', 'TEXT']);
/** Code sets whose codes keep their form as integers (no leading zero, no letter): a region 330602, a sex 1. */
const INTEGER_SAFE_SETS = new Set<CodeSetId>(['region', 'sex']);
const INTEGER_TYPES = new Set(['INTEGER', 'DECIMAL']);

const MOBILE_NAME = /(手机|移动电话)(号码|号)?$/;
const MOBILE_CODE = /^(mobile|mobile_?(phone|no|num|number|tel)|cell_?phone|cellphone|sjhm|sjh)$/i;
const POSTAL_NAME = /(邮政编码|邮编)$/;
const POSTAL_CODE = /^(postal_?code|post_?code|postcode|zip_?code|zip|yzbm)$/i;

/**
 * Which value check, if any, applies to a catalogue item. First its `codeSet` (GB 11643 → citizen-id,
 * GB 32100 → uscc, GB 11714 → org-code, GB/T 2260/2261.1/3304/4754-2017 → code-set); then, with no
 * codeSet, a conservative reading of its code and name: mobile only when the name ends in 手机(号码)/移动电话
 * or the code is a mobile code ('mobile', 'mobile_phone', 'sjhm'…) — a 联系电话 may be a landline, so
 * that name alone is not enough, nor 手机品牌; postal code when the name ends in 邮政编码/邮编 or the code is
 * 'postal_code', 'zip_code', 'yzbm'…. Only text items are checked, except region and sex codes held as
 * integers. Null when nothing applies (including a codeSet that names a standard not shipped).
 */
export function resolveItemCheck(item: CatalogItemLike): ItemCheck | null {
  const type = item.dataType.toUpperCase();
  const ref = resolveStandard(item.codeSet);
  if (ref) {
    if (ref.kind === 'unsupported') return null;
    if (ref.kind === 'code-set') {
      if (TEXT_TYPES.has(type) || (INTEGER_TYPES.has(type) && INTEGER_SAFE_SETS.has(ref.set)))
        return { kind: 'code-set', codeSet: item.codeSet!, via: 'codeSet' };
      return null;
    }
    return TEXT_TYPES.has(type) ? { kind: ref.kind, via: 'codeSet' } : null;
  }
  if (!TEXT_TYPES.has(type)) return null;
  if (MOBILE_NAME.test(item.name) || MOBILE_CODE.test(item.code)) return { kind: 'mobile', via: 'item' };
  if (POSTAL_NAME.test(item.name) || POSTAL_CODE.test(item.code)) return { kind: 'postal-code', via: 'item' };
  return null;
}
