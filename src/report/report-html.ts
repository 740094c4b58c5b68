import type { ReportBlock, ReportDocument } from './report-document.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A horizontal bar chart as inline SVG: nothing is fetched when the file is opened. */
function barChart(b: Extract<ReportBlock, { kind: 'chart' }>): string {
  if (b.bars.length === 0) return '';
  const rowH = 24;
  const labelW = 160;
  const barW = 420;
  const max = Math.max(...b.bars.map((x) => x.value), b.percent ? 1 : 0) || 1;
  const height = b.bars.length * rowH + 10;
  const rows = b.bars.map((x, i) => {
    const w = Math.round((x.value / max) * barW);
    const y = i * rowH + 5;
    const value = b.percent ? `${(Math.round(x.value * 1000) / 10).toFixed(1)}%` : x.value.toLocaleString('en-US');
    return (
      `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(x.label)}</text>` +
      `<rect class="bar" x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}"><title>${esc(x.label)}: ${esc(value)}</title></rect>` +
      `<text x="${labelW + w + 6}" y="${y + 16}">${esc(value)}</text>`
    );
  });
  return (
    `<figure><figcaption>${esc(b.title)}</figcaption>` +
    `<svg class="chart" role="img" aria-label="${esc(b.title)}" width="${labelW + barW + 90}" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg></figure>`
  );
}

/** The report as one self-contained HTML file with its charts (`kuaiji report --format html`). */
export function reportToHtml(doc: ReportDocument): string {
  const body: string[] = [`<h1>${esc(doc.title)}</h1>`];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') body.push(`<h${b.level + 1}>${esc(b.text)}</h${b.level + 1}>`);
    else if (b.kind === 'paragraph') body.push(`<p>${esc(b.text)}</p>`);
    else if (b.kind === 'chart') body.push(barChart(b));
    else if (b.rows.length > 0) {
      const head = b.head.map((c, i) => `<th${b.numeric[i] ? ' class="num"' : ''}>${esc(c)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${b.numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
      body.push(`<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`);
    }
  }
  const style =
    'body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;padding:0 1em;line-height:1.7;color:#1f2933}' +
    'table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d0d7de;padding:4px 10px}td.num,th.num{text-align:right}' +
    'figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}.chart text{font-size:12px;fill:#1f2933}.chart .bar{fill:#2f6fb3}';
  return `<!doctype html>\n<html lang="${doc.lang === 'zh' ? 'zh-CN' : 'en'}">\n<head><meta charset="utf-8"><title>${esc(doc.title)}</title><style>${style}</style></head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}
