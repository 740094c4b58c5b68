import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { xlsxLimits } from '../../src/shared/xlsx/limits.js';
import { openWorkbook, type SheetRow, type WorkbookOptions } from '../../src/shared/xlsx/sheet-reader.js';
import { zipOfBytes } from '../../src/shared/xlsx/zip-directory.js';
import { readXlsx } from '../../src/modules/collection/parsing/xlsx-reader.js';
import { zipOf, type BombEntry } from '../hardening/zip-bombs.js';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * A workbook written by hand, part by part, in the order given: so a test decides where the
 * shared strings sit in the ZIP, whether dates count from 1904, which styles show dates.
 */
function handWritten(opts: { sheets: [string, string][]; strings?: string[]; stylesXml?: string; date1904?: boolean; stringsFirst?: boolean }): Buffer {
  const sheetEntries: BombEntry[] = opts.sheets.map(([, rows], i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    pieces: [`<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`],
  }));
  const strings: BombEntry[] = opts.strings
    ? [{ name: 'xl/sharedStrings.xml', pieces: [`<sst ${NS} count="${opts.strings.length}">${opts.strings.join('')}</sst>`] }]
    : [];
  const rels =
    opts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    (opts.strings ? `<Relationship Id="rS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '') +
    (opts.stylesXml ? `<Relationship Id="rT" Type="${REL}/styles" Target="styles.xml"/>` : '');
  const head: BombEntry[] = [
    {
      name: '_rels/.rels',
      pieces: [
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ],
    },
    {
      name: 'xl/workbook.xml',
      pieces: [
        `<workbook ${NS} ${R}>${opts.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>` +
          opts.sheets.map(([name], i) => `<sheet name="${name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
          '</sheets></workbook>',
      ],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: [`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`],
    },
    ...(opts.stylesXml ? [{ name: 'xl/styles.xml', pieces: [opts.stylesXml] }] : []),
  ];
  return zipOf(opts.stringsFirst ? [...head, ...strings, ...sheetEntries] : [...head, ...sheetEntries, ...strings]);
}

/** Styles: xf 0 General, 1 built-in 14 (date), 2 custom yyyy-mm-dd hh:mm:ss, 3 custom [Red]0.00 (a number), 4 built-in 31 (yyyy年m月d日). */
const STYLES =
  `<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="[Red]0.00"/></numFmts>` +
  '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="31"/></cellXfs></styleSheet>';

async function allRows(bytes: Uint8Array, sheet?: string, options: WorkbookOptions = {}): Promise<SheetRow[]> {
  const wb = await openWorkbook(zipOfBytes(bytes), options);
  try {
    const entry = sheet === undefined ? wb.sheets[0]! : wb.sheets.find((s) => s.name === sheet)!;
    const out: SheetRow[] = [];
    for await (const batch of wb.rows(entry)) out.push(...batch);
    return out;
  } finally {
    wb.close();
  }
}

const cells = (rows: SheetRow[]) => rows.map((r) => [r.number, ...r.cells]);
const si = (text: string) => `<si><t>${text}</t></si>`;

describe('sheet reader on hand-written workbooks', () => {
  it('reads shared strings written after the sheet, and before it, the same', async () => {
    const sheets: [string, string][] = [['S', '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="s"><v>0</v></c></row>']];
    const strings = [si('甲'), si('乙 &amp; 丙')];
    const after = handWritten({ sheets, strings });
    const before = handWritten({ sheets, strings, stringsFirst: true });
    // The sheet's entry really precedes the strings' in the first package.
    expect(after.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(after.indexOf('xl/sharedStrings.xml'));
    expect(cells(await allRows(after))).toEqual([[1, '乙 & 丙', null, '甲']]);
    expect(cells(await allRows(before))).toEqual([[1, '乙 & 丙', null, '甲']]);
  });

  it('joins rich-text runs, leaves out phonetic guides, decodes _xHHHH_ escapes, in inline and shared strings', async () => {
    const rich = '<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve"> 三</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>';
    const bytes = handWritten({
      strings: [rich, si('a_x000D_b')],
      sheets: [
        [
          'S',
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' +
            '<c r="C1" t="inlineStr"><is><r><t>李</t></r><r><t>四</t></r><rPh><t>LI</t></rPh></is></c>' +
            '<c r="D1" t="inlineStr"><is><t><![CDATA[<x> & y]]></t></is></c></row>',
        ],
      ],
    });
    expect(cells(await allRows(bytes))).toEqual([[1, '张 三', 'a\rb', '李四', '<x> & y']]);
  });

  it('types cells: numbers, numbers stored as text, booleans, errors, formulas by their cached value, empty cells', async () => {
    const bytes = handWritten({
      strings: [si('00123')],
      sheets: [
        [
          'S',
          '<row r="2"><c r="A2"><v>42.5</v></c><c r="B2" t="s"><v>0</v></c><c r="C2" t="str"><v>0330</v></c>' +
            '<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#DIV/0!</v></c><c r="F2"><f>1+1</f><v>2</v></c>' +
            '<c r="G2" t="str"><f>A2&amp;"x"</f><v>42.5x</v></c><c r="H2" s="1"/><c r="I2"><f>NOW()</f></c><c r="J2"><v>1.5E+3</v></c></row>',
        ],
      ],
      stylesXml: STYLES,
    });
    expect(cells(await allRows(bytes))).toEqual([[2, 42.5, '00123', '0330', true, { error: '#DIV/0!' }, 2, '42.5x', null, null, 1500]]);
  });

  it('places cells and rows without a reference after the previous ones', async () => {
    const bytes = handWritten({
      sheets: [
        [
          'S',
          '<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row><row r="4"><c><v>7</v></c></row><row><c r="B5"><v>8</v></c></row>',
        ],
      ],
    });
    expect(cells(await allRows(bytes))).toEqual([
      [1, 1, 2, null, null, 5, 6],
      [4, 7],
      [5, null, 8],
    ]);
  });

  it('reads dates from the cell style: built-in 14 and 31, a custom format; a [Red]0.00 number stays a number', async () => {
    const bytes = handWritten({
      stylesXml: STYLES,
      sheets: [
        [
          'S',
          '<row r="1"><c r="A1" s="1"><v>45292</v></c><c r="B1" s="2"><v>45292.3541666667</v></c><c r="C1" s="3"><v>45292</v></c><c r="D1" s="4"><v>45292</v></c></row>',
        ],
      ],
    });
    const [row] = await allRows(bytes);
    expect(row!.cells[0]).toEqual(new Date(Date.UTC(2024, 0, 1)));
    expect(row!.cells[1]).toEqual(new Date(Date.UTC(2024, 0, 1, 8, 30)));
    expect(row!.cells[2]).toBe(45292);
    expect(row!.cells[3]).toEqual(new Date(Date.UTC(2024, 0, 1)));
  });

  it('counts serials in the 1904 system when workbook.xml says so, and keeps the 1900 leap-year bug otherwise', async () => {
    const row =
      '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1</v></c><c r="C1" s="1"><v>59</v></c><c r="D1" s="1"><v>60</v></c><c r="E1" s="1"><v>61</v></c><c r="F1" s="1"><v>43830</v></c></row>';
    const [in1904] = await allRows(handWritten({ stylesXml: STYLES, date1904: true, sheets: [['S', row]] }));
    expect(in1904!.cells).toEqual(
      [Date.UTC(1904, 0, 1), Date.UTC(1904, 0, 2), Date.UTC(1904, 1, 29), Date.UTC(1904, 2, 1), Date.UTC(1904, 2, 2), Date.UTC(2024, 0, 1)].map(
        (t) => new Date(t),
      ),
    );
    const [in1900] = await allRows(handWritten({ stylesXml: STYLES, sheets: [['S', row]] }));
    expect(in1900!.cells).toEqual([
      new Date(Date.UTC(1899, 11, 30)),
      new Date(Date.UTC(1900, 0, 1)),
      new Date(Date.UTC(1900, 1, 28)),
      '1900-02-29', // the day Excel counts and the calendar does not: a date check rejects it
      new Date(Date.UTC(1900, 2, 1)),
      new Date(Date.UTC(2019, 11, 31)),
    ]);
  });

  it('lists sheets in tab order and reads the one asked for', async () => {
    const bytes = handWritten({
      sheets: [
        ['说明', '<row r="1"><c r="A1" t="inlineStr"><is><t>填写说明</t></is></c></row>'],
        ['数据', '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row><row r="2"><c r="A2"><v>7</v></c></row>'],
      ],
    });
    const wb = await openWorkbook(zipOfBytes(bytes));
    expect(wb.sheets.map((s) => s.name)).toEqual(['说明', '数据']);
    wb.close();
    expect(cells(await allRows(bytes, '数据'))).toEqual([
      [1, '编号'],
      [2, 7],
    ]);
  });

  it('refuses XML that is not well-formed and a part that inflates past its declared size', async () => {
    const broken = handWritten({ sheets: [['S', '<row r="1"><c r="A1"><v>1</v></x></row>']] });
    await expect(allRows(broken)).rejects.toThrow(/closes <x> where <c> is open/);
    const liar = zipOf([
      { name: 'xl/workbook.xml', pieces: [`<workbook ${NS}>${'<!-- padding -->'.repeat(100)}</workbook>`], declaredSize: 100 },
      { name: 'xl/worksheets/sheet1.xml', pieces: [`<worksheet ${NS}><sheetData/></worksheet>`] },
    ]);
    await expect(openWorkbook(zipOfBytes(liar))).rejects.toMatchObject({ code: 'WORKBOOK_TOO_LARGE', message: /xl\/workbook\.xml .*declares/ });
  });
});

describe('a large shared-strings table spills to a scratch file', () => {
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-sst-'));
  afterAll(() => fs.rmSync(scratchDir, { recursive: true, force: true }));

  it('gives the same rows as in memory, in order or scattered, and removes its file on close', async () => {
    const n = 3000;
    const strings = Array.from({ length: n }, (_, i) => si(`值${i}`));
    // Rows use the strings in order (dense runs), then in a scattered order, then repeated.
    const order = [...Array.from({ length: n }, (_, i) => i), ...Array.from({ length: n }, (_, i) => (i * 7919) % n), 5, 5, 5];
    const rows = order.map((index, r) => `<row r="${r + 1}"><c r="A${r + 1}" t="s"><v>${index}</v></c><c r="B${r + 1}"><v>${r}</v></c></row>`).join('');
    const bytes = handWritten({ strings, sheets: [['S', rows]] });
    const expected = order.map((index, r) => [r + 1, `值${index}`, r]);
    expect(cells(await allRows(bytes))).toEqual(expected);

    const wb = await openWorkbook(zipOfBytes(bytes), { scratchDir, spill: { bytes: 1000 } });
    const got: SheetRow[] = [];
    for await (const batch of wb.rows(wb.sheets[0]!)) {
      got.push(...batch);
      expect(fs.readdirSync(scratchDir).filter((f) => f.startsWith('xlsx-strings-'))).toHaveLength(1);
    }
    wb.close();
    expect(cells(got)).toEqual(expected);
    expect(fs.readdirSync(scratchDir)).toEqual([]);
  });

  it('refuses a table past the limit on shared strings before it is spilled', async () => {
    const bytes = handWritten({ strings: Array.from({ length: 50 }, () => '<si/>'), sheets: [['S', '']] });
    const limits = xlsxLimits({ maxSharedStrings: 20 });
    await expect(allRows(bytes, undefined, { limits, scratchDir, spill: { bytes: 10 } })).rejects.toMatchObject({
      code: 'WORKBOOK_TOO_LARGE',
      message: /shared strings/,
    });
    expect(fs.readdirSync(scratchDir)).toEqual([]);
  });
});

describe('collection XLSX reads through the new reader', () => {
  it('matches what exceljs wrote: shared strings, dates, a merged header that shifts no column, a second sheet by name', async () => {
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('封面');
    first.addRow(['本表仅供说明']);
    const data = wb.addWorksheet('人口');
    data.addRow(['姓名', '联系方式', '', '出生日期']);
    data.mergeCells('B1:C1');
    data.addRow(['张三', '13800000000', '0575-1234567', new Date(Date.UTC(1990, 4, 6))]);
    data.getCell('D2').numFmt = 'yyyy"年"m"月"d"日"';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const stream = await readXlsx(bytes, { sheet: '人口' });
    // The merged header keeps its text in B1 and leaves C1 empty, as the exceljs reader did.
    expect(stream.header).toEqual(['姓名', '联系方式', '', '出生日期']);
    const rows = [];
    for await (const batch of stream.batches) rows.push(...batch.rows);
    expect(rows).toEqual([{ rowNumber: 2, cells: ['张三', '13800000000', '0575-1234567', '1990-05-06'] }]);
    await expect(readXlsx(bytes, { sheet: '法人' })).rejects.toThrow("no sheet named '法人' (it has: 封面, 人口)");
  });
});
