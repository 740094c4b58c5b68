/**
 * SYNTHETIC DEFECTS. A few realistic data-entry faults the demo seeds into otherwise clean rows,
 * so that its quality scores, problems and weekly ranking have something to show (with clean
 * data every score is 1). Each defect hits a fixed share of one item's rows, at least `min`
 * rows whatever the scale, spread evenly over the file; the same rows every run.
 */
export type DefectKind = 'check-digit' | 'unknown-region' | 'bad-mobile' | 'empty';

export type DemoDefect = { resource: string; item: string; kind: DefectKind; share: number; min: number };

/** A region code that never existed in GB/T 2260 (330602 with two digits swapped). */
export const UNKNOWN_REGION = '330620';

export const DEMO_DEFECTS: readonly DemoDefect[] = [
  // A handful of ID numbers and a wrong check digit (准确性): 自然人公共信用信息 (发改委), 公共租赁住房保障对象 (住建局).
  { resource: '104004/00001', item: 'citizen_id', kind: 'check-digit', share: 0.001, min: 2 },
  { resource: '305002/00001', item: 'citizen_id', kind: 'check-digit', share: 0.001, min: 2 },
  // A region code no edition of GB/T 2260 has (规范性): 农产品质量安全例行监测 (农业农村局).
  { resource: '316001/00001', item: 'region_code', kind: 'unknown-region', share: 0.01, min: 2 },
  // Mobile numbers one digit short (规范性): 上虞区家庭医生签约.
  { resource: '204002/00001', item: 'mobile', kind: 'bad-mobile', share: 0.02, min: 2 },
  // The grid leader's telephone left empty (完整性), which 诸暨市 requires (demo rule in quality-rules.ts): 全科网格.
  { resource: '202001/00001', item: 'grid_leader_mobile', kind: 'empty', share: 0.08, min: 2 },
];

/** The rows (0-based) of a file of `count` rows a defect hits. */
export function defectRows(defect: DemoDefect, count: number): Set<number> {
  const k = Math.min(count, Math.max(defect.min, Math.round(defect.share * count)));
  const rows = new Set<number>();
  for (let j = 0; j < k; j++) rows.add(Math.floor(((j + 0.5) * count) / k));
  return rows;
}

function damage(kind: DefectKind, value: string): string {
  switch (kind) {
    case 'check-digit':
      // Any other character than the computed one is a wrong check digit.
      return value.slice(0, 17) + (value[17] === '0' ? '1' : '0');
    case 'unknown-region':
      return UNKNOWN_REGION;
    case 'bad-mobile':
      return value.length > 1 ? value.slice(0, -1) : '1380575';
    case 'empty':
      return '';
  }
}

/** The rows of one resource's file with its defects seeded (items in file order); rows of other resources pass unchanged. */
export function* withDemoDefects(resourceCode: string, itemCodes: readonly string[], rows: Iterable<string[]>, count: number): Generator<string[]> {
  const defects = DEMO_DEFECTS.filter((d) => d.resource === resourceCode && itemCodes.includes(d.item)).map((d) => ({
    d,
    column: itemCodes.indexOf(d.item),
    rows: defectRows(d, count),
  }));
  let i = 0;
  for (const row of rows) {
    for (const { d, column, rows: hit } of defects) if (hit.has(i)) row[column] = damage(d.kind, row[column] ?? '');
    yield row;
    i++;
  }
}
