import type { ReportDocument } from './report-document.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown: headings, paragraphs and tables (a chart's bars are its preceding table). */
export function reportToMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${doc.title}`, ''];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level + 1)} ${b.text}`, '');
    else if (b.kind === 'paragraph') out.push(b.text, '');
    else if (b.kind === 'table') {
      if (b.rows.length === 0) continue;
      out.push(`| ${b.head.map(cell).join(' | ')} |`);
      out.push(`|${b.numeric.map((num) => (num ? ' ---: ' : ' --- ')).join('|')}|`);
      for (const r of b.rows) out.push(`| ${r.map(cell).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
