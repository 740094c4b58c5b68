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

  it('lets an explicit mapping win, and skip a column with null', () => {
    const m = mapHeader(['身份证号', '姓名', 'name', '备注'], items, { 身份证号: 'citizen_id', name: null, ' 备注 ': null });
    expect(m.columns.map((c) => [c.header, c.itemCode, c.matchedBy])).toEqual([
      ['身份证号', 'citizen_id', 'explicit'],
      ['姓名', 'name', 'name'],
    ]);
    expect(m.ignoredHeaders.map((h) => h.header)).toEqual(['name', '备注']);
    expect(m.unmappedHeaders).toEqual([]);
  });

  it('reports unmapped headers and missing items; a missing key or required item blocks loading', () => {
    const m = mapHeader(['\uFEFF姓名', '民族', ''], items);
    expect(m.unmappedHeaders).toEqual([
      { index: 1, header: '民族' },
      { index: 2, header: '' },
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

  it('refuses two columns for one item and mappings to unknown items', () => {
    const dup = mapHeader(['公民身份号码', 'citizen_id', '姓名'], items);
    expect(dup.duplicates).toEqual([{ index: 1, header: 'citizen_id', itemCode: 'citizen_id', firstIndex: 0 }]);
    expect(dup.loadable).toBe(false);
    const unknown = mapHeader(['公民身份号码', '姓名', '电话'], items, { 电话: 'mobile' });
    expect(unknown.unknownTargets).toEqual([{ header: '电话', itemCode: 'mobile' }]);
    expect(unknown.unmappedHeaders.map((h) => h.header)).toEqual(['电话']);
    expect(unknown.loadable).toBe(false);
  });

  it('normalises labels for comparison', () => {
    expect(headerKey(' 公民　身份号码 ')).toBe('公民身份号码');
    expect(headerKey('＊Citizen ID*')).toBe('citizenid');
  });
});
