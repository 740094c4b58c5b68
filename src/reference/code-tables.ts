import { readReferenceCsv } from './csv.js';

/**
 * Readers of the small national code tables shipped in reference/ (see reference/README.md for
 * their sources): each is read once, on first use, and kept.
 */
export type SexCodeRef = { code: string; name: string; nameEn: string };
export type EthnicGroupRef = { code: string; name: string; romanized: string; letterCode: string; note: string };
/** A GB/T 4754-2017 section (门类 A–T) with its inclusive range of 2-digit divisions (大类). */
export type IndustrySectionRef = { section: string; name: string; divisionFrom: number; divisionTo: number };

let sex: Map<string, SexCodeRef> | undefined;
let ethnic: Map<string, EthnicGroupRef> | undefined;
let industry: IndustrySectionRef[] | undefined;

/** GB/T 2261.1-2003 sex codes: 0 not known, 1 male, 2 female, 9 not stated. */
export function sexCodes(): ReadonlyMap<string, SexCodeRef> {
  sex ??= new Map(readReferenceCsv('sex-codes-gbt2261.1.csv').map((r) => [r.code!, { code: r.code!, name: r.name_zh!, nameEn: r.name_en! }]));
  return sex;
}

/**
 * GB/T 3304-1991 ethnic group codes 01–56, and the rows 97 (其他) and 98 (外国血统中国籍人士) that the
 * reference file carries as widely used extensions (its note says they are not confirmed in the text).
 */
export function ethnicGroupCodes(): ReadonlyMap<string, EthnicGroupRef> {
  ethnic ??= new Map(
    readReferenceCsv('ethnic-group-codes-gbt3304.csv').map((r) => [
      r.code!,
      { code: r.code!, name: r.name_zh!, romanized: r.romanized!, letterCode: r.letter_code!, note: r.note! },
    ]),
  );
  return ethnic;
}

/** GB/T 4754-2017 sections A–T and their division ranges (the reference ships no groups or classes). */
export function industrySections(): readonly IndustrySectionRef[] {
  industry ??= readReferenceCsv('industry-sections-gbt4754-2017.csv').map((r) => ({
    section: r.section!,
    name: r.name_zh!,
    divisionFrom: Number(r.division_from),
    divisionTo: Number(r.division_to),
  }));
  return industry;
}
