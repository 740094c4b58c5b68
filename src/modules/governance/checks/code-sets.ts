import { currentRegions, historicalRegions, isHistoricalRegionCode } from '../../../reference/regions.js';
import { ethnicGroupCodes, industrySections, sexCodes } from '../../../reference/code-tables.js';
import { toHalfWidth } from '../../../shared/validation/half-width.js';

/**
 * Code sets a catalogue item's `codeSet` can name, and membership checks against the tables in
 * reference/ (DOMAIN.md §5 规范性). Every table is read once, on first use.
 *
 *   region    GB/T 2260 administrative divisions: "ever valid" (any code listed 1981–2024, the
 *             default — ID numbers and historic records keep the code of their time) or "current"
 *             (the 2024 list).
 *   sex       GB/T 2261.1-2003: 0 1 2 9.
 *   ethnic    GB/T 3304-1991: 01–56 (and 97, 98 as the reference file carries them).
 *   industry  GB/T 4754-2017, checked to the DIVISION level: the reference ships the 20 sections
 *             (门类 A–T) and their division (大类) ranges, not the ~470 groups and ~1,380 classes. So 'C'
 *             (a section), '39' (a division) and 'C39' (section + division, which must agree) are
 *             checked fully; a 3- or 4-digit group or class ('391', 'C3911') only for its form and its
 *             division — a group or class that does not exist inside a real division is not caught.
 */
export type CodeSetId = 'region' | 'sex' | 'ethnic' | 'industry';

/** Which standards a `codeSet` text can name: the code sets above, and the check-digit identifiers. */
export type StandardRef =
  | { kind: 'code-set'; set: CodeSetId; standard: string }
  | { kind: 'citizen-id' | 'uscc' | 'org-code'; standard: string }
  | { kind: 'unsupported'; standard: string; reason: string };

const STANDARD = /GB\s*(?:\/\s*T|T)?\s*(\d+(?:\.\d+)?)(?:\s*-\s*(\d{4}))?/;

/**
 * Reads a `codeSet` text such as 'GB/T 2260', 'GB/T 2261.1-2003', 'gb/t3304—1991', 'GB 11643-1999',
 * 'GB/T 4754-2017' or '国民经济行业分类(GB/T 4754-2017)': full-width forms, spacing, case, dashes
 * and an edition suffix are tolerated, GB and GB/T alike. Null when no GB number is in the text;
 * `unsupported` for a standard named but not shipped (GB/T 2261.2 marital status, GB/T 4754-2011…).
 */
export function resolveStandard(codeSet: string | null | undefined): StandardRef | null {
  if (!codeSet) return null;
  const text = toHalfWidth(codeSet)
    .toUpperCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-');
  const m = STANDARD.exec(text);
  if (!m) return null;
  const [, number, edition] = m;
  const standard = `${number}${edition ? `-${edition}` : ''}`;
  switch (number) {
    case '2260':
      return { kind: 'code-set', set: 'region', standard: `GB/T ${standard}` };
    case '2261.1':
      return { kind: 'code-set', set: 'sex', standard: `GB/T ${standard}` };
    case '3304':
      return { kind: 'code-set', set: 'ethnic', standard: `GB/T ${standard}` };
    case '4754':
      // Division ranges moved between editions: only 2017 (and its 2019 amendment) is shipped.
      return !edition || edition === '2017'
        ? { kind: 'code-set', set: 'industry', standard: `GB/T ${standard}` }
        : { kind: 'unsupported', standard: `GB/T ${standard}`, reason: `only the 2017 edition of GB/T 4754 is shipped, not ${edition}` };
    case '11643':
      return { kind: 'citizen-id', standard: `GB ${standard}` };
    case '32100':
      return { kind: 'uscc', standard: `GB ${standard}` };
    case '11714':
      return { kind: 'org-code', standard: `GB ${standard}` };
    default:
      return { kind: 'unsupported', standard: `GB ${standard}`, reason: `no table of GB ${number} is shipped` };
  }
}

/** The code set a `codeSet` text names, or null (not a code set, or not one that is shipped). */
export function resolveCodeSet(codeSet: string | null | undefined): CodeSetId | null {
  const ref = resolveStandard(codeSet);
  return ref?.kind === 'code-set' ? ref.set : null;
}

/** Is this 6-digit code in the GB/T 2260 list in force (2024)? */
export function isCurrentRegionCode(code: string): boolean {
  return currentRegions().has(code);
}

let everValid: Set<string> | undefined;

/** Was this 6-digit code ever a GB/T 2260 code (1981–2024), e.g. 330621 绍兴县, abolished 2013? */
export function isEverValidRegionCode(code: string): boolean {
  // One set of every code, built once: scans ask this for every row.
  everValid ??= new Set([...historicalRegions().keys(), ...currentRegions().keys()].filter(isHistoricalRegionCode));
  return everValid.has(code);
}

export function isSexCode(code: string): boolean {
  return sexCodes().has(code);
}

export function isEthnicGroupCode(code: string): boolean {
  return ethnicGroupCodes().has(code);
}

const INDUSTRY = /^([A-Z])?(\d{2})(\d{1,2})?$/;

/** GB/T 4754-2017 to the division level (see the note at the top): 'C', '39', 'C39', '391', 'C3911'. */
export function checkIndustryCode(code: string): true | string {
  const sections = industrySections();
  if (/^[A-Z]$/.test(code)) return sections.some((s) => s.section === code) ? true : `'${code}' is not a GB/T 4754-2017 section (A–T)`;
  const m = INDUSTRY.exec(code);
  if (!m) return `'${code}' is not a GB/T 4754 code (a section letter A–T, then 2 to 4 digits)`;
  const [, letter, division] = m;
  const d = Number(division);
  const section = sections.find((s) => d >= s.divisionFrom && d <= s.divisionTo);
  if (!section) return `division ${division} is not in GB/T 4754-2017`;
  if (letter && letter !== section.section) return `division ${division} belongs to section ${section.section}, not ${letter}`;
  return true;
}

export type CodeSetOptions = {
  /** GB/T 2260: 'ever' (default) accepts any code listed 1981–2024; 'current' only the 2024 list. */
  regions?: 'ever' | 'current';
};

/** Membership in one code set: true or a short reason. The value is trimmed and read as half-width. */
export function checkCodeSetMember(set: CodeSetId, value: string, options: CodeSetOptions = {}): true | string {
  const v = toHalfWidth(value).trim();
  switch (set) {
    case 'region':
      if (options.regions === 'current') return isCurrentRegionCode(v) ? true : `${v} is not a GB/T 2260 code in force`;
      return isEverValidRegionCode(v) ? true : `${v} was never a GB/T 2260 code`;
    case 'sex':
      return isSexCode(v) ? true : `'${v}' is not a GB/T 2261.1 sex code (0, 1, 2, 9)`;
    case 'ethnic':
      return isEthnicGroupCode(v) ? true : `'${v}' is not a GB/T 3304 ethnic group code`;
    case 'industry':
      return checkIndustryCode(v.toUpperCase());
  }
}
