import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../deps.js';
import type { Resource } from '../modules/catalog/resources/resources.schemas.js';
import type { CollectionJob } from '../modules/collection/jobs/jobs.presenter.js';
import { SYSTEM_ACTOR, type Actor } from '../shared/actor.js';
import { DEMO_CITY } from './city.js';
import { DEMO_DEPARTMENTS } from './organisation.js';
import { addDemoQualityRules, type DemoRuleServices } from './quality-rules.js';
import { writeCsvFile } from './synthetic/csv-file.js';
import { withDemoDefects } from './synthetic/defects.js';
import { POPULATION_RESOURCE, recordCount, UNCOLLECTED_RESOURCES } from './synthetic/resource-plans.js';
import { generateResourceRows } from './synthetic/resource-rows.js';
import { withThemeVariants } from './synthetic/theme-variants.js';
import type { SyntheticResource } from './synthetic/types.js';

export type DemoRecordServices = Pick<Services, 'resources' | 'collection' | 'jobs'> & DemoRuleServices;
export type DemoRecordsProgress = { done: number; total: number; step: string };
export type DemoRecordsResult = {
  /** Demo resources a file was sent for. */
  resources: number;
  /** Of them, files whose batch had already been loaded (a second run): nothing changed. */
  alreadyLoaded: number;
  rowsRead: number;
  inserted: number;
  rejected: number;
};

/** The catalogue entry as the generator reads it, with its provider department. */
function toSynthetic(r: Resource): SyntheticResource {
  const demo = DEMO_CITY.resources.find((d) => d.code === r.code)!;
  const provider = DEMO_DEPARTMENTS.find((d) => d.key === demo.provider)!;
  return {
    code: r.code,
    name: r.name,
    items: (r.items ?? []).map((i) => ({
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length,
      precision: i.precision,
      primaryKey: i.primaryKey,
      nullable: i.nullable,
      codeSet: i.codeSet,
      description: i.description,
    })),
    provider: { name: provider.name, uscc: provider.uscc, regionCode: provider.regionCode },
  };
}

/**
 * Fills every demo resource but a few left uncollected (UNCOLLECTED_RESOURCES) with SYNTHETIC records (100,000 people in 人口基本信息, thousands
 * elsewhere) by sending a generated CSV through collection, as a department would: the same
 * header mapping, type checks, jobs and figures. Each file's batch id is `demo-<code>`, so a
 * second run loads nothing again. `scale` multiplies every row count (tests use a small fraction).
 */
export async function loadDemoRecords(
  services: DemoRecordServices,
  options: { dataDir: string; scale?: number; onProgress?: (p: DemoRecordsProgress) => void; actor?: Actor },
): Promise<DemoRecordsResult> {
  const actor = options.actor ?? SYSTEM_ACTOR;
  const codes = new Set(DEMO_CITY.resources.map((r) => r.code).filter((c) => !UNCOLLECTED_RESOURCES.includes(c)));
  const resources = (await services.resources.listAllWithItems(actor))
    .filter((r) => codes.has(r.code))
    // The population base first: the longest file, so its job runs while the next file is generated.
    .sort((a, b) => Number(b.code === POPULATION_RESOURCE) - Number(a.code === POPULATION_RESOURCE));
  // Before the records: the scan that follows each load (in a serving process) applies it.
  await addDemoQualityRules(services, resources, actor);
  const dir = path.join(options.dataDir, 'demo');
  fs.mkdirSync(dir, { recursive: true });

  const outcomes: { resource: Resource; job: CollectionJob; duplicate: boolean }[] = [];
  // One job at a time. On SQLite, submitting while a worker writes fails at once with
  // SQLITE_BUSY ("database is locked"): the submission's transaction reads, then writes, and a
  // commit in between invalidates its snapshot, which busy_timeout does not wait out. The next
  // file is generated while the previous job runs.
  let running: Promise<void> = Promise.resolve();
  try {
    for (const r of resources) {
      const file = path.join(dir, `${r.code.replace('/', '-')}.csv`);
      try {
        const count = recordCount(r.code, options.scale ?? 1);
        // A few synthetic data-entry faults, so scores, problems and the weekly ranking show something;
        // and what the thematic databases must cope with (legacy keys, disagreeing sources, bad keys).
        const itemCodes = (r.items ?? []).map((i) => i.code);
        const rows = withThemeVariants(r.code, itemCodes, withDemoDefects(r.code, itemCodes, generateResourceRows(toSynthetic(r), count), count), count);
        await writeCsvFile(
          file,
          (r.items ?? []).map((i) => i.name),
          rows,
        );
        await running;
        const { job, duplicate } = await services.collection.upload(actor, {
          resourceId: r.id,
          body: fs.createReadStream(file),
          contentType: 'text/csv',
          fileName: path.basename(file),
          format: 'csv',
          encoding: 'utf-8',
          mode: 'upsert',
          batchId: `demo-${r.code}`,
        });
        running = (duplicate ? Promise.resolve(job) : services.jobs.waitFor(job.id)).then((finished) => {
          outcomes.push({ resource: r, job: finished, duplicate });
          options.onProgress?.({ done: outcomes.length, total: resources.length, step: `${r.code} ${r.name}` });
        });
      } finally {
        // The upload keeps its own copy under incoming/.
        fs.rmSync(file, { force: true });
      }
    }
  } finally {
    // Never leave a job running behind an error: the caller may close the database next.
    await running.catch(() => undefined);
  }
  await running;

  const failed = outcomes.filter((o) => o.job.status !== 'succeeded');
  if (failed.length) {
    throw new Error(
      `Demo records could not be loaded:\n  ${failed.map((f) => `${f.resource.code} ${f.resource.name}: ${f.job.error ?? f.job.status}`).join('\n  ')}`,
    );
  }
  const fresh = outcomes.filter((o) => !o.duplicate);
  const sum = (f: (j: CollectionJob) => number) => fresh.reduce((a, o) => a + f(o.job), 0);
  return {
    resources: outcomes.length,
    alreadyLoaded: outcomes.length - fresh.length,
    rowsRead: sum((j) => j.rows.read),
    inserted: sum((j) => j.rows.inserted),
    rejected: sum((j) => j.rows.rejected),
  };
}
