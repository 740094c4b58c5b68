import { describe, expect, it } from 'vitest';
import { ethnicGroupCodes, industrySections, sexCodes } from '../../../reference/code-tables.js';
import {
  checkCodeSetMember,
  checkIndustryCode,
  isCurrentRegionCode,
  isEthnicGroupCode,
  isEverValidRegionCode,
  isSexCode,
  resolveCodeSet,
  resolveStandard,
} from './code-sets.js';

describe('reference code tables', () => {
  it('reads the shipped CSVs with codes as text', () => {
    expect([...sexCodes().keys()]).toEqual(['0', '1', '2', '9']);
    expect(ethnicGroupCodes().size).toBe(58);
    expect(ethnicGroupCodes().get('01')?.name).toBe('汉族');
    expect(ethnicGroupCodes().get('56')?.name).toBe('基诺族');
    const sections = industrySections();
    expect(sections.map((s) => s.section).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    // The ranges cover divisions 01–97 without gap or overlap.
    for (let i = 1; i < sections.length; i++) expect(sections[i]!.divisionFrom).toBe(sections[i - 1]!.divisionTo + 1);
    expect(sections[0]!.divisionFrom).toBe(1);
    expect(sections.at(-1)!.divisionTo).toBe(97);
  });

  it('reads each table once', () => {
    expect(sexCodes()).toBe(sexCodes());
    expect(industrySections()).toBe(industrySections());
  });
});

describe('GB/T 2260 with history', () => {
  it('ever valid: retired codes count, current codes count, made-up ones do not', () => {
    expect(isEverValidRegionCode('330621')).toBe(true); // 绍兴县 1983–2013
    expect(isEverValidRegionCode('440524')).toBe(true); // 潮阳县 1983–1993
    expect(isEverValidRegionCode('330603')).toBe(true); // 柯桥区, in force
    expect(isEverValidRegionCode('990000')).toBe(false);
    expect(isEverValidRegionCode('33062')).toBe(false);
  });

  it('current: only the 2024 list', () => {
    expect(isCurrentRegionCode('330603')).toBe(true);
    expect(isCurrentRegionCode('330621')).toBe(false);
    expect(checkCodeSetMember('region', '330621', { regions: 'current' })).toBe('330621 is not a GB/T 2260 code in force');
    expect(checkCodeSetMember('region', '330621')).toBe(true);
    expect(checkCodeSetMember('region', ' ３３０６０３ ', { regions: 'current' })).toBe(true);
  });
});

describe('sex and ethnic group codes', () => {
  it('GB/T 2261.1: 0 1 2 9 only', () => {
    expect(['0', '1', '2', '9'].every(isSexCode)).toBe(true);
    expect(['3', '01', 'M', '男'].some(isSexCode)).toBe(false);
  });

  it('GB/T 3304: two digits, 01–56 (and 97, 98 as the reference carries them)', () => {
    expect(isEthnicGroupCode('01')).toBe(true);
    expect(isEthnicGroupCode('56')).toBe(true);
    expect(isEthnicGroupCode('97')).toBe(true);
    expect(isEthnicGroupCode('57')).toBe(false);
    expect(isEthnicGroupCode('1')).toBe(false);
    expect(checkCodeSetMember('ethnic', '00')).toMatch(/not a GB\/T 3304/);
  });
});

describe('GB/T 4754-2017 industry codes, to the division level', () => {
  it('accepts sections, divisions, and groups/classes inside a real division', () => {
    for (const code of ['A', 'T', '01', '97', 'C13', 'C39', '391', '3911', 'C3911', 'K7010', 'S9600']) expect(checkIndustryCode(code), code).toBe(true);
    expect(checkCodeSetMember('industry', 'c3911')).toBe(true);
  });

  it('refuses unknown sections and divisions, a letter that does not match the division, and other forms', () => {
    expect(checkIndustryCode('U')).toMatch(/not a GB\/T 4754-2017 section/);
    expect(checkIndustryCode('00')).toMatch(/division 00 is not/);
    expect(checkIndustryCode('98')).toMatch(/division 98 is not/);
    expect(checkIndustryCode('A39')).toBe('division 39 belongs to section C, not A');
    expect(checkIndustryCode('D4410')).toBe(true);
    expect(checkIndustryCode('E4410')).toMatch(/belongs to section D/);
    expect(checkIndustryCode('3')).toMatch(/is not a GB\/T 4754 code/);
    expect(checkIndustryCode('C39111')).toMatch(/is not a GB\/T 4754 code/);
    expect(checkIndustryCode('CC39')).toMatch(/is not a GB\/T 4754 code/);
  });
});

describe('resolving a codeSet text', () => {
  it('tolerates editions, spacing, width, case and dashes', () => {
    const cases: [string, string | null][] = [
      ['GB/T 2260', 'region'],
      ['GB/T2260-2007', 'region'],
      ['GB/T 2260—2007', 'region'],
      ['GB／T 2260', 'region'],
      ['gbt 2260', 'region'],
      ['GB/T 2261.1', 'sex'],
      ['GB/T 2261.1-2003', 'sex'],
      ['GB/T 3304-1991', 'ethnic'],
      ['GB/T 4754-2017', 'industry'],
      ['GB/T 4754', 'industry'],
      ['国民经济行业分类（GB/T 4754-2017）', 'industry'],
      ['GB/T 4754-2017/XG1-2019', 'industry'],
      ['GB/T 4754-2011', null],
      ['GB/T 2261', null],
      ['GB/T 2261.2-2003', null],
      ['GB/T 4658-2006', null],
      ['GB 11643-1999', null],
      ['自定义代码', null],
      ['', null],
    ];
    for (const [text, set] of cases) expect(resolveCodeSet(text), text).toBe(set);
    expect(resolveCodeSet(null)).toBeNull();
  });

  it('names the check-digit standards and says why a named standard is not shipped', () => {
    expect(resolveStandard('GB 11643-1999')).toEqual({ kind: 'citizen-id', standard: 'GB 11643-1999' });
    expect(resolveStandard('GB/T 11643')).toEqual({ kind: 'citizen-id', standard: 'GB 11643' });
    expect(resolveStandard('GB 32100-2015')).toEqual({ kind: 'uscc', standard: 'GB 32100-2015' });
    expect(resolveStandard('GB 11714')).toEqual({ kind: 'org-code', standard: 'GB 11714' });
    expect(resolveStandard('GB 11714-1997')?.kind).toBe('org-code');
    expect(resolveStandard('GB/T 4754-2011')).toMatchObject({ kind: 'unsupported', reason: 'only the 2017 edition of GB/T 4754 is shipped, not 2011' });
    expect(resolveStandard('GB/T 10114-2003')).toMatchObject({ kind: 'unsupported', reason: 'no table of GB 10114 is shipped' });
  });
});
