import { describe, expect, it } from 'vitest';
import { headerKey, mapHeader, type MappableItem } from './header-mapping.js';

const items: MappableItem[] = [
  { code: 'citizen_id', name: '公民身份号码', nameEn: 'Citizen ID number', primaryKey: true, nullable: false },
  { code: 'name', name: '姓名', nameEn: 'Name', primaryKey: false, nullable: false },
  { code: 'phone', name: '联系电话', nameEn: 'Mobile phone', primaryKey: false, nullable: true },
  { code: 'address', name: '住址', nameEn: 'Address', primaryKey: false, nullable: true },
];

describe('mapHeader', () => {
  it('matches by code (any case), Chinese name and English name, ignoring spaces and full-width forms', () => {
    const m = mapHeader([' CITIZEN_ID ', '姓\u3000名', 'ｍｏｂｉｌｅ ｐｈｏｎｅ', '*住址'], items);
    expect(m.columns).toEqual([
      { index: 0, header: ' CITIZEN_ID ', itemCode: 'citizen_id', matchedBy: 'code' },
      { index: 1, header: '姓\u3000名', itemCode: 'name', matchedBy: 'name' },
      { index: 2, header: 'ｍｏｂｉｌｅ ｐｈｏｎｅ', itemCode: 'phone', matchedBy: 'nameEn' },
      { index: 3, header: '*住址', itemCode: 'address', matchedBy: 'name' },
    ]);
    expect(m.columnOf).toEqual([0, 1, 2, 3]);
    expect(m.loadable).toBe(true);
  });

  it('lets a saved mapping win, and skip a column with null', () => {
    const m = mapHeader(['身份证号', '姓名', 'name', '备注'], items, { 身份证号: 'citizen_id', name: null, ' 备注 ': null });
    expect(m.columns.map((c) => [c.header, c.itemCode, c.matchedBy])).toEqual([
      ['身份证号', 'citizen_id', 'saved'],
      ['姓名', 'name', 'name'],
    ]);
    expect(m.ignoredHeaders.map((h) => h.header)).toEqual(['name', '备注']);
    expect(m.unmappedHeaders).toEqual([]);
  });

  it('reports unmapped headers with a reason, and missing items; a missing key or required item blocks loading', () => {
    const m = mapHeader(['\uFEFF姓名', '民族', ''], items);
    expect(m.unmappedHeaders).toEqual([
      { index: 1, header: '民族', reason: expect.stringContaining('no data item') },
      { index: 2, header: '', reason: 'the header is empty' },
    ]);
    expect(m.missingItems).toEqual([
      { code: 'citizen_id', name: '公民身份号码', primaryKey: true, nullable: false, blocking: true },
      { code: 'phone', name: '联系电话', primaryKey: false, nullable: true, blocking: false },
      { code: 'address', name: '住址', primaryKey: false, nullable: true, blocking: false },
    ]);
    expect(m.columnOf).toEqual([-1, 0, -1, -1]);
    expect(m.loadable).toBe(false);
    expect(mapHeader(['公民身份号码', '姓名'], items).loadable).toBe(true);
  });

  it('refuses two exact columns for one item and saved mappings to unknown items', () => {
    const dup = mapHeader(['公民身份号码', 'citizen_id', '姓名'], items);
    expect(dup.duplicates).toEqual([{ index: 1, header: 'citizen_id', itemCode: 'citizen_id', firstIndex: 0 }]);
    expect(dup.unmappedHeaders).toEqual([]);
    expect(dup.loadable).toBe(false);
    const unknown = mapHeader(['公民身份号码', '姓名', '备用'], items, { 备用: 'mobile' });
    expect(unknown.unknownTargets).toEqual([{ header: '备用', itemCode: 'mobile' }]);
    expect(unknown.unmappedHeaders.map((h) => h.header)).toEqual(['备用']);
    expect(unknown.loadable).toBe(false);
  });

  it('matches by data element, synonym, unique prefix and suffix, among the items no exact match took', () => {
    const more: MappableItem[] = [
      { code: 'pid', name: '公民身份号码', dataElement: 'DE00001', primaryKey: true, nullable: false },
      { code: 'sex', name: '性别代码', primaryKey: false, nullable: true },
      { code: 'tel', name: '联系电话', primaryKey: false, nullable: true },
      { code: 'reg_addr', name: '户籍登记地址', primaryKey: false, nullable: true },
    ];
    const synonyms = [['身份证号', '公民身份号码']];
    const m = mapHeader(['DE00001', '性别', '电话', '户籍登记地址详细'], more, {}, { synonyms });
    expect(m.columns.map((c) => [c.header, c.itemCode, c.matchedBy])).toEqual([
      ['DE00001', 'pid', 'dataElement'],
      ['性别', 'sex', 'prefix'],
      ['电话', 'tel', 'suffix'],
      ['户籍登记地址详细', 'reg_addr', 'prefix'],
    ]);
    expect(mapHeader(['身份证号'], more, {}, { synonyms }).columns).toEqual([{ index: 0, header: '身份证号', itemCode: 'pid', matchedBy: 'synonym' }]);
    // Without the synonyms, 身份证号 is no prefix or suffix of 公民身份号码: unmapped.
    expect(mapHeader(['身份证号'], more).unmappedHeaders.map((h) => h.header)).toEqual(['身份证号']);
  });

  it('never guesses: several candidates, or two headers for one candidate, stay unmapped naming them', () => {
    const two: MappableItem[] = [
      { code: 'home_tel', name: '住宅电话', primaryKey: false, nullable: true },
      { code: 'work_tel', name: '办公电话', primaryKey: false, nullable: true },
      { code: 'sex', name: '性别代码', primaryKey: false, nullable: true },
    ];
    const m = mapHeader(['电话', '性别', '代码'], two);
    expect(m.columns).toEqual([]);
    expect(m.unmappedHeaders[0]).toMatchObject({ header: '电话', candidates: ['home_tel', 'work_tel'], reason: expect.stringContaining('ambiguous') });
    expect(m.unmappedHeaders[1]).toMatchObject({ header: '性别', candidates: ['sex'], reason: expect.stringContaining("'代码' also matches sex") });
    expect(m.unmappedHeaders[2]).toMatchObject({ header: '代码', candidates: ['sex'] });
    // An item an exact match took is no candidate: 性别 then has one left.
    const taken = mapHeader(['性别代码', '性别'], [...two, { code: 'sex_name', name: '性别名称', primaryKey: false, nullable: true }]);
    expect(taken.columns.map((c) => [c.header, c.itemCode, c.matchedBy])).toEqual([
      ['性别代码', 'sex', 'name'],
      ['性别', 'sex_name', 'prefix'],
    ]);
    // Two items of one data element.
    const shared = mapHeader(
      ['DE01'],
      [
        { code: 'a', name: '甲', dataElement: 'DE01', primaryKey: false, nullable: true },
        { code: 'b', name: '乙', dataElement: 'DE01', primaryKey: false, nullable: true },
      ],
    );
    expect(shared.unmappedHeaders[0]).toMatchObject({ header: 'DE01', candidates: ['a', 'b'] });
  });

  it('a one-character header is no prefix or suffix of anything', () => {
    expect(mapHeader(['址'], items).unmappedHeaders.map((h) => h.header)).toEqual(['址']);
  });
});

describe('headerKey (the normaliser)', () => {
  it('folds full-width forms, drops spaces, BOM, brackets and the required-column star, and lower-cases latin', () => {
    expect(headerKey(' 公民　身份号码 ')).toBe('公民身份号码');
    expect(headerKey('＊Citizen ID*')).toBe('citizenid');
    expect(headerKey('\uFEFF出生日期（YYYYMMDD）')).toBe('出生日期yyyymmdd');
    expect(headerKey('【必填】姓名')).toBe('必填姓名');
    expect(headerKey('[电话](手机)')).toBe('电话手机');
    expect(headerKey('ＡＢＣ１２３')).toBe('abc123');
    expect(headerKey('性 别')).toBe(headerKey('性別'.replace('別', '别')));
  });
});
