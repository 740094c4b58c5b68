/** What `collect load --dry-run` prints: a preview (mappings/preview.ts) as plain text lines. */
export type PreviewLike = {
  format: string;
  encoding: string | null;
  headers: { header: string; status: string; itemCode?: string; how?: string; reason?: string; candidates?: string[] }[];
  unfilledItems: { code: string; name: string; required: boolean }[];
  loadable: boolean;
  problems: string[];
  rows: { rowNumber: number; values: Record<string, unknown> }[];
  rejects: { rowNumber: number; field: string | null; reason: string }[];
  more: boolean;
};

export function previewText(p: PreviewLike): string {
  const lines = [`Dry run (nothing stored): ${p.format.toUpperCase()}${p.encoding ? `, ${p.encoding}` : ''}`, 'Headers:'];
  for (const h of p.headers) {
    if (h.status === 'mapped') lines.push(`  ${h.header} → ${h.itemCode} (${h.how})`);
    else lines.push(`  ${h.header} → ${h.status}${h.reason ? `: ${h.reason}` : ''}`);
  }
  if (p.unfilledItems.length) {
    lines.push(`Unfilled items: ${p.unfilledItems.map((i) => `${i.code} (${i.name}${i.required ? ', required' : ''})`).join(', ')}`);
  }
  lines.push(p.loadable ? 'A load of this file would start.' : `A load of this file would be refused: ${p.problems.join('; ')}`);
  lines.push(`First ${p.rows.length + p.rejects.length} rows${p.more ? ' (more follow)' : ''}:`);
  const all = [
    ...p.rows.map((r) => ({ n: r.rowNumber, text: JSON.stringify(r.values) })),
    ...p.rejects.map((r) => ({ n: r.rowNumber, text: `rejected${r.field ? ` (${r.field})` : ''}: ${r.reason}` })),
  ];
  for (const r of all.sort((a, b) => a.n - b.n)) lines.push(`  row ${r.n}: ${r.text}`);
  return `${lines.join('\n')}\n`;
}
