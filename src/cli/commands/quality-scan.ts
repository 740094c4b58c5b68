import { SYSTEM_ACTOR } from '../../shared/actor.js';
import type { Command } from '../command.js';
import { withServices } from '../context.js';
import { findResource } from '../lookup.js';
import { createProgress } from '../progress.js';

export const qualityScanCommand: Command = {
  name: 'quality scan',
  summary: 'Scan one resource (or every collected one) against its quality rules and print what failed.',
  usage: 'kuaiji quality scan [<resource id or code>]',
  help: [
    'Rules derived from the catalogue (not null, uniqueness, length, code sets, check digits, formats,',
    'cross-field, timeliness) and custom ones are checked over the live records; the scan is stored',
    'like one started with POST /api/v1/quality/scans, and its problems are opened or re-checked.',
    'Without a resource, every resource with collected records is scanned.',
  ],
  database: 'existing',
  options: {},
  positionals: { min: 0, max: 1 },
  async run(args) {
    const [ref] = args.positionals as [string | undefined];
    return withServices(async (services) => {
      const resource = ref ? await findResource(services, ref) : null;
      const progress = createProgress(resource ? `Scanning ${resource.code}` : 'Scanning every collected resource');
      let scan = await services.scans.start(SYSTEM_ACTOR, resource ? { resourceId: resource.id } : {});
      const timer = setInterval(() => {
        void services.scans.get(SYSTEM_ACTOR, scan.id).then(
          (s) => progress.update(s.progress.resourcesDone, s.progress.resourcesTotal, `resources · ${s.progress.rowsChecked} records read`),
          () => undefined,
        );
      }, 500);
      try {
        scan = await services.scans.waitFor(scan.id);
      } finally {
        clearInterval(timer);
        progress.finish();
      }
      if (scan.status !== 'succeeded') {
        process.stderr.write(`error: scan ${scan.id} ${scan.status}: ${scan.error ?? 'no reason given'}\n`);
        return 1;
      }
      const { items } = await services.scans.results(SYSTEM_ACTOR, scan.id);
      const failing = items.filter((r) => r.failed > 0);
      const resources = new Set(items.map((r) => r.resourceId)).size;
      process.stdout.write(`Scan ${scan.id}: ${items.length} rules over ${resources} resource${resources === 1 ? '' : 's'}, ${failing.length} failing.\n`);
      for (const r of failing) {
        const x = r.checked === 0 ? '' : ` (X = ${(r.passed / r.checked).toFixed(4)})`;
        process.stdout.write(`  ${r.kind}${r.itemCode ? ` ${r.itemCode}` : ''} [${r.dimension}, ${r.severity}]: ${r.failed} of ${r.checked} failed${x}\n`);
      }
      if (scan.error) process.stderr.write(`warning: ${scan.error}\n`);
      process.stdout.write(`Results: GET /api/v1/quality/scans/${scan.id}/results\n`);
      return 0;
    });
  },
};
