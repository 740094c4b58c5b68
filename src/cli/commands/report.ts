import fs from 'node:fs';
import path from 'node:path';
import { UsageError, stringOption, type Command } from '../command.js';
import { withServices } from '../context.js';
import { gatherReportFigures } from '../../report/report-figures.js';
import { buildReport, type ReportLang } from '../../report/report-document.js';
import { reportToMarkdown } from '../../report/report-markdown.js';
import { reportToHtml } from '../../report/report-html.js';

const DEFAULT_HTML_FILE = 'kuaiji-report.html';

export const reportCommand: Command = {
  name: 'report',
  summary: "Print the platform's figures as a report laid out like section 一 of the seed document.",
  usage: 'kuaiji report [--lang zh|en] [--format md|html] [--out <file>]',
  help: [
    ['--lang <zh|en>', "the report's language (default zh: Simplified Chinese)"],
    ['--format <md|html>', `md: Markdown on standard output (default); html: one self-contained file with charts (${DEFAULT_HTML_FILE} unless --out)`],
    ['--out <file>', 'write the report to this file instead'],
    'Every figure is computed from the store now, by the same services as the /stats endpoints and',
    "the console's dashboard: collection and the catalogue, quality governance and the system census,",
    'sharing and opening.',
  ],
  database: 'existing',
  options: { lang: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(args) {
    const lang = stringOption(args, 'lang') ?? 'zh';
    if (lang !== 'zh' && lang !== 'en') throw new UsageError(`--lang must be zh or en, not '${lang}'`, 'report');
    const format = stringOption(args, 'format') ?? 'md';
    if (format !== 'md' && format !== 'html') throw new UsageError(`--format must be md or html, not '${format}'`, 'report');
    const out = stringOption(args, 'out') ?? (format === 'html' ? DEFAULT_HTML_FILE : undefined);
    return withServices(async (services) => {
      const doc = buildReport(await gatherReportFigures(services), lang as ReportLang);
      const text = format === 'html' ? reportToHtml(doc) : reportToMarkdown(doc);
      if (!out) {
        process.stdout.write(text);
        return 0;
      }
      fs.writeFileSync(out, text);
      process.stderr.write(`The report was written to ${path.resolve(out)}.\n`);
      return 0;
    });
  },
};
