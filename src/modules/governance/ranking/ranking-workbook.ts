import type { Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { Ranking, RankingRow } from './ranking.presenter.js';

export const RANKING_SHEET = '一周一通报';

/** The columns after the title row: Chinese headers, as a bulletin is read. */
export const RANKING_COLUMNS: readonly { header: string; width: number; value: (r: RankingRow) => string | number | null; percent?: boolean }[] = [
  { header: '排名', width: 6, value: (r) => r.rank },
  { header: '部门', width: 32, value: (r) => r.departmentName },
  { header: '得分', width: 10, value: (r) => r.score, percent: true },
  { header: '较上周', width: 9, value: (r) => rankChangeText(r) },
  { header: '上周排名', width: 9, value: (r) => r.previous.rank },
  { header: '上周得分', width: 10, value: (r) => r.previous.score, percent: true },
  { header: '扫描资源数', width: 11, value: (r) => r.resourcesScanned },
  { header: '检查数（B）', width: 13, value: (r) => r.checked },
  { header: '通过数（A）', width: 13, value: (r) => r.passed },
  { header: '本周新增问题', width: 13, value: (r) => r.problems.opened },
  { header: '未关闭问题', width: 11, value: (r) => r.problems.open },
  { header: '超期问题', width: 9, value: (r) => r.problems.overdue },
  { header: '本周关闭问题', width: 13, value: (r) => r.problems.closed },
];

function rankChangeText(r: RankingRow): string {
  if (r.rank === null) return '未排名';
  if (r.change.rank === null) return '新上榜';
  if (r.change.rank === 0) return '持平';
  return r.change.rank > 0 ? `↑${r.change.rank}` : `↓${-r.change.rank}`;
}

// Rows written between two yields to the event loop.
const ROWS_PER_STEP = 50;

/**
 * Writes the ranking as XLSX with exceljs's streaming WorkbookWriter on the calling thread, in
 * small async steps (it yields to the event loop every 50 rows), rather than as a job in the
 * worker pool: the sheet has one row per department (tens, a few hundred at most), so building it
 * takes milliseconds and memory stays flat, whereas the pool runs jobs first come, first served —
 * a bulletin would queue behind a million-row load or scan — and the ranking, already computed
 * here from the database, would have to cross threads anyway.
 */
export async function writeRankingWorkbook(out: Writable, r: Ranking, meta: { created: Date }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = 'Kuaiji';
  wb.created = meta.created;
  const ws = wb.addWorksheet(RANKING_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = RANKING_COLUMNS.map((c) => ({ width: c.width }));

  const title = ws.addRow([`一周一通报：数据质量部门排名（${r.week}，${r.firstDay} 至 ${r.lastDay}）`]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, RANKING_COLUMNS.length);
  title.commit();

  const header = ws.addRow(RANKING_COLUMNS.map((c) => c.header));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  header.commit();

  for (const [i, item] of r.items.entries()) {
    const row = ws.addRow(RANKING_COLUMNS.map((c) => c.value(item)));
    RANKING_COLUMNS.forEach((c, n) => {
      if (c.percent) row.getCell(n + 1).numFmt = '0.00%';
    });
    row.commit();
    if ((i + 1) % ROWS_PER_STEP === 0) await yieldToLoop();
  }
  const note = ws.addRow([
    `说明：得分按 GB/T 36344 规则得分 X = A / B 逐维度、逐资源平均（ADR 0014），取每个资源截至 ${r.asOf} 的最近一次扫描；较上周与 ${r.previousWeek} 相比；未关闭、超期问题为统计截止时的状态。`,
  ]);
  note.font = { italic: true, color: { argb: 'FF595959' } };
  note.commit();
  // The streaming writer's worksheets commit asynchronously, whatever the typings say.
  await (ws.commit() as unknown as Promise<void>);
  await wb.commit();
}
