import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { date, Invalid, lengthAndPrecision, normalizeCell, yesNo } from './cells.js';
import { sheetRows } from './sheet-reader.js';
import { columnByKey, COLUMNS, matchHeaders, openTypes, sensitivities, shareModes, shareTypes, updateFrequencies } from './template.js';
import { IMPORT_PROBLEM_CODES } from './import-problems.js';
import { openXlsxPackage } from './xlsx-package.js';

const parse = (key: Parameters<typeof columnByKey.get>[0], v: unknown) => columnByKey.get(key)!.parse(normalizeCell(v));

describe('template columns', () => {
  it('have unique keys and headers, and every header maps back to its own column', () => {
    expect(new Set(COLUMNS.map((c) => c.key)).size).toBe(COLUMNS.length);
    const m = matchHeaders([null, ...COLUMNS.map((c) => c.header)]);
    expect(m.unknown).toEqual([]);
    expect(m.missing).toEqual([]);
    COLUMNS.forEach((c, i) => expect(m.columns.get(i + 1)).toBe(c));
  });

  it('matches aliases, spaces, * marks and hints; a shared header means the item column right of the item block', () => {
    const m = matchHeaders([
      '资源代码 ',
      '＊信息资源名称',
      '共享类型\n（无条件共享/有条件共享/不予共享）',
      '敏感级别',
      '字段编码',
      '共享类型',
      '敏感等级',
      '备用',
    ]);
    expect([...m.columns.values()].map((c) => c.key)).toEqual(['code', 'name', 'shareType', 'sensitivity', 'itemCode', 'itemShareType', 'itemSensitivity']);
    expect(m.unknown).toEqual([{ index: 7, header: '备用' }]);
    expect(m.missing.map((c) => c.header)).toContain('信息项名称');
    expect(m.missingProvider).toBe(true);
  });

  it('reports a column given twice', () => {
    const m = matchHeaders(['信息资源代码', '资源代码']);
    expect(m.duplicates.map((d) => d.header)).toEqual(['资源代码']);
  });
});

describe('cell parsers', () => {
  it('read code-list labels, national codes and the Zhejiang wording', () => {
    expect(shareTypes.parse('受限共享')).toBe('CONDITIONAL');
    expect(shareTypes.parse(3)).toBe('NOT_SHARED');
    expect(openTypes.parse('有条件开放')).toBe('RESTRICTED');
    expect(openTypes.parse('不予开放')).toBe('PROHIBITED');
    expect(updateFrequencies.parse(1)).toBe('01');
    expect(updateFrequencies.parse('10')).toBe('10');
    expect(updateFrequencies.parse('不定期')).toBe('09');
    expect(sensitivities.parse('Ｌ３')).toBe('L3');
    expect(sensitivities.parse('L2（低敏感）')).toBe('L2');
    expect(sensitivities.parse('较敏感')).toBe('L3');
    expect(parse('category', '基础')).toBe(1);
    expect(parse('category', 3)).toBe(3);
    expect(shareModes.parseList('接口、库表，文件')).toEqual(['API', 'DATABASE', 'FILE']);
    const bad = shareTypes.parse('有时共享');
    expect(bad).toBeInstanceOf(Invalid);
    expect((bad as Invalid).code).toBe('UNKNOWN_VALUE');
    expect((bad as Invalid).message).toContain('有时共享');
  });

  it('read data types as labels, legacy letters or both', () => {
    expect(parse('dataType', '字符型')).toEqual({ dataType: 'STRING', legacyType: null });
    expect(parse('dataType', 'n')).toEqual({ dataType: 'DECIMAL', legacyType: 'N' });
    expect(parse('dataType', '数值型（Y）')).toEqual({ dataType: 'DECIMAL', legacyType: 'Y' });
    expect(parse('dataType', 'varchar')).toEqual({ dataType: 'STRING', legacyType: null });
    expect(parse('dataType', 'Q')).toBeInstanceOf(Invalid);
  });

  it('read dates, yes/no, lengths, rich text, formulas and Excel errors', () => {
    expect(date(normalizeCell(new Date('2024-01-05T00:00:00Z')))).toBe('2024-01-05');
    expect(date(45296)).toBe('2024-01-05');
    expect(date(20240105)).toBe('2024-01-05');
    expect(date('2024年1月5日')).toBe('2024-01-05');
    expect(date('2024/2/30')).toBeInstanceOf(Invalid);
    expect(yesNo('是')).toBe(true);
    expect(yesNo('N')).toBe(false);
    expect(yesNo('也许')).toBeInstanceOf(Invalid);
    expect(lengthAndPrecision('18,2')).toEqual({ length: 18, precision: 2 });
    expect(lengthAndPrecision(200)).toEqual({ length: 200 });
    expect(normalizeCell({ richText: [{ text: ' 有条件' }, { text: '共享 ' }] })).toBe('有条件共享');
    expect(normalizeCell({ formula: 'A1', result: '每日' })).toBe('每日');
    expect(normalizeCell('   ')).toBeNull();
    expect(parse('name', { error: '#N/A' })).toBeInstanceOf(Invalid);
  });
});

describe('streaming sheet reader', () => {
  it('fills merged cells from their top-left cell, which the exceljs streaming reader leaves blank', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填写说明');
    const ws = wb.addWorksheet('信息资源目录');
    ws.addRow(['a', 'b', 'c']);
    ws.addRow(['x', 'y', 'p']);
    ws.addRow([null, null, 'q']);
    ws.addRow([null, null, 'r']);
    ws.mergeCells('A2:B4');
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const pkg = openXlsxPackage(buf);
    expect(pkg.sheets.map((s) => s.name)).toEqual(['填写说明', '信息资源目录']);
    const sheet = pkg.sheets[1]!;
    expect(await pkg.merges(sheet)).toEqual([{ top: 2, left: 1, bottom: 4, right: 2 }]);
    const rows = [];
    for await (const r of sheetRows(buf, sheet, await pkg.merges(sheet))) rows.push(r.values.slice(1));
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x', 'x', 'p'],
      ['x', 'x', 'q'],
      ['x', 'x', 'r'],
    ]);
  });
});

describe('import problem codes', () => {
  it('are each documented in docs/errors.md', () => {
    const doc = fs.readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Catalogue import problem codes'));
    const documented = new Set([...section.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(Object.keys(IMPORT_PROBLEM_CODES).filter((c) => !documented.has(c))).toEqual([]);
  });
});
