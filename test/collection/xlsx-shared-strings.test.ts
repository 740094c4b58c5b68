import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_XLSX_LIMITS, xlsxLimits, type XlsxLimits } from '../../src/shared/xlsx/limits.js';
import { SharedStrings, sharedStringsHandler } from '../../src/shared/xlsx/shared-strings.js';
import { SheetHandler } from '../../src/shared/xlsx/sheet-handler.js';
import { XmlTokenizer } from '../../src/shared/xlsx/xml-tokenizer.js';

const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-sst-table-'));
afterAll(() => fs.rmSync(scratchDir, { recursive: true, force: true }));

const scratchFiles = () => fs.readdirSync(scratchDir).filter((f) => f.startsWith('test-xlsx-strings-'));

/** Feeds `xml` to a handler through the tokenizer in pieces cut at `cuts` (byte offsets). */
function feed(xml: string, handler: ConstructorParameters<typeof XmlTokenizer>[1], cuts: number[] = [], limits: XlsxLimits = DEFAULT_XLSX_LIMITS): void {
  const bytes = Buffer.from(xml, 'utf8');
  const tokenizer = new XmlTokenizer('part.xml', handler, limits);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    tokenizer.write(bytes.subarray(from, cut));
    from = cut;
  }
  tokenizer.end();
}

function tableOf(xml: string, bytes: number, limits: XlsxLimits = DEFAULT_XLSX_LIMITS, cuts: number[] = []): SharedStrings {
  const table = new SharedStrings({ bytes }, scratchDir, 'test-');
  const h = sharedStringsHandler(table, limits);
  feed(xml, h, cuts, limits);
  h.finish();
  return table;
}

const sst = (items: string[], uniqueCount = items.length) => `<sst uniqueCount="${uniqueCount}">${items.join('')}</sst>`;
const si = (text: string) => `<si><t>${text}</t></si>`;

describe('the shared-strings table: UTF-8 in memory up to its threshold, the rest in a scratch file', () => {
  const texts = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? `编号${i}` : i % 3 === 1 ? `x${i}😀` : ''));

  it('keeps the first strings in memory and reads the rest from the file, in any order, repeated or past the end', () => {
    const table = tableOf(sst(texts.map(si)), 600);
    expect(table.count).toBe(500);
    expect(table.spilled).toBe(true);
    expect(scratchFiles()).toHaveLength(1);
    // The first strings fit the 600 bytes: no read needed; later ones need the file.
    expect(table.peek(0)).toBe('编号0');
    expect(table.peek(1)).toBe('x1😀');
    expect(table.peek(2)).toBe('');
    expect(table.peek(499)).toBeUndefined();
    const order = [499, 3, 250, 250, 0, 498, 500, -1, ...Array.from({ length: 500 }, (_, i) => (i * 7) % 500)];
    expect(table.resolve(order)).toEqual(order.map((i) => texts[i]));
    // A string read once is not cached (most strings of a big table are used once and would evict
    // the repeated ones); read again, it is: the next look needs no read.
    expect(table.peek(499)).toBeUndefined();
    expect(table.resolve([499])).toEqual([texts[499]]);
    expect(table.peek(499)).toBe(texts[499]);
    table.close();
    expect(scratchFiles()).toEqual([]);
  });

  it('keeps a repeated string cached while many strings used once pass (IDs, timestamps)', () => {
    const many = Array.from({ length: 140_000 }, (_, i) => `s${i}`);
    const table = tableOf(sst(many.map(si)), 0);
    expect(table.resolve([5])).toEqual(['s5']);
    expect(table.resolve([5])).toEqual(['s5']);
    // Strings used once, among them one that falls in the same cache slot as string 5 (131,072 slots).
    const once = Array.from({ length: 135_000 }, (_, i) => i + 5_000);
    expect(table.resolve(once)).toEqual(once.map((i) => `s${i}`));
    expect(table.peek(5)).toBe('s5');
    expect(table.peek(5_000)).toBeUndefined();
    table.close();
  });

  it('stays in memory, with no file, when the table fits', () => {
    const table = tableOf(sst(texts.map(si)), 1 << 20);
    expect(table.spilled).toBe(false);
    expect(scratchFiles()).toEqual([]);
    expect(Array.from({ length: 500 }, (_, i) => table.peek(i))).toEqual(texts);
    expect(table.peek(500)).toBeUndefined();
    table.close();
  });

  it('gives every string back whatever the threshold, the boundary inside an index block or not', () => {
    const mixed = texts.map((t, i) => (i % 37 === 0 ? `${t}${'长'.repeat(50 + i)}` : t));
    const shuffled = Array.from({ length: 500 }, (_, i) => (i * 211) % 500);
    for (const bytes of [0, 1, 7, 100, 333, 600, 1001, 5000, 1 << 20]) {
      const table = tableOf(sst(mixed.map(si)), bytes);
      expect(table.resolve(shuffled)).toEqual(shuffled.map((i) => mixed[i]));
      // In index order too, now partly from the cache.
      expect(table.resolve(mixed.map((_, i) => i))).toEqual(mixed);
      table.close();
    }
  });

  it('spills a string longer than the write buffer and reads it back whole', () => {
    const long = '长'.repeat(400_000);
    const table = tableOf(sst([si('a'), si(long), si('b')]), 4);
    expect(table.resolve([2, 1, 0])).toEqual(['b', long, 'a']);
    table.close();
  });

  it('decodes entities, character references and _xHHHH_ escapes, joins runs, leaves out phonetic guides, keeps CDATA as written', () => {
    const items = [
      si('甲 &amp; 乙 &lt;3 &#x4E19;&#19969;'),
      si('a_x000D_b'),
      si('snake_case_name'),
      '<si><r><t>张</t></r><r><t xml:space="preserve"> 三</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>',
      '<si><t><![CDATA[<x> & _x0041_]]></t></si>',
      '<si/>',
      '<si><t></t></si>',
      '<si><r><t>a_x00</t></r><r><t>41_b</t></r></si>',
    ];
    const expected = ['甲 & 乙 <3 丙丁', 'a\rb', 'snake_case_name', '张 三', '<x> & A', '', '', 'aAb'];
    for (const bytes of [1 << 20, 0]) {
      // Cut everywhere: the bytes of a string arrive in pieces of every size.
      const xml = sst(items);
      for (const cuts of [[], Array.from({ length: Buffer.byteLength(xml) - 1 }, (_, i) => i + 1)]) {
        const table = tableOf(xml, bytes, DEFAULT_XLSX_LIMITS, cuts);
        expect(table.resolve(expected.map((_, i) => i))).toEqual(expected);
        table.close();
      }
    }
  });

  it('takes uniqueCount as a hint only: a table with more strings than declared is read whole, and the limit still holds', () => {
    const table = tableOf(sst([si('一'), si('二'), si('三')], 1), 1 << 20);
    expect(table.resolve([0, 1, 2])).toEqual(['一', '二', '三']);
    table.close();
    const limits = xlsxLimits({ maxSharedStrings: 2 });
    expect(() => tableOf(sst([si('一'), si('二'), si('三')], 2), 0, limits)).toThrow(/too many shared strings/);
  });

  it('counts characters as JavaScript does (a 4-byte character is two) against the limit', () => {
    const limits = xlsxLimits({ maxSharedStringCharacters: 5 });
    // 😀 is two UTF-16 units: 2 + 2 + 1 = 5 characters pass, a sixth does not.
    tableOf(sst([si('😀😀'), si('a')]), 1 << 20, limits).close();
    expect(() => tableOf(sst([si('😀😀'), si('ab')]), 1 << 20, limits)).toThrow(/too many characters of shared strings/);
    expect(() => tableOf(sst([si('😀&amp;😀a')]), 1 << 20, limits)).toThrow(/too many characters of shared strings/);
  });
});

describe('shared-string cells of a sheet', () => {
  const strings = ['零', '一', '二'];
  const table = () => tableOf(sst(strings.map(si)), 1 << 20);

  function rows(xml: string, cuts: number[] = []) {
    const t = table();
    const handler = new SheetHandler({
      part: 'xl/worksheets/sheet1.xml',
      limits: DEFAULT_XLSX_LIMITS,
      strings: t,
      dateStyles: new Uint8Array(0),
      date1904: false,
    });
    try {
      feed(`<worksheet><sheetData>${xml}</sheetData></worksheet>`, handler, cuts);
    } finally {
      t.close();
    }
    return handler.rows.map((r) => r.cells);
  }

  it('reads the index from its digits wherever the pieces are cut, and odd but valid forms as before', () => {
    const xml =
      '<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>01</v></c><c r="C1" t="s"><v> 1 </v></c>' +
      '<c r="D1" t="s"><v><![CDATA[2]]></v></c><c r="E1" t="s"><v>0<![CDATA[1]]></v></c><c r="F1" t="s"><v></v></c><c r="G1" t="s"/></row>';
    const expected = [['二', '一', '一', '二', '一', '零']];
    const whole = `<worksheet><sheetData>${xml}</sheetData></worksheet>`;
    expect(rows(xml)).toEqual(expected);
    // Every cut point, one at a time: a cell's digits split between two pieces.
    for (let cut = 1; cut < whole.length; cut++) expect(rows(xml, [cut])).toEqual(expected);
  });

  it('refuses an index the table does not have, naming the cell and the index', () => {
    expect(() => rows('<row r="3"><c r="B3" t="s"><v>3</v></c></row>')).toThrow(/cell B3 of xl\/worksheets\/sheet1\.xml refers to shared string 3,/);
    expect(() => rows('<row r="3"><c r="B3" t="s"><v>99999999999</v></c></row>')).toThrow(/refers to shared string 99999999999,/);
    expect(() => rows('<row r="3"><c r="B3" t="s"><v>1x</v></c></row>')).toThrow(/refers to shared string 1x,/);
  });
});
