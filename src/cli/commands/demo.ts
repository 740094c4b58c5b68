import { loadDemoCity, type DemoServices } from '../../demo/load.js';
import type { Command } from '../command.js';
import { describeDatabase, withServices } from '../context.js';
import { createProgress } from '../progress.js';

/** Loads the demo city with a progress display; prints the figures and the demo users' tokens once. */
export async function loadDemoWithProgress(services: DemoServices, out: (s: string) => void = (s) => process.stdout.write(s)) {
  const progress = createProgress('Loading the demo city');
  const result = await loadDemoCity(services, { onProgress: (p) => progress.update(p.done, p.total, p.step) });
  progress.finish();
  if (!result.loaded) {
    out(`Demo city not loaded: ${result.reason} (it is only loaded into an empty catalogue).\n`);
    return result;
  }
  const f = result.figures;
  out(`Demo city 绍兴市 loaded: ${f.regions} regions, ${f.departments} departments, ${f.systems} information systems, ${f.resources} resources with ${f.items} data items.\n`);
  if (result.users.length) {
    out('Demo users (their tokens are shown once; store them safely):\n');
    for (const u of result.users) out(`  ${u.username} (${u.role}${u.department ? `, ${u.department}` : ''})\n    ${u.token}\n`);
  }
  return result;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Load the demo city (绍兴市: regions, departments, systems, catalogue, users) into the configured database.',
  usage: 'kuaiji demo',
  help: ['Does nothing when the catalogue already has departments.'],
  options: {},
  async run() {
    await withServices(async (services, config) => {
      process.stderr.write(`Database: ${describeDatabase(config)}\n`);
      await loadDemoWithProgress(services);
    });
    return 0;
  },
};
