/**
 * Profiling benchmark (issue 9): the synthetic population resource profiled per data item, against
 * the floor of the same run: the sqlite3 shell running the profile's own SQL alone over the same
 * table — the aggregate query (rows, nulls, empties, typed min/max) and each item's grouping query
 * (distinct and top values) — so the ratio is what the stream (lengths, shapes) and Node add.
 *
 *   npx tsx bench/quality-profile.ts [--rows 1000000] [--repeat 3]
 *
 * Setup (not timed): a fresh SQLite file, migrated, the population resource, its CSV (bench/out/,
 * seed 1, reused) loaded through services.collection.upload. Each profile runs in its own child
 * process (peak RSS with the worker thread): services.qualityProfiles.start(…, { wait: true }) —
 * the aggregate query, one grouping query per item (top values), one stream of the records
 * (lengths, shapes, text and decimal min/max), the profile stored.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DataType } from '../src/modules/catalog/index.js';
import { buildServices } from '../src/deps.js';
import { profileAggregateQuery, topValuesQuery } from '../src/modules/governance/profiles/profiles.repository.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { systemClock } from '../src/shared/clock.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { seedPopulationResource } from './collection-setup.js';
import { writePopulationFile } from './generators/population.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** In the child: one profile, timed, with its peak RSS. */
async function profileChild(dir: string, resourceId: string) {
  const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  const services = buildServices(storage, systemClock, { dataDir: dir });
  const started = Date.now();
  const job = await services.qualityProfiles.start(SYSTEM_ACTOR, resourceId, { wait: true });
  const seconds = (Date.now() - started) / 1000;
  if (job.status !== 'succeeded') throw new Error(`profile ${job.status}: ${job.error}`);
  const profile = await services.qualityProfiles.latest(SYSTEM_ACTOR, resourceId);
  process.stdout.write(
    `${JSON.stringify({ seconds, items: profile.items.length, rows: profile.rows, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
  await services.jobs.stop();
  await storage.close();
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      repeat: { type: 'string', default: '3' },
      child: { type: 'string' },
      resource: { type: 'string' },
    },
  });
  if (values.child) return profileChild(values.child, values.resource!);
  const rows = Number(values.rows);
  const csv = path.join(HERE, 'out', `population-${rows}.csv`);
  if (!existsSync(csv)) await writePopulationFile('csv', rows, csv, 1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-profile-'));
  try {
    const file = path.join(dir, 'kuaiji.sqlite');
    const storage = openSqlite(file);
    await migrateToLatest(storage);
    const services = buildServices(storage, systemClock, { dataDir: dir });
    const resourceId = await seedPopulationResource(services);
    const { job } = await services.collection.upload(SYSTEM_ACTOR, {
      resourceId,
      body: createReadStream(csv),
      contentType: undefined,
      fileName: path.basename(csv),
      mode: 'upsert',
      wait: true,
    });
    if (job.status !== 'succeeded') throw new Error(`load ${job.status}: ${job.error}`);
    // The floor: the profile's own SQL, its parameters written in, run by the sqlite3 shell.
    const table = (await storage.db.selectFrom('record_tables').select('table_name').where('resource_id', '=', resourceId).executeTakeFirstOrThrow())
      .table_name;
    const columns = await storage.db
      .selectFrom('record_columns')
      .select(['column_name', 'data_type', 'retired'])
      .where('resource_id', '=', resourceId)
      .execute();
    const items = columns.filter((c) => !c.retired).map((c) => [c.column_name, c.data_type as DataType] as [string, DataType]);
    const statements = [profileAggregateQuery(table, items), ...items.filter(([, t]) => t !== 'BINARY').map(([c, t]) => topValuesQuery(table, c, t))];
    const floorSql = statements
      .map((q) => {
        const compiled = q.compile(storage.db);
        let n = 0;
        return `${compiled.sql.replace(/\?/g, () => String(compiled.parameters[n++]))};`;
      })
      .join('\n');
    await services.jobs.stop();
    await storage.close();

    const ours: { seconds: number; items: number; rows: number; peakRssMb: number }[] = [];
    const floor: number[] = [];
    for (let i = 0; i < Number(values.repeat); i++) {
      const t0 = Date.now();
      const r = spawnSync('sqlite3', [file, floorSql], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
      floor.push((Date.now() - t0) / 1000);
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir, '--resource', resourceId], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`profile child exited ${code}`))));
      });
      ours.push(JSON.parse(out.trim().split('\n').pop()!));
    }
    const s = median(ours.map((o) => o.seconds));
    const f = median(floor);
    process.stdout.write(
      `| rows | items | profile s | rows/s | peak RSS MB | floor (sqlite3, the same SQL) s | ratio |\n|---|---|---|---|---|---|---|\n` +
        `| ${rows.toLocaleString('en')} | ${ours[0]!.items} | ${s.toFixed(2)} | ${Math.round(rows / s).toLocaleString('en')} | ${Math.max(...ours.map((o) => o.peakRssMb))} | ${f.toFixed(2)} | ${(s / f).toFixed(2)}x |\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
