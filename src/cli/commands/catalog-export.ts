import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import { RegionCode } from '../../modules/catalog/regions/regions.schemas.js';
import type { Command } from '../command.js';
import { stringOption, UsageError } from '../command.js';
import { withServices } from '../context.js';
import { findDepartment } from '../lookup.js';

export const catalogExportCommand: Command = {
  name: 'catalog export',
  summary: 'Export the catalogue as an .xlsx workbook in the import template (one row per data item).',
  usage: 'kuaiji catalog export <file.xlsx> [--department <id or exact name>] [--region <code>]',
  help: [
    ['--department <ref>', "only this provider department's entries"],
    ['--region <code>', 'only entries of this region (e.g. 330681)'],
    'Runs with administrator authority, so classified (涉密) entries are included.',
  ],
  database: 'existing',
  options: { department: { type: 'string' }, region: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = path.resolve(args.positionals[0]!);
    if (path.extname(file).toLowerCase() !== '.xlsx') throw new UsageError(`${file} must end in .xlsx`, 'catalog export');
    if (!fs.existsSync(path.dirname(file))) throw new UsageError(`the folder ${path.dirname(file)} does not exist`, 'catalog export');
    const region = stringOption(args, 'region');
    if (region !== undefined && !RegionCode.safeParse(region).success)
      throw new UsageError(`--region must be a 6-digit region code (got '${region}')`, 'catalog export');
    const department = stringOption(args, 'department');

    await withServices(async (services) => {
      const providerDepartmentId = department ? (await findDepartment(services, department)).id : undefined;
      // Written beside the target and renamed at the end, so a failure never leaves half a workbook.
      const partial = `${file}.${process.pid}.partial`;
      const out = fs.createWriteStream(partial);
      try {
        const written = await services.catalogExcel.exportWorkbook(SYSTEM_ACTOR, { providerDepartmentId, regionCode: region }, out);
        await finished(out);
        fs.renameSync(partial, file);
        process.stdout.write(`Exported ${written.resources} resources with ${written.items} data items to ${file}.\n`);
      } catch (err) {
        out.destroy();
        fs.rmSync(partial, { force: true });
        throw err;
      }
    });
    return 0;
  },
};
