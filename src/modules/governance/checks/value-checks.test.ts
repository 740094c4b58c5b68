import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../../reference/csv.js';
import { checkValue, crossCheckCitizenId, isBlank, resolveItemCheck, valueChecker, type ValueCheckKind } from './value-checks.js';

// Never add synthetic VALID ID numbers with plausible birth dates (reference/README.md): the ones
// built here are born in 1880 or 1900, their check characters computed by hand with MOD 11-2.
const TODAY = new Date('2026-11-28');

const KIND: Record<string, ValueCheckKind> = { resident_id: 'citizen-id', uscc: 'uscc', org_code: 'org-code', mobile: 'mobile', postal_code: 'postal-code' };

const vectors = fs
  .readFileSync(new URL('../../../../reference/validation-test-vectors.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map(parseCsvLine)
  .map(([kind, input, expected, normalized, reason]) => ({ kind: kind!, input: input!, valid: expected === 'true', normalized: normalized!, reason: reason! }));

describe('checkValue against reference/validation-test-vectors.csv', () => {
  it('reads all 34 vectors, of every kind', () => {
    expect(vectors).toHaveLength(34);
    expect(new Set(vectors.map((v) => v.kind))).toEqual(new Set(Object.keys(KIND)));
  });

  for (const v of vectors) {
    // expected_valid of mobile rows is for the strict pattern; the loose rule (DOMAIN.md §9) differs where the reason says so.
    const expected = v.kind === 'mobile' && /loose rule/.test(v.reason) ? true : v.valid;
    it(`${v.kind} ${v.input} → ${expected ? 'valid' : 'invalid'}`, () => {
      const res = checkValue(KIND[v.kind]!, v.input, { today: TODAY });
      if (expected) expect(res).toBe(true);
      else expect(typeof res).toBe('string');
    });
  }
});

describe('citizen-id edge cases', () => {
  const check = (v: unknown) => checkValue('citizen-id', v, { today: TODAY });

  it('accepts a region prefix that is a retired code: 330621 绍兴县 (abolished 2013)', () => {
    expect(check('330621188001010015')).toBe(true);
    expect(checkValue('code-set', '330621', { codeSet: 'GB/T 2260', regions: 'current' })).toMatch(/not a GB\/T 2260 code in force/);
  });

  it('refuses a region prefix that was never a GB/T 2260 code (990000)', () => {
    expect(check('990000188001010013')).toMatch(/region code 990000/);
  });

  it("accepts 830000, the segment of Taiwan residents' residence permits, though it is no GB/T 2260 code", () => {
    expect(check('830000188001010019')).toBe(true);
    expect(checkValue('code-set', '830000', { codeSet: 'GB/T 2260' })).toMatch(/never a GB\/T 2260 code/);
    expect(checkValue('code-set', '810000', { codeSet: 'GB/T 2260' })).toBe(true);
  });

  it('upgrades a 15-digit legacy number, also with a retired region code', () => {
    expect(check('330621000101001')).toBe(true); // → 330621190001010018
    expect(check('330621000101009')).toBe(true);
    expect(check('33062100010100')).toMatch(/18 characters/);
  });

  it('reads a lower-case x and full-width digits and X', () => {
    expect(check('11010519491231002x')).toBe(true);
    expect(check('１１０１０５１９４９１２３１００２Ｘ')).toBe(true);
    expect(check('１１０１０５１９４９１２３１００２ｘ')).toBe(true);
    expect(check('１１０１０５１９４９１２３１００２１')).toMatch(/should be 'X'/);
  });

  it('says which check character is right', () => {
    expect(check('330621188001010016')).toBe("check character should be '5', not '6'");
  });

  it('knows the calendar: leap years by the Gregorian rule, month lengths, no day or month 0, nothing before 1800', () => {
    // Check characters right in each; only the birth date decides.
    expect(check('110105188002290014')).toBe(true); // 1880 is a leap year
    expect(check('110105190002290017')).toMatch(/19000229 is not a date/); // 1900 is not
    expect(check('110105180002290018')).toMatch(/18000229 is not a date/);
    expect(check('110105188004310015')).toMatch(/18800431 is not a date/);
    expect(check('110105188004000017')).toMatch(/is not a date/);
    expect(check('110105188000010015')).toMatch(/is not a date/);
    expect(check('110105179912310016')).toMatch(/out of range/);
  });

  it('refuses a birth date after today', () => {
    expect(checkValue('citizen-id', '11010519491231002X', { today: new Date('1949-12-30') })).toMatch(/out of range/);
  });
});

describe('uscc, org-code, mobile and postal-code edge cases', () => {
  it('uscc: full-width characters and spaces', () => {
    expect(checkValue('uscc', '９１１１００００６０００３７３４１Ｌ')).toBe(true);
    expect(checkValue('uscc', '91110000600037341N')).toMatch(/should be 'L'/);
  });

  it('org-code: hyphen optional, reasons for form and check character', () => {
    expect(checkValue('org-code', 'd2143569-x')).toBe(true);
    expect(checkValue('org-code', 'D2143569-1')).toBe("check character should be 'X', not '1'");
    expect(checkValue('org-code', 'D21435')).toMatch(/8 digits or capital letters/);
  });

  it('mobile: loose rule after +86/0086, spaces and hyphens', () => {
    expect(checkValue('mobile', '0086-138-0013-8000')).toBe(true);
    expect(checkValue('mobile', '+86 13800138000')).toBe(true);
    expect(checkValue('mobile', '１３８００１３８０００')).toBe(true);
    expect(checkValue('mobile', '0571-87654321')).toMatch(/not a mainland mobile/);
    expect(checkValue('mobile', '8613800138000')).toMatch(/not a mainland mobile/);
  });

  it('postal code: 010000 is valid, 000000–009999 are not, an integer value is read as text', () => {
    expect(checkValue('postal-code', '010000')).toBe(true);
    expect(checkValue('postal-code', '009999')).toMatch(/6 digits/);
    expect(checkValue('postal-code', '000000')).toMatch(/6 digits/);
    expect(checkValue('postal-code', 310000)).toBe(true);
    expect(checkValue('postal-code', ' ３１２０００ ')).toBe(true);
    expect(checkValue('postal-code', '3120000')).toMatch(/6 digits/);
  });

  it('empty values pass (completeness counts them) and non-text values fail', () => {
    for (const kind of ['citizen-id', 'uscc', 'org-code', 'mobile', 'postal-code'] as const) {
      expect(checkValue(kind, null)).toBe(true);
      expect(checkValue(kind, '  ')).toBe(true);
      expect(checkValue(kind, true)).toMatch(/not a text value/);
    }
    expect(isBlank(null) && isBlank('') && isBlank(' ') && !isBlank('0') && !isBlank(0)).toBe(true);
  });
});

describe('code-set checks through checkValue', () => {
  it('region (ever valid by default), sex, ethnic group and industry', () => {
    expect(checkValue('code-set', '330621', { codeSet: 'GB/T 2260' })).toBe(true);
    expect(checkValue('code-set', '330603', { codeSet: 'GB/T 2260-2007', regions: 'current' })).toBe(true);
    expect(checkValue('code-set', '339999', { codeSet: 'GB/T 2260' })).toMatch(/never a GB\/T 2260 code/);
    expect(checkValue('code-set', '2', { codeSet: 'GB/T 2261.1-2003' })).toBe(true);
    expect(checkValue('code-set', '3', { codeSet: 'GB/T 2261.1-2003' })).toMatch(/sex code/);
    expect(checkValue('code-set', '01', { codeSet: 'GB/T 3304-1991' })).toBe(true);
    expect(checkValue('code-set', '1', { codeSet: 'GB/T 3304-1991' })).toMatch(/ethnic group code/);
    expect(checkValue('code-set', 'C3911', { codeSet: 'GB/T 4754-2017' })).toBe(true);
    expect(checkValue('code-set', 'A3911', { codeSet: 'GB/T 4754-2017' })).toMatch(/belongs to section C/);
  });

  it('throws on a code set that is not shipped, before any value is read', () => {
    expect(() => valueChecker('code-set', { codeSet: 'GB/T 4658-2006' })).toThrow(/not a code set that is shipped/);
    expect(() => valueChecker('code-set', { codeSet: 'GB/T 4754-2011' })).toThrow(/only the 2017 edition/);
    expect(() => valueChecker('code-set')).toThrow(/needs options.codeSet/);
  });
});

describe('crossCheckCitizenId', () => {
  // 11010519491231002X (the GB 11643-1999 example): born 1949-12-31, sequence 002 → female.
  const ID = '11010519491231002X';

  it('agrees when birth date and sex match, in their usual forms', () => {
    expect(crossCheckCitizenId(ID, { birthDate: '1949-12-31', sex: '2' })).toBe(true);
    expect(crossCheckCitizenId(ID, { birthDate: '19491231', sex: '女' })).toBe(true);
    expect(crossCheckCitizenId(ID, { birthDate: '1949/12/31', sex: '女性' })).toBe(true);
    expect(crossCheckCitizenId(ID, { birthDate: '1949-12-31T00:00:00' })).toBe(true);
    expect(crossCheckCitizenId('440524188001010014', { birthDate: '1880-01-01', sex: 1 })).toBe(true);
    expect(crossCheckCitizenId('110105491231002', { birthDate: '1949-12-31', sex: '2' })).toBe(true);
  });

  it('names the disagreement', () => {
    expect(crossCheckCitizenId(ID, { birthDate: '1949-12-30' })).toBe('birth date 1949-12-30 disagrees with 1949-12-31 in the citizen ID');
    expect(crossCheckCitizenId(ID, { sex: '1' })).toBe('sex male disagrees with the citizen ID (sequence 002 is female)');
    expect(crossCheckCitizenId('440524188001010014', { sex: '2' })).toMatch(/sequence 001 is male/);
  });

  it('has nothing to compare with empty items, unknown sex codes or an empty ID', () => {
    expect(crossCheckCitizenId(ID, {})).toBe(true);
    expect(crossCheckCitizenId(ID, { birthDate: null, sex: '' })).toBe(true);
    expect(crossCheckCitizenId(ID, { sex: '0' })).toBe(true);
    expect(crossCheckCitizenId(ID, { sex: '9' })).toBe(true);
    expect(crossCheckCitizenId(null, { birthDate: '1949-12-31', sex: '1' })).toBe(true);
  });

  it('fails an invalid ID, a value that is not a date, and a sex that is not a code', () => {
    expect(crossCheckCitizenId('110105194912310021', { birthDate: '1949-12-31' })).toMatch(/citizen ID is not valid/);
    expect(crossCheckCitizenId(ID, { birthDate: '1949-02-30' })).toMatch(/is not a date/);
    expect(crossCheckCitizenId(ID, { birthDate: 'yesterday' })).toMatch(/is not a date/);
    expect(crossCheckCitizenId(ID, { sex: 'X' })).toMatch(/not a GB\/T 2261.1 code/);
  });
});

describe('resolveItemCheck', () => {
  const item = (codeSet: string | null, code = 'x', name = 'x', dataType = 'STRING') => ({ codeSet, dataType, code, name });

  it('maps codeSet texts to checks, tolerant of editions, spacing and width', () => {
    expect(resolveItemCheck(item('GB 11643-1999'))).toEqual({ kind: 'citizen-id', via: 'codeSet' });
    expect(resolveItemCheck(item('GB 32100-2015'))).toEqual({ kind: 'uscc', via: 'codeSet' });
    expect(resolveItemCheck(item('GB 11714'))).toEqual({ kind: 'org-code', via: 'codeSet' });
    expect(resolveItemCheck(item('GB/T 2260'))).toEqual({ kind: 'code-set', codeSet: 'GB/T 2260', via: 'codeSet' });
    expect(resolveItemCheck(item('ＧＢ／Ｔ　２２６１．１－２００３'))?.kind).toBe('code-set');
    expect(resolveItemCheck(item('gb/t3304—1991'))?.kind).toBe('code-set');
  });

  it('gives no check for standards not shipped, and for items whose type would lose the code', () => {
    expect(resolveItemCheck(item('GB/T 2261.2-2003'))).toBeNull();
    expect(resolveItemCheck(item('GB/T 4658-2006'))).toBeNull();
    expect(resolveItemCheck(item('GB/T 3304-1991', 'nation', '民族', 'INTEGER'))).toBeNull();
    expect(resolveItemCheck(item('GB/T 2260', 'region', '区划', 'INTEGER'))?.kind).toBe('code-set');
    expect(resolveItemCheck(item('GB 11643-1999', 'id', '身份证', 'INTEGER'))).toBeNull();
  });

  it('reads mobile and postal code from the item only when its code or name says so', () => {
    expect(resolveItemCheck(item(null, 'mobile', '联系电话'))).toEqual({ kind: 'mobile', via: 'item' });
    expect(resolveItemCheck(item(null, 'lxdh', '手机号码'))).toEqual({ kind: 'mobile', via: 'item' });
    expect(resolveItemCheck(item(null, 'contact_phone', '联系电话'))).toBeNull();
    expect(resolveItemCheck(item(null, 'tel', '固定电话'))).toBeNull();
    expect(resolveItemCheck(item(null, 'lxrsj', '联系人手机'))).toEqual({ kind: 'mobile', via: 'item' });
    expect(resolveItemCheck(item(null, 'ydhm', '移动电话号码'))).toEqual({ kind: 'mobile', via: 'item' });
    expect(resolveItemCheck(item(null, 'sjpp', '手机品牌'))).toBeNull();
    expect(resolveItemCheck(item(null, 'yzbmsfyx', '邮政编码是否有效'))).toBeNull();
    expect(resolveItemCheck(item(null, 'yzbm', '邮政编码'))).toEqual({ kind: 'postal-code', via: 'item' });
    expect(resolveItemCheck(item(null, 'postal_code', 'Postcode'))).toEqual({ kind: 'postal-code', via: 'item' });
    expect(resolveItemCheck(item(null, 'postal_code', '邮政编码', 'INTEGER'))).toBeNull();
    expect(resolveItemCheck(item(null, 'name', '姓名'))).toBeNull();
  });
});
