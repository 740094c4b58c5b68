import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Resource } from '../resources/resources.schemas.js';
import { CATALOGUE_SHEET, COLUMNS, GUIDE_SHEET, type ExportRefs } from './template.js';

const HEADER_FILL = { resource: 'FFDDEBF7', item: 'FFE2EFDA' } as const;
// Excel's limit for a list typed into the validation itself.
const INLINE_LIST_MAX = 255;
const DROPDOWN_SPARE_ROWS = 500;

// The streaming worksheet has data validations; exceljs's typings omit them.
type WithValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

const columnLetter = (n: number): string => (n > 26 ? columnLetter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

/**
 * Writes the catalogue template with the streaming writer: rows are committed as they are
 * written, so memory does not grow with the catalogue. Resource columns are repeated on each
 * item row, which keeps the sheet sortable and filterable; the importer reads merged cells too.
 */
export async function writeCatalogueWorkbook(
  out: Writable,
  pages: AsyncIterable<Resource[]> | Iterable<Resource[]>,
  refs: ExportRefs,
  meta: { created: Date },
): Promise<{ resources: number; items: number }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = 'Kuaiji';
  wb.created = meta.created;
  const ws = wb.addWorksheet(CATALOGUE_SHEET, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width ?? 12 }));

  const header = ws.addRow(COLUMNS.map((c) => c.header));
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, ...(c.required ? { color: { argb: 'FFC00000' } } : {}) };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL[c.level] } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  header.commit();

  const dateColumn = COLUMNS.findIndex((c) => c.key === 'publishedOn') + 1;

  let resources = 0;
  let items = 0;
  let lastRow = 1;
  for await (const page of pages) {
    for (const r of page) {
      resources += 1;
      const resourceCells = COLUMNS.map((c) => (c.level === 'resource' ? c.write(r, refs) : null));
      for (const item of r.items?.length ? r.items : [undefined]) {
        const row = ws.addRow(COLUMNS.map((c, i) => (c.level === 'resource' ? resourceCells[i] : item ? c.write(item) : null)));
        if (resourceCells[dateColumn - 1]) row.getCell(dateColumn).numFmt = 'yyyy-mm-dd';
        lastRow = row.number;
        row.commit();
        if (item) items += 1;
      }
    }
  }
  addDropdowns(ws, lastRow);
  // The streaming writer's worksheets commit asynchronously, whatever the typings say.
  await (ws.commit() as unknown as Promise<void>);
  await writeGuide(wb.addWorksheet(GUIDE_SHEET));
  await wb.commit();
  return { resources, items };
}

/**
 * Dropdowns that suggest, not forbid (aliases such as 受限共享 stay allowed). They cover the
 * written rows and some room below, not whole columns: readers that expand a validation range
 * cell by cell (exceljs's own full reader among them) would otherwise build millions of cells.
 */
function addDropdowns(ws: ExcelJS.Worksheet, lastRow: number) {
  const bottom = Math.max(lastRow + DROPDOWN_SPARE_ROWS, 1 + DROPDOWN_SPARE_ROWS);
  COLUMNS.forEach((c, i) => {
    if (!c.choices || c.multiple) return;
    const list = `"${c.choices.join(',')}"`;
    if (list.length > INLINE_LIST_MAX) return;
    const letter = columnLetter(i + 1);
    (ws as unknown as WithValidations).dataValidations.add(`${letter}2:${letter}${bottom}`, {
      type: 'list',
      allowBlank: true,
      formulae: [list],
      showErrorMessage: false,
    });
  });
}

/** 填写说明: every column, whether it is required, its allowed values and a hint. Ignored on import. */
async function writeGuide(ws: ExcelJS.Worksheet) {
  ws.columns = [{ width: 18 }, { width: 8 }, { width: 8 }, { width: 60 }, { width: 50 }];
  const header = ws.addRow(['列名', '层级', '必填列', '可填写的值', '说明']);
  header.font = { bold: true };
  header.commit();
  for (const c of COLUMNS) {
    ws.addRow([c.header, c.level === 'resource' ? '资源' : '信息项', c.required ? '是' : '', c.choices?.join('、') ?? '', c.note ?? '']).commit();
  }
  ws.addRow([]).commit();
  for (const line of [
    `每个信息项一行；同一资源的资源列可逐行重复、纵向合并单元格，或只填第一行。`,
    `表头可带说明或 * 号，如“共享类型*（无条件共享/有条件共享/不予共享）”；未知列会被忽略并提示。`,
    `导入时先校验全部行，有任何错误则整份文件不入库，并逐条列出工作表、行号、列名和原因。`,
  ]) {
    ws.addRow([line]).commit();
  }
  await (ws.commit() as unknown as Promise<void>);
}
