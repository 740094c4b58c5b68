import { describe, expect, it } from 'vitest';
import type { Resource } from '../../catalog/index.js';
import { deriveRules } from './derive.js';

type ItemSpec = { code: string; name: string; dataType?: string; codeSet?: string | null; primaryKey?: boolean };

function resource(items: ItemSpec[]): Resource {
  return {
    id: '01a23260-4c9a-7299-a5b7-f9b9d2aa475b',
    updateFrequency: '04',
    items: items.map((i, n) => ({
      id: `item-${n}`,
      code: i.code,
      name: i.name,
      dataType: i.dataType ?? 'STRING',
      length: null,
      codeSet: i.codeSet ?? null,
      primaryKey: i.primaryKey ?? false,
      nullable: true,
    })),
  } as unknown as Resource;
}

const crossChecked = (r: Resource) =>
  deriveRules(r)
    .filter((rule) => rule.kind === 'citizen-id-cross')
    .map((rule) => rule.itemCode);

describe('derived rules: the citizen ID cross-check applies to the record subject only', () => {
  const birth = { code: 'birth_date', name: '出生日期', dataType: 'DATE' };
  const sex = { code: 'sex_code', name: '性别代码', codeSet: 'GB/T 2261.1-2003' };

  it("checks a person's own ID against the record's birth date and sex", () => {
    expect(crossChecked(resource([{ code: 'citizen_id', name: '公民身份号码', codeSet: 'GB 11643-1999', primaryKey: true }, birth, sex]))).toEqual([
      'citizen_id',
    ]);
  });

  it("never checks a mother's ID against a child's birth date (a birth record)", () => {
    const r = resource([
      { code: 'birth_cert_no', name: '出生医学证明编号', primaryKey: true },
      { code: 'mother_citizen_id', name: '母亲身份证号码', codeSet: 'GB 11643-1999' },
      { code: 'father_citizen_id', name: '父亲身份证号码', codeSet: 'GB 11643-1999' },
      birth,
      sex,
    ]);
    expect(crossChecked(r)).toEqual([]);
    // The IDs themselves are still checked for their check digit.
    expect(
      deriveRules(r)
        .filter((rule) => rule.kind === 'citizen-id')
        .map((rule) => rule.itemCode),
    ).toEqual(['mother_citizen_id', 'father_citizen_id']);
  });

  it('checks the key ID when a record also names another person', () => {
    const r = resource([
      { code: 'citizen_id', name: '公民身份号码', codeSet: 'GB 11643-1999', primaryKey: true },
      { code: 'guardian_citizen_id', name: '监护人身份证号码', codeSet: 'GB 11643-1999' },
      birth,
    ]);
    expect(crossChecked(r)).toEqual(['citizen_id']);
  });

  it('leaves two unqualified IDs unchecked rather than guess', () => {
    const r = resource([
      { code: 'id_a', name: '身份证号码A', codeSet: 'GB 11643-1999' },
      { code: 'id_b', name: '身份证号码B', codeSet: 'GB 11643-1999' },
      birth,
    ]);
    expect(crossChecked(r)).toEqual([]);
  });
});
