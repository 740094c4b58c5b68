import { describe, expect, it } from 'vitest';
import { maskValue } from './masking.js';

describe('record masks (DOMAIN.md §6)', () => {
  it('ID number: first 6 and last 4', () => {
    expect(maskValue('CITIZEN_ID', '11010519491231002X')).toBe('110105********002X');
  });
  it('mobile: first 3 and last 4, a +86 prefix dropped first', () => {
    expect(maskValue('MOBILE', '13812345678')).toBe('138****5678');
    expect(maskValue('MOBILE', '+86 13812345678')).toBe('138****5678');
  });
  it('name: the surname, compound surnames whole', () => {
    expect(maskValue('NAME', '张三')).toBe('张*');
    expect(maskValue('NAME', '王小明')).toBe('王**');
    expect(maskValue('NAME', '欧阳娜娜')).toBe('欧阳**');
    expect(maskValue('NAME', 'Wang Xiaoming')).toBe('Wang ****');
  });
  it('address: down to the district or county, else fully masked', () => {
    expect(maskValue('ADDRESS', '浙江省绍兴市越城区府山街道环城西路1号')).toBe('浙江省绍兴市越城区****');
    expect(maskValue('ADDRESS', '绍兴市柯桥区柯桥街道笛扬路2号')).toBe('绍兴市柯桥区****');
    expect(maskValue('ADDRESS', '浙江省绍兴市诸暨市暨阳街道3号')).toBe('浙江省绍兴市诸暨市****');
    expect(maskValue('ADDRESS', '新昌县七星街道4号')).toBe('新昌县****');
    expect(maskValue('ADDRESS', '府山街道环城西路1号')).toBe('****');
    expect(maskValue('ADDRESS', '越城区')).toBe('****');
  });
  it('bank card: first 6 and last 4, spaces ignored', () => {
    expect(maskValue('BANK_CARD', '6222 0212 3456 7890 123')).toBe('622202*********0123');
  });
  it('FULL hides the value and its length; numbers become the mask, not another number', () => {
    expect(maskValue('FULL', 'secret')).toBe('****');
    expect(maskValue('FULL', 12345)).toBe('****');
    expect(maskValue('FULL', true)).toBe('****');
  });
  it('too short to keep both ends: fully masked; NONE, no rule and null unchanged', () => {
    expect(maskValue('CITIZEN_ID', '1234567890')).toBe('****');
    expect(maskValue('NONE', '13812345678')).toBe('13812345678');
    expect(maskValue(null, 42)).toBe(42);
    expect(maskValue('NAME', null)).toBeNull();
  });
});
