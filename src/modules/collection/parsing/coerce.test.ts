import { describe, expect, it } from 'vitest';
import type { DataType } from '../../catalog/index.js';
import { compileCoercer, type CoercibleItem } from './coerce.js';
import { compileRowCoercer } from './row-coercer.js';

const item = (dataType: DataType, extra: Partial<CoercibleItem> = {}): CoercibleItem => ({
  code: 'x',
  name: '测试',
  dataType,
  length: null,
  precision: null,
  nullable: true,
  primaryKey: false,
  ...extra,
});
const ok = (value: unknown) => ({ ok: true, value });
const fail = (reason: string | RegExp) => ({ ok: false, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });

describe('compileCoercer', () => {
  it('treats empty, whitespace and ideographic spaces as empty; required items refuse them', () => {
    const optional = compileCoercer(item('STRING'));
    const required = compileCoercer(item('STRING', { nullable: false }));
    const key = compileCoercer(item('STRING', { primaryKey: true, nullable: true }));
    for (const raw of [null, undefined, '', '  ', '\u3000\t']) {
      expect(optional(raw)).toEqual(ok(null));
      expect(required(raw)).toEqual(fail('required but empty'));
      expect(key(raw)).toEqual(fail('required but empty'));
    }
    const dump = compileCoercer(item('INTEGER'), { nullTokens: ['NULL', '\\N'] });
    expect(dump('\\N')).toEqual(ok(null));
    expect(dump(' NULL ')).toEqual(ok(null));
  });

  it('STRING and TEXT: trimmed, length counted in characters', () => {
    const id = compileCoercer(item('STRING', { length: 18 }));
    expect(id(' 330602199001011237 ')).toEqual(ok('330602199001011237'));
    expect(id('3306021990010112370')).toEqual(fail('longer than 18 characters (19)'));
    const name = compileCoercer(item('STRING', { length: 2 }));
    expect(name('𠮷田')).toEqual(ok('𠮷田'));
    expect(name('张三丰')).toEqual(fail('longer than 2 characters (3)'));
    expect(compileCoercer(item('TEXT'))('长文本'.repeat(1000))).toMatchObject({ ok: true });
  });

  it('INTEGER: signs, thousands separators, full-width digits, n.0; refuses the rest', () => {
    const c = compileCoercer(item('INTEGER'));
    expect(c('42')).toEqual(ok(42));
    expect(c('-7')).toEqual(ok(-7));
    expect(c('+7')).toEqual(ok(7));
    expect(c('1,234,567')).toEqual(ok(1234567));
    expect(c('１２３')).toEqual(ok(123));
    expect(c('１，２３４')).toEqual(ok(1234));
    expect(c('12.00')).toEqual(ok(12));
    expect(c('-0')).toEqual(ok(0));
    expect(c('12a')).toEqual(fail("not an integer: '12a'"));
    expect(c('12.5')).toEqual(fail("not an integer: '12.5'"));
    expect(c('1,23')).toEqual(fail("not an integer: '1,23'"));
    expect(c('1.2E+3')).toEqual(fail(/not an integer/));
    expect(c('123456789012345678')).toEqual(ok(123456789012345678n));
    expect(c('9007199254740993')).toEqual(ok(9007199254740993n));
    expect(c('-9223372036854775808')).toEqual(ok(-9223372036854775808n));
    expect(c('9223372036854775808')).toEqual(fail(/integer out of range/));
    expect(compileCoercer(item('INTEGER', { length: 3 }))('1234')).toEqual(fail("more than 3 digits: '1234'"));
    expect(compileCoercer(item('INTEGER', { length: 3 }))('-007')).toEqual(ok(-7));
  });

  it('DOUBLE: decimals and exponents, no NaN or Infinity', () => {
    const c = compileCoercer(item('DOUBLE'));
    expect(c('3.14')).toEqual(ok(3.14));
    expect(c('.5')).toEqual(ok(0.5));
    expect(c('1.5e3')).toEqual(ok(1500));
    expect(c('12,345.5')).toEqual(ok(12345.5));
    expect(c('－２．５')).toEqual(ok(-2.5));
    expect(c('NaN')).toEqual(fail("not a number: 'NaN'"));
    expect(c('Infinity')).toEqual(fail(/not a number/));
    expect(c('1e999')).toEqual(fail(/out of range/));
    expect(c('0x10')).toEqual(fail(/not a number/));
  });

  it('DECIMAL: exact canonical text, scale padded, digits limited by length and precision', () => {
    const money = compileCoercer(item('DECIMAL', { length: 10, precision: 2 }));
    expect(money('12.5')).toEqual(ok('12.50'));
    expect(money('0012.500')).toEqual(ok('12.50'));
    expect(money('1,234,567.89')).toEqual(ok('1234567.89'));
    expect(money('-0.00')).toEqual(ok('0.00'));
    expect(money('-.5')).toEqual(ok('-0.50'));
    expect(money('1.5E+2')).toEqual(ok('150.00'));
    expect(money('15e-2')).toEqual(ok('0.15'));
    expect(money('12.505')).toEqual(fail("more than 2 decimal places: '12.505'"));
    expect(money('123456789')).toEqual(fail("too many digits (at most 10 digits with 2 decimal places): '123456789'"));
    expect(money('12345678')).toEqual(ok('12345678.00'));
    expect(money('abc')).toEqual(fail("not a decimal number: 'abc'"));
    expect(money('.')).toEqual(fail(/not a decimal number/));
    const free = compileCoercer(item('DECIMAL'));
    expect(free('0.1000')).toEqual(ok('0.1'));
    expect(free('123456789012345678901234.5')).toEqual(ok('123456789012345678901234.5'));
    expect(compileCoercer(item('DECIMAL', { length: 4 }))('12.345')).toEqual(fail(/at most 4 digits/));
    expect(compileCoercer(item('DECIMAL', { length: 5, precision: 0 }))('12.0')).toEqual(ok('12'));
  });

  it('DATE: the forms Chinese users send, normalised to YYYY-MM-DD', () => {
    const c = compileCoercer(item('DATE'));
    for (const raw of [
      '2020-01-05',
      '2020/1/5',
      '2020.1.5',
      '2020-1-5',
      '2020年1月5日',
      '2020 年 1 月 5 日',
      '2020年01月05号',
      '20200105',
      '２０２０－０１－０５',
      '43835',
      '43835.0',
      '2020-01-05 00:00:00',
      '2020/1/5 0:00',
      '2020-01-05T00:00:00Z',
    ]) {
      expect(c(raw), raw).toEqual(ok('2020-01-05'));
    }
    expect(c('2020-02-29')).toEqual(ok('2020-02-29'));
    expect(c('2019-02-29')).toEqual(fail("not a date (no such day): '2019-02-29'"));
    expect(c('2020-13-01')).toEqual(fail(/no such day/));
    expect(c('20201301')).toEqual(fail(/no such day/));
    expect(c('05/01/2020')).toEqual(fail("not a date: '05/01/2020'"));
    expect(c('2020-1/5')).toEqual(fail(/not a date/));
    expect(c('2020')).toEqual(fail(/not a date/));
    expect(c('2020-01-05 08:30')).toEqual(fail("a date cannot have a time of day: '2020-01-05 08:30'"));
    expect(c('43835.5')).toEqual(fail(/time of day/));
  });

  it('DATETIME: space or T, seconds optional, Chinese units, compact, Excel serials; offset kept only if given', () => {
    const c = compileCoercer(item('DATETIME'));
    expect(c('2020-01-05 08:30:15')).toEqual(ok('2020-01-05T08:30:15'));
    expect(c('2020-01-05T08:30:15')).toEqual(ok('2020-01-05T08:30:15'));
    expect(c('2020/1/5 8:30')).toEqual(ok('2020-01-05T08:30:00'));
    expect(c('2020-01-05 08:30:15.120')).toEqual(ok('2020-01-05T08:30:15.12'));
    expect(c('2020-01-05T08:30:15Z')).toEqual(ok('2020-01-05T08:30:15Z'));
    expect(c('2020-01-05T08:30:15+0800')).toEqual(ok('2020-01-05T08:30:15+08:00'));
    expect(c('2020-01-05 08:30:15 +08:00')).toEqual(ok('2020-01-05T08:30:15+08:00'));
    expect(c('2020年1月5日 8时30分')).toEqual(ok('2020-01-05T08:30:00'));
    expect(c('2020年1月5日8时30分15秒')).toEqual(ok('2020-01-05T08:30:15'));
    expect(c('20200105083015')).toEqual(ok('2020-01-05T08:30:15'));
    expect(c('2020-01-05')).toEqual(ok('2020-01-05T00:00:00'));
    expect(c('43835.5')).toEqual(ok('2020-01-05T12:00:00'));
    expect(c('２０２０－０１－０５　０８：３０')).toEqual(ok('2020-01-05T08:30:00'));
    expect(c('2020-01-05 24:00:00')).toEqual(fail("not a time of day: '2020-01-05 24:00:00'"));
    expect(c('2020-01-05 08:61')).toEqual(fail(/not a time of day/));
    expect(c('yesterday')).toEqual(fail("not a date: 'yesterday'"));
  });

  it('BOOLEAN: 是/否, true/false, 1/0, Y/N and friends', () => {
    const c = compileCoercer(item('BOOLEAN'));
    for (const raw of ['是', 'true', 'TRUE', 'T', '1', 'Y', 'y', 'yes', '真', '１']) expect(c(raw), raw).toEqual(ok(true));
    for (const raw of ['否', 'false', 'False', 'F', '0', 'N', 'no', '假']) expect(c(raw), raw).toEqual(ok(false));
    expect(c('maybe')).toEqual(fail("not a boolean: 'maybe' (use 是/否, true/false, 1/0 or Y/N)"));
  });

  it('BINARY: base64 or 0x/\\x hex, limited in bytes', () => {
    const c = compileCoercer(item('BINARY', { length: 3 }));
    expect(c('AQID')).toEqual(ok(Buffer.from([1, 2, 3])));
    expect(c('0x0a0B')).toEqual(ok(Buffer.from([10, 11])));
    expect(c('\\xff')).toEqual(ok(Buffer.from([255])));
    expect(c('AQIDBA==')).toEqual(fail('longer than 3 bytes (4)'));
    expect(c('0xabc')).toEqual(fail(/odd number of hex digits/));
    expect(c('not base64!')).toEqual(fail(/not base64/));
  });

  it('quotes long bad values shortly', () => {
    const r = compileCoercer(item('INTEGER'))('9'.repeat(50) + 'x');
    expect(r).toEqual(fail(/^not an integer: '9{40}…'$/));
  });
});

describe('compileRowCoercer', () => {
  const items: CoercibleItem[] = [
    item('STRING', { code: 'citizen_id', name: '公民身份号码', length: 18, primaryKey: true, nullable: false }),
    item('DATE', { code: 'birth_date', name: '出生日期', nullable: false }),
    item('INTEGER', { code: 'children', name: '子女数' }),
  ];

  it('puts values in item order from the mapped columns; a missing optional item is null', () => {
    const row = compileRowCoercer(items, [1, 0, -1]);
    expect(row(['2020/1/5', '330602202001050012'])).toEqual({ ok: true, values: ['330602202001050012', '2020-01-05', null] });
  });

  it('names every bad cell in one reason', () => {
    const row = compileRowCoercer(items, [0, 1, 2]);
    expect(row(['', '2020-02-30', 'two'])).toEqual({
      ok: false,
      reason:
        "公民身份号码 (citizen_id): required but empty; 出生日期 (birth_date): not a date (no such day): '2020-02-30'; 子女数 (children): not an integer: 'two'",
    });
  });
});
