import fs from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { withServices } from '../context.js';
import { createProgress } from '../progress.js';
import { importProblemLine } from '../report-error.js';

const PHASES = { read: 'rows read', validate: 'resources checked', store: 'resources stored' } as const;

export const catalogImportCommand: Command = {
  name: 'catalog import',
  summary: 'Import a catalogue workbook (.xlsx, the national template): every row is checked, then all are stored or none.',
  usage: 'kuaiji catalog import <file.xlsx> [--dry-run]',
  help: [
    ['--dry-run', 'check the workbook and report what would change, without storing anything'],
    "Runs with administrator authority: any department's entries may be created or replaced (matched by resource code).",
    'On rejection every problem is listed as sheet, row, column: message, and the exit code is 1.',
  ],
  database: 'existing',
  options: { 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = path.resolve(args.positionals[0]!);
    const dryRun = args.values['dry-run'] === true;
    if (path.extname(file).toLowerCase() !== '.xlsx') throw new UsageError(`${file} is not an .xlsx workbook`, 'catalog import');
    await fs.access(file).catch(() => {
      throw new UsageError(`cannot read ${file}: no such file, or no permission`, 'catalog import');
    });

    await withServices(async (services) => {
      const progress = createProgress(dryRun ? 'Checking' : 'Importing');
      const summary = await services.catalogExcel
        .importFile(SYSTEM_ACTOR, file, { dryRun, source: path.basename(file), onProgress: (p) => progress.update(p.done, p.total, PHASES[p.phase]) })
        .finally(() => progress.finish());
      for (const w of summary.warnings) process.stderr.write(`warning: ${importProblemLine(w)}\n`);
      const what = `${summary.resources} resources, ${summary.items} data items`;
      process.stdout.write(
        summary.dryRun
          ? `Checked ${path.basename(file)}: ${what}; would create ${summary.created} and update ${summary.updated} (${summary.unchanged} unchanged). Nothing was stored (--dry-run).\n`
          : `Imported ${path.basename(file)}: ${what} (${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged).\n`,
      );
    });
    return 0;
  },
};
