import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeChunks } from './byte-source.js';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decodeAll(bytes: Uint8Array, size: number, encoding: string): Promise<string> {
  let text = '';
  for await (const t of decodeChunks(chunks(bytes, size), encoding)) text += t;
  return text;
}

describe('decodeChunks', () => {
  // Chunks larger than the 32 KiB decoding piece are decoded piece by piece: characters cut at a
  // piece boundary (3-byte UTF-8, 2-byte GBK, 4-byte astral) must come out whole.
  const text = `${'公民身份号码,姓名𠮷,住址\r\n330602199001011234,张三,浙江省绍兴市越城区府山街道\r\n'.repeat(4000)}end`;

  it('decodes UTF-8 chunks of any size across its pieces', async () => {
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    for (const size of [256 * 1024, 100_003, 32 * 1024, 7]) expect(await decodeAll(bytes, size, 'utf-8')).toBe(text);
  });

  it('decodes GB18030 chunks across its pieces', async () => {
    const gbText = text.replaceAll('𠮷', '');
    const bytes = new Uint8Array(iconv.encode(gbText, 'gbk'));
    expect(await decodeAll(bytes, 256 * 1024, 'gb18030')).toBe(gbText);
  });
});
