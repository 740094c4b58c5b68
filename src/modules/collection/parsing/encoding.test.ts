import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, resolveEncodingLabel } from './encoding.js';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const gbk = (s: string) => new Uint8Array(iconv.encode(s, 'gbk'));
const TEXT = '公民身份号码,姓名,住址\n330602199001011234,张三,浙江省绍兴市越城区府山街道\n';

describe('detectEncoding', () => {
  it('recognises a UTF-8 byte-order mark', () => {
    const d = detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('姓名')]));
    expect(d).toMatchObject({ encoding: 'utf-8', bom: true });
  });

  it('recognises UTF-8 and plain ASCII', () => {
    expect(detectEncoding(utf8(TEXT), { complete: true }).encoding).toBe('utf-8');
    expect(detectEncoding(utf8('a,b\n1,2\n'), { complete: true })).toMatchObject({ encoding: 'utf-8', reason: 'ASCII only' });
  });

  it('recognises GBK as gb18030 (its superset), usable by TextDecoder', () => {
    const d = detectEncoding(gbk(TEXT), { complete: true });
    expect(d.encoding).toBe('gb18030');
    expect(new TextDecoder(d.encoding).decode(gbk(TEXT))).toBe(TEXT);
  });

  it('does not fail UTF-8 when the sample cuts a character in half', () => {
    const bytes = utf8(TEXT);
    const cut = bytes.indexOf(0xe5, 5); // first byte of a 3-byte character
    for (const end of [cut + 1, cut + 2]) {
      expect(detectEncoding(bytes.subarray(0, end)).encoding).toBe('utf-8');
    }
  });

  it('does not fail GBK when the sample cuts a character in half', () => {
    const bytes = gbk(TEXT);
    const lastLead = bytes.length - 3; // "道" then "\n": ends on the lead byte of 道
    const d = detectEncoding(bytes.subarray(0, lastLead + 1));
    expect(d.encoding).toBe('gb18030');
    expect(d.reason).toBe('valid GB18030/GBK');
  });

  it('keeps UTF-8 for a UTF-8 file with one corrupt byte', () => {
    const bytes = utf8(TEXT.repeat(20));
    bytes[40] = 0xff;
    expect(detectEncoding(bytes, { complete: true }).encoding).toBe('utf-8');
  });

  it('lets the user override, and rejects unknown labels clearly', () => {
    expect(detectEncoding(utf8(TEXT), { override: 'GBK' }).encoding).toBe('gbk');
    expect(resolveEncodingLabel('gb2312')).toBe('gbk');
    expect(() => detectEncoding(utf8(TEXT), { override: 'klingon' })).toThrow(/unknown text encoding 'klingon'/);
  });
});
