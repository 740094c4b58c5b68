/**
 * Where a collection load spends its time: cumulative passes over the same file, in this process
 * (no worker thread, no upload copy), each adding one stage of the pipeline.
 *
 *   npx tsx bench/collection-phases.ts [--file bench/out/population-1000000.csv] [--db sqlite|postgres] [--pg-url URL] [--passes parse,coerce,hash,load]
 *                                      [--then FILE]
 *
 *   parse   read + decode + split into rows (openRecords)
 *   coerce  + header mapping and the type check of every cell (defaultConverters), as loadRecords does it
 *   hash    + the row content hash (rowHash)
 *   load    the real thing: runJob (loadRecords) on a fresh database, with the store's append
 *           (staging) and commit (merge) timed; with --then, a second load of FILE follows into the
 *           same (now full) record table, timed the same way: a later load's upsert merge
 *           (e.g. bench/generators/population.ts --seed 2 for a million other keys)
 *
 * On PostgreSQL the load pass also reports CPU seconds, which a busy machine disturbs less than
 * wall time: this process's (process.cpuUsage, every thread) and the load connection's server
 * backend's (/proc/<pg_backend_pid()>/stat, when the server runs on this machine), each split
 * into staging (first append → commit called) and commit (COPY's tail, index or merge, swap).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { buildServices } from '../src/deps.js';
import { defaultConverters } from '../src/modules/collection/loading/converters.js';
import { rowHash } from '../src/modules/collection/loading/row-hash.js';
import { runJob } from '../src/modules/collection/jobs/run-job.js';
import { createJobsRepository, NO_COUNTS } from '../src/modules/collection/jobs/jobs.repository.js';
import { CoerceFailure } from '../src/modules/collection/parsing/coerce-value.js';
import { openRecords, formatFromFileName } from '../src/modules/collection/parsing/records.js';
import type { RecordColumn } from '../src/modules/collection/records/record-layout.js';
import { defaultSourceKinds } from '../src/modules/collection/sources/default-source-kinds.js';
import { toJson, type Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPostgres } from '../src/storage/postgres.js';
import { openRecordStore } from '../src/storage/records/open-record-store.js';
import type { RecordStore } from '../src/storage/records/record-store.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { newId } from '../src/shared/ids.js';
import { seedPopulationResource } from './collection-setup.js';
import { POPULATION_ITEMS } from './generators/population.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: 'bench/out/population-1000000.csv' },
    db: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string', default: process.env.KUAIJI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    passes: { type: 'string', default: 'parse,coerce,hash,load' },
    then: { type: 'string' },
  },
});
const file = path.resolve(values.file!);
const format = formatFromFileName(file);
if (!format) throw new Error(`unknown format: ${file}`);
const passes = new Set(values.passes!.split(','));

const columns: RecordColumn[] = POPULATION_ITEMS.map((i) => ({
  itemId: i.code,
  column: i.code,
  name: i.name,
  nameEn: i.nameEn,
  dataType: i.dataType,
  length: i.length,
  precision: i.precision,
  primaryKey: i.primaryKey,
  nullable: i.nullable,
}));

async function readPass(stage: 'parse' | 'coerce' | 'hash'): Promise<{ rows: number; checksum: number }> {
  const stream = await openRecords(file, { format: format! });
  const { indexes } = defaultConverters.mapHeader(stream.header, columns, {});
  const coercers = columns.map((c) => defaultConverters.coercerFor(c));
  const width = columns.length;
  let rows = 0;
  let checksum = 0;
  for await (const batch of stream.batches) {
    for (const row of batch.rows) {
      rows++;
      if (stage === 'parse') {
        checksum += row.cells.length;
        continue;
      }
      const values = new Array<unknown>(width);
      for (let i = 0; i < width; i++) {
        const idx = indexes[i]!;
        const v = coercers[i]!(idx === -1 ? null : (row.cells[idx] ?? null));
        if (v instanceof CoerceFailure) throw new Error(`row ${row.rowNumber}: ${v.reason}`);
        values[i] = v;
      }
      checksum += stage === 'hash' ? rowHash(values).length : values.length;
    }
  }
  return { rows, checksum };
}

/** CPU seconds of a process on this machine (utime + stime from /proc), or NaN. */
function procCpu(pid: number | null): number {
  if (pid === null) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // fields 14 and 15, in clock ticks (100 Hz)
  } catch {
    return Number.NaN;
  }
}
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

type CpuMarks = { pid: number | null; begin: [number, number]; commit: [number, number]; end: [number, number] };
type Timings = { append: number; commit: number; appends: number; cpu?: CpuMarks };

/** Wraps a store so staging (append) and the merge (commit) are timed. */
function timedStore(store: RecordStore, t: Timings): RecordStore {
  const mark = (): [number, number] => [ownCpu(), procCpu(t.cpu?.pid ?? null)];
  return {
    ...store,
    dialect: store.dialect,
    db: store.db,
    sideDb: store.sideDb,
    async beginLoad(spec) {
      if (store.dialect === 'postgres') {
        const r = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db);
        t.cpu = { pid: r.rows[0]!.pid, begin: [0, 0], commit: [0, 0], end: [0, 0] };
        t.cpu.begin = mark();
      }
      const s = await store.beginLoad(spec);
      return {
        async append(rows) {
          const t0 = performance.now();
          if (!process.env.BENCH_NOSTAGE) await s.append(rows);
          t.append += performance.now() - t0;
          t.appends++;
        },
        async commit(finalize) {
          if (process.env.BENCH_TRACE)
            console.log(`before merge: rss ${mib(process.memoryUsage().rss)} MB, max ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
          if (t.cpu) t.cpu.commit = mark();
          const t0 = performance.now();
          try {
            return await s.commit(finalize);
          } finally {
            t.commit += performance.now() - t0;
            if (t.cpu) t.cpu.end = mark();
            if (process.env.BENCH_TRACE)
              console.log(`after merge: rss ${mib(process.memoryUsage().rss)} MB, max ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
          }
        },
        abort: () => s.abort(),
      };
    },
  };
}

type LoadResult = { label: string; seconds: number; rows: number; counts: string; append: number; commit: number; cpu?: CpuMarks };

/** One runJob of `f` into the population resource's record table, staging and merge timed. */
async function loadOne(storage: Storage, dir: string, f: string, n: number): Promise<LoadResult> {
  const resourceId = await resourceOf(storage, dir);
  const jobId = newId();
  const at = new Date().toISOString();
  await createJobsRepository().insert(storage.db, {
    id: jobId,
    resource_id: resourceId,
    batch_id: `bench-${jobId}`,
    source_kind: 'file',
    source_ref: path.basename(f),
    source_id: null,
    format: formatFromFileName(f)!,
    encoding: null,
    mode: 'upsert',
    file_path: f,
    file_bytes: null,
    options: toJson({}),
    status: 'queued',
    ...NO_COUNTS,
    watermark: null,
    error: null,
    submitted_by: 'bench',
    created_at: at,
    started_at: null,
    finished_at: null,
    updated_at: at,
    owner: 'bench',
  });
  const store = await openRecordStore(storage.url!, path.join(dir, 'scratch'));
  const t: Timings = { append: 0, commit: 0, appends: 0 };
  const t0 = performance.now();
  try {
    const counts = await runJob(jobId, {
      owner: 'bench',
      store: timedStore(store, t),
      converters: defaultConverters,
      sources: defaultSourceKinds({ dataDir: dir }),
      now: () => new Date().toISOString(),
    });
    if (!counts) throw new Error(`job failed: ${(await createJobsRepository().find(storage.db, jobId))?.error}`);
    return {
      label: n === 0 ? 'load' : 'then',
      seconds: (performance.now() - t0) / 1000,
      rows: counts.rows_inserted + counts.rows_updated + counts.rows_unchanged,
      counts: `${counts.rows_inserted} inserted, ${counts.rows_updated} updated, ${counts.rows_unchanged} unchanged`,
      append: t.append / 1000,
      commit: t.commit / 1000,
      cpu: t.cpu,
    };
  } finally {
    await store.close();
  }
}

let seeded: string | undefined;
async function resourceOf(storage: Storage, dir: string): Promise<string> {
  seeded ??= await seedPopulationResource(buildServices(storage, undefined, { dataDir: dir }));
  return seeded;
}

async function loadPass(): Promise<LoadResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-phases-'));
  let storage: Storage;
  let cleanup = async () => undefined as unknown;
  if (values.db === 'postgres') {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: values['pg-url'] });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    storage = openPostgres(values['pg-url']!, { schema, max: 2 });
    cleanup = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    };
  } else {
    storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  }
  try {
    await migrateToLatest(storage);
    const runs: LoadResult[] = [];
    for (const [n, f] of [file, ...(values.then ? [path.resolve(values.then)] : [])].entries()) runs.push(await loadOne(storage, dir, f, n));
    return runs;
  } finally {
    await storage.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${path.relative(process.cwd(), file)} (${format}), ${values.db}; node ${process.version}, ${os.cpus().length} CPU`);
// Memory every 100 ms: where a load's peak RSS comes from (V8 heap or native).
const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
}, 100);
sampler.unref();
const mib = (n: number) => Math.round(n / 1048576);
console.log(`before: rss ${mib(process.memoryUsage().rss)} MB, heap ${mib(process.memoryUsage().heapTotal)} MB`);
const results: Record<string, number> = {};
for (const stage of ['parse', 'coerce', 'hash'] as const) {
  if (!passes.has(stage)) continue;
  const t0 = performance.now();
  const r = await readPass(stage);
  results[stage] = (performance.now() - t0) / 1000;
  console.log(`${stage.padEnd(7)} ${results[stage].toFixed(2)} s  ${Math.round(r.rows / results[stage]).toLocaleString('en')} rows/s  (${r.rows} rows)`);
}
if (passes.has('load')) {
  for (const r of await loadPass()) {
    const reading = r.seconds - r.commit - r.append;
    console.log(
      `${r.label.padEnd(7)} ${r.seconds.toFixed(2)} s  ${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s (${r.counts}): ` +
        `read+check+hash ${reading.toFixed(2)} s, stage (append) ${r.append.toFixed(2)} s, merge (commit) ${r.commit.toFixed(2)} s`,
    );
    if (r.cpu) {
      const { begin, commit, end } = r.cpu;
      const f = (a: number, b: number) => (b - a).toFixed(2);
      console.log(
        `cpu s   this process: staging ${f(begin[0], commit[0])}, commit ${f(commit[0], end[0])}; ` +
          `server backend ${r.cpu.pid}: staging ${f(begin[1], commit[1])}, commit ${f(commit[1], end[1])}`,
      );
    }
  }
}
console.log(
  `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; sampled peaks: rss ${mib(peak.rss)}, V8 heap total ${mib(peak.heapTotal)} (used ${mib(peak.heapUsed)}), external ${mib(peak.external)} MB`,
);
