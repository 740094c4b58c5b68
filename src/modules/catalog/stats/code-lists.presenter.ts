import {
  CATEGORIES,
  DATA_TYPES,
  DEPARTMENT_KINDS,
  FORMAT_CATEGORIES,
  IMPORTANCE_LEVELS,
  LEGACY_TYPE_LETTERS,
  MASKING_RULES,
  OPEN_DOMAINS,
  OPEN_TYPES,
  SENSITIVITY_LEVELS,
  SHARE_MODES,
  SHARE_TYPES,
  SYSTEM_LEVELS,
  SYSTEM_STATUSES,
  UPDATE_FREQUENCIES,
} from '../codes.js';
import type { CodeLists } from './stats.schemas.js';

type Labelled = { zh: string; en: string };

/**
 * A code list's entries in code order. JavaScript enumerates integer-like keys first ('10' before
 * '01'), so all-digit codes are sorted by value; named codes keep their declared order.
 */
export function orderedEntries<V>(list: Readonly<Record<string | number, V>>): [string, V][] {
  const entries = Object.entries(list) as [string, V][];
  return entries.every(([k]) => /^\d+$/.test(k)) ? entries.sort(([a], [b]) => Number(a) - Number(b)) : entries;
}

/** Lists keyed by national numbers (category 1–3, format 1–7, domains) keep numeric codes; the others are names. */
const numbered = (list: Readonly<Record<number, Labelled>>) => orderedEntries(list).map(([code, l]) => ({ code: Number(code), zh: l.zh, en: l.en }));
const named = (list: Readonly<Record<string, Labelled>>) => orderedEntries(list).map(([code, l]) => ({ code, zh: l.zh, en: l.en }));

/** Every code list of src/modules/catalog/codes.ts with its Chinese and English labels, for UIs and the Excel template. */
export function presentCodeLists(): CodeLists {
  return {
    categories: numbered(CATEGORIES),
    shareTypes: named(SHARE_TYPES),
    openTypes: named(OPEN_TYPES),
    shareModes: named(SHARE_MODES),
    updateFrequencies: named(UPDATE_FREQUENCIES),
    formatCategories: numbered(FORMAT_CATEGORIES),
    sensitivityLevels: named(SENSITIVITY_LEVELS),
    importanceLevels: named(IMPORTANCE_LEVELS),
    openDomains: numbered(OPEN_DOMAINS),
    dataTypes: Object.entries(DATA_TYPES).map(([code, l]) => ({ code, zh: l.zh, en: l.en, letter: l.letter })),
    legacyTypeLetters: Object.entries(LEGACY_TYPE_LETTERS).map(([letter, dataType]) => ({ letter, dataType })),
    systemLevels: named(SYSTEM_LEVELS),
    systemStatuses: named(SYSTEM_STATUSES),
    departmentKinds: named(DEPARTMENT_KINDS),
    maskingRules: named(MASKING_RULES),
  };
}
