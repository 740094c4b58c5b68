import { loadDemoCity, type DemoServices } from '../../demo/load.js';
import { loadDemoRecords } from '../../demo/records.js';
import { defineDemoThemes } from '../../demo/themes.js';
import type { Services } from '../../deps.js';
import { SYSTEM_ACTOR } from '../../shared/actor.js';
import { UsageError, type Command } from '../command.js';
import { withServices } from '../context.js';
import { createProgress } from '../progress.js';

/** The themes' services the demo defines its six themes through (src/demo/themes.ts). */
export type DemoThemeServices = Pick<Services, 'themes' | 'themeSync'>;

export type DemoLoadOptions = {
  /** Where the generated record files are written before upload (config.dataDir). */
  dataDir: string;
  /** Multiplies every record count (1: 100,000 people and thousands per resource); 0 loads none. */
  scale?: number;
  /** Wait until the themes' masters are built (the CLI, which closes the database next); a server builds them in the background. */
  waitForThemes?: boolean;
};

/**
 * Loads the demo city with a progress display, prints the figures and the demo users' tokens
 * once, then, when the catalogue was new, fills it with synthetic records through collection.
 */
export async function loadDemoWithProgress(
  services: DemoServices & DemoThemeServices,
  options: DemoLoadOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
) {
  const progress = createProgress('Loading the demo city');
  const result = await loadDemoCity(services, { onProgress: (p) => progress.update(p.done, p.total, p.step) });
  progress.finish();
  if (!result.loaded) {
    out(`Demo city not loaded: ${result.reason} (it is only loaded into an empty catalogue).\n`);
    return result;
  }
  const f = result.figures;
  out(
    `Demo city 绍兴市 loaded: ${f.regions} regions, ${f.departments} departments, ${f.systems} information systems, ${f.resources} resources with ${f.items} data items.\n`,
  );
  if (result.users.length) {
    out('Demo users (their tokens are shown once; store them safely):\n');
    for (const u of result.users) out(`  ${u.username} (${u.role}${u.department ? `, ${u.department}` : ''})\n    ${u.token}\n`);
  }

  if (options.scale !== 0) await loadRecords(services, options, out);
  // The six thematic databases, defined once the records are in: their syncs build the masters.
  const themes = await defineDemoThemes(services.themes, await services.resources.listAllWithItems(SYSTEM_ACTOR));
  if (options.waitForThemes) {
    const started = performance.now();
    await services.themeSync.idle();
    out(`Thematic databases defined and built: ${themes} themes in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  } else {
    out(`Thematic databases defined: ${themes} themes; their masters are being built from the records.\n`);
  }
  return result;
}

async function loadRecords(services: DemoServices, options: DemoLoadOptions, out: (s: string) => void) {
  const started = performance.now();
  const loading = createProgress('Loading synthetic demo records');
  const records = await loadDemoRecords(services, {
    dataDir: options.dataDir,
    scale: options.scale,
    onProgress: (p) => loading.update(p.done, p.total, p.step),
  });
  loading.finish();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  out(
    `Synthetic demo records loaded: ${records.inserted.toLocaleString('en')} records in ${records.resources} resources ` +
      `(${records.rejected} rejected${records.alreadyLoaded ? `, ${records.alreadyLoaded} already loaded` : ''}) in ${seconds} s.\n`,
  );
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Load the demo city (绍兴市: regions, departments, systems, catalogue, users, synthetic records) into the configured database.',
  usage: 'kuaiji demo [--scale <factor>]',
  help: [
    ['--scale <factor>', 'multiply the synthetic record counts (default 1; 0 loads no records)'],
    'Does nothing when the catalogue already has departments.',
    'Records (100,000 synthetic people, thousands per other resource; three resources are left',
    'uncollected, so coverage 应归尽归 shows a gap) go through collection jobs;',
    'their files are generated under KUAIJI_DATA_DIR/demo and removed once uploaded.',
  ],
  database: 'create',
  options: { scale: { type: 'string' } },
  async run(args) {
    const raw = args.values.scale;
    const scale = typeof raw === 'string' ? Number(raw) : 1;
    if (!Number.isFinite(scale) || scale < 0 || scale > 10) throw new UsageError(`--scale must be a number from 0 to 10 (got '${String(raw)}')`, 'demo');
    await withServices(async (services, config) => {
      await loadDemoWithProgress(services, { dataDir: config.dataDir, scale, waitForThemes: true });
    });
    return 0;
  },
};
