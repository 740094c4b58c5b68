/**
 * Quality scan benchmark (issue 9): the synthetic population resource scanned against every rule
 * derived from its catalogue entry, against the floor of the same run: the sqlite3 shell running
 * the scan's pushed-down aggregate query alone over the same table.
 *
 *   npx tsx bench/quality-scan.ts [--rows 1000000] [--repeat 3]
 *
 * Setup (not timed): a fresh SQLite file, migrated, the population resource, its CSV (bench/out/,
 * seed 1, reused) loaded through services.collection.upload. Each scan runs in its own child
 * process (so its peak RSS, process.resourceUsage().maxRSS with the worker thread, is the scan's):
 * services.scans.start(…, { wait: true }) — plan from the catalogue, the aggregate query, the
 * uniqueness query, one stream of the records for the in-code rules (citizen ID check digits and
 * cross-check, code sets with history), results stored. The floor is timed from Node around
 * `sqlite3 <file> "<the aggregate query>"`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildServices } from '../src/deps.js';
import { sqlOf, aggregateQuery } from '../src/modules/governance/scans/scans.repository.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { systemClock } from '../src/shared/clock.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { seedPopulationResource } from './collection-setup.js';
import { writePopulationFile } from './generators/population.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** In the child: one scan, timed, with its peak RSS. */
async function scanChild(dir: string, resourceId: string) {
  const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  const services = buildServices(storage, systemClock, { dataDir: dir });
  const started = Date.now();
  const scan = await services.scans.start(SYSTEM_ACTOR, { resourceId }, { wait: true });
  const seconds = (Date.now() - started) / 1000;
  if (scan.status !== 'succeeded') throw new Error(`scan ${scan.status}: ${scan.error}`);
  const results = await services.scans.results(SYSTEM_ACTOR, scan.id);
  process.stdout.write(
    `${JSON.stringify({ seconds, rules: results.items.length, rowsStreamed: scan.progress.rowsChecked, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
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
  if (values.child) return scanChild(values.child, values.resource!);
  const rows = Number(values.rows);
  const csv = path.join(HERE, 'out', `population-${rows}.csv`);
  if (!existsSync(csv)) await writePopulationFile('csv', rows, csv, 1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-quality-'));
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
    // The floor: the scan's own aggregate query, with its parameters written in, run by the sqlite3 shell.
    const resource = (await services.catalogReader.resource(resourceId, 'all'))!;
    const rules = (await services.qualityRules.rulesOf([resource])).get(resourceId)!;
    const table = (await storage.db.selectFrom('record_tables').select('table_name').where('resource_id', '=', resourceId).executeTakeFirstOrThrow())
      .table_name;
    const columns = new Map(resource.items!.map((i) => [i.code, i.dataType]));
    const exprs = rules.map((r) => sqlOf(r, columns)).filter((e) => e !== null);
    const compiled = aggregateQuery(table, exprs).compile(storage.db);
    let n = 0;
    const floorSql = compiled.sql.replace(/\?/g, () => literal(compiled.parameters[n++]));
    await services.jobs.stop();
    await storage.close();

    const ours: { seconds: number; rules: number; rowsStreamed: number; peakRssMb: number }[] = [];
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
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`scan child exited ${code}`))));
      });
      ours.push(JSON.parse(out.trim().split('\n').pop()!));
    }
    const s = median(ours.map((o) => o.seconds));
    const f = median(floor);
    process.stdout.write(
      `| rows | rules | pushed-down rules | scan s | rows/s | peak RSS MB | floor (sqlite3 aggregate) s | ratio |\n|---|---|---|---|---|---|---|---|\n` +
        `| ${rows.toLocaleString('en')} | ${ours[0]!.rules} | ${exprs.length} | ${s.toFixed(2)} | ${Math.round(rows / s).toLocaleString('en')} | ${Math.max(...ours.map((o) => o.peakRssMb))} | ${f.toFixed(2)} | ${(s / f).toFixed(2)}x |\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
