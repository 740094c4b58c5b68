/**
 * Collection benchmark: the synthetic population resource loaded as UTF-8 CSV, GBK CSV and XLSX,
 * against the C-speed floor of the same run.
 *
 *   npx tsx bench/collection.ts [--rows 1000000] [--xlsx-rows 100000] [--repeat 1] [--built]
 *                               [--pg | --no-pg] [--pg-url URL] [--only sqlite|pg] [--cases utf8,gbk,xlsx] [--regenerate]
 *
 * PostgreSQL cases run when the server is reachable (--pg: required; --no-pg: skipped). --repeat
 * reports medians (peak RSS: the largest). --built compiles src/ and this file into
 * bench/out/dist and runs the loads on plain node, as shipped (no tsx in the job's worker).
 *
 * Files come from bench/generators/population.ts (seed 1) into bench/out/ and are reused. Every
 * measurement runs in its own child process so its peak RSS (getrusage ru_maxrss) is its own:
 *   ours     a fresh database (SQLite file, or a fresh schema of the PostgreSQL server), migrated,
 *            with the population resource; then services.collection.upload(…, wait: true): the
 *            upload is copied (streaming, SHA-256) into the data dir, a job runs in a worker
 *            thread (parse, decode, type-check every cell, stage, merge in one transaction).
 *            Reported end-to-end (upload call → job done) and the job alone (started → finished).
 *            Peak RSS: process.resourceUsage().maxRSS of the child, worker thread included.
 *   anchors  the sqlite3 shell's `.import --csv --skip 1` into a fresh file with a TEXT table
 *            keyed on citizen_id; `psql -c "\copy … csv header"` into a fresh schema with a table
 *            of our column types and the same primary key (GBK: `encoding 'GBK'`). Timed from
 *            Node around the child; peak RSS from /usr/bin/time (client side: the server's is not counted).
 * XLSX rows are compared with the anchors over a UTF-8 CSV of the same rows.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildServices } from '../src/deps.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import type { Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPostgres } from '../src/storage/postgres.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { postgresAnchorDdl, seedPopulationResource, sqliteAnchorDdl } from './collection-setup.js';
import { writePopulationFile, type PopulationFormat } from './generators/population.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = 1;
const DEFAULT_PG = process.env.KUAIJI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Db = 'sqlite' | 'postgres';
type Measured = { seconds: number; rows: number; peakRssMb: number | null };
type Ours = Measured & { jobSeconds: number; copySeconds: number; startSeconds: number; rejected: number; encoding: string | null };

// ---------------------------------------------------------------- child: our pipeline

async function withDatabase<T>(db: Db, pgUrl: string, dir: string, run: (storage: Storage) => Promise<T>): Promise<T> {
  if (db === 'sqlite') {
    const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
    try {
      return await run(storage);
    } finally {
      await storage.close();
    }
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const storage = openPostgres(pgUrl, { schema, max: 4 });
  try {
    return await run(storage);
  } finally {
    await storage.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

async function ours(db: Db, file: string, pgUrl: string): Promise<Ours> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-collection-'));
  try {
    return await withDatabase(db, pgUrl, dir, async (storage) => {
      await migrateToLatest(storage);
      const services = buildServices(storage, undefined, { dataDir: path.join(dir, 'data'), collectionConcurrency: 1 });
      const resourceId = await seedPopulationResource(services);
      const fileName = path.basename(file);
      const startedAt = Date.now();
      const { job } = await services.collection.upload(SYSTEM_ACTOR, {
        resourceId,
        body: createReadStream(file),
        contentType: undefined,
        fileName,
        mode: 'upsert',
        wait: true,
      });
      const seconds = (Date.now() - startedAt) / 1000;
      if (job.status !== 'succeeded') throw new Error(`job ${job.status}: ${job.error}`);
      const at = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);
      return {
        seconds,
        rows: job.rows.inserted,
        rejected: job.rows.rejected,
        jobSeconds: (at(job.finishedAt) - at(job.startedAt)) / 1000,
        copySeconds: (at(job.createdAt) - startedAt) / 1000,
        startSeconds: (at(job.startedAt) - at(job.createdAt)) / 1000,
        encoding: job.encoding,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `--built`: the project as it ships (`npm run build`), compiled into bench/out/dist with this
 * file, and run by plain node: no tsx in the process or in the job's worker thread.
 */
const BUILT = path.join(here, 'out', 'dist', 'bench', 'collection.js');

async function build(): Promise<void> {
  const config = path.join(here, 'out', 'tsconfig.built.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: false, outDir: './dist', rootDir: '../..', sourceMap: false },
      include: ['../../src', '../../bench/*.ts', '../../bench/generators/*.ts'],
      exclude: ['../../**/*.test.ts'],
    }),
  );
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
  });
  console.log(`compiled to ${path.relative(process.cwd(), path.dirname(path.dirname(BUILT)))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function runChild(db: Db, file: string, pgUrl: string, built: boolean): Promise<Ours> {
  const entry = built ? [BUILT] : [...process.execArgv, fileURLToPath(import.meta.url)];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...entry, '--child', db, '--file', file, '--pg-url', pgUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Ours);
      else reject(new Error(`${db} load of ${file} exited with ${code}: ${out}`));
    });
  });
}

// ---------------------------------------------------------------- anchors

const hasTime = existsSync('/usr/bin/time');

/** Runs a command, timed from here; peak RSS from /usr/bin/time when it is installed. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; stdout: string; peakRssMb: number | null }> {
  const marker = 'KUAIJI_MAXRSS_KB=';
  const [bin, argv] = hasTime ? ['/usr/bin/time', ['-f', `${marker}%M`, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn(bin as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = new RegExp(`${marker}(\\d+)`).exec(stderr);
      const errors = stderr.replace(new RegExp(`${marker}\\d+\\s*`), '').trim();
      if (code !== 0 || errors) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${errors}`));
      else resolve({ seconds, stdout, peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null });
    });
  });
}

async function sqlite3Anchor(file: string): Promise<Measured> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-sqlite3-'));
  const db = path.join(dir, 'anchor.db');
  try {
    await timed('sqlite3', ['-bail', db, sqliteAnchorDdl('t')]);
    const run = await timed('sqlite3', ['-bail', db, `.import --csv --skip 1 '${file.replace(/'/g, "''")}' t`]);
    const rows = Number((await timed('sqlite3', [db, 'SELECT count(*) FROM t'])).stdout.trim());
    return { seconds: run.seconds, rows, peakRssMb: run.peakRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function psqlAnchor(file: string, pgUrl: string, encoding: 'UTF8' | 'GBK'): Promise<Measured> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(postgresAnchorDdl(`${schema}.t`));
    const copy = `\\copy ${schema}.t FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true, ENCODING '${encoding}')`;
    const run = await timed('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pgUrl, '-c', copy], { ...process.env, PGCLIENTENCODING: 'UTF8' });
    const rows = Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.t`)).rows[0]!.n);
    return { seconds: run.seconds, rows, peakRssMb: run.peakRssMb };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

// ---------------------------------------------------------------- main

async function ensureFile(format: PopulationFormat, rows: number, regenerate: boolean): Promise<string> {
  const ext = { csv: 'csv', gbk: 'gbk.csv', xlsx: 'xlsx' }[format];
  const file = path.join(here, 'out', `population-${rows}.${ext}`);
  if (existsSync(file) && !regenerate) return file;
  const started = performance.now();
  await writePopulationFile(format, rows, file, SEED);
  console.log(
    `generated ${path.relative(process.cwd(), file)} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return file;
}

async function pgReachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

type Case = { name: string; db: Db; file: string; rows: number; anchorName: string; anchor: () => Promise<Measured> };
type Row = { name: string; runs: number; ours: Ours; anchorName: string; anchor: Measured };

const rate = (m: Measured) => m.rows / m.seconds;
const fmtRate = (n: number) => Math.round(n).toLocaleString('en');
const mb = (n: number | null) => (n === null ? '—' : String(n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const maxOf = (xs: (number | null)[]) => (xs.every((x) => x === null) ? null : Math.max(...xs.map((x) => x ?? 0)));

/** Medians of the times (each figure on its own), the largest peak RSS. */
function summarise<T extends Measured>(runs: T[], timeKeys: (keyof T)[]): T {
  const out = { ...runs[0]! };
  for (const k of ['seconds', ...timeKeys] as (keyof T)[]) (out[k] as number) = median(runs.map((r) => r[k] as number));
  out.peakRssMb = maxOf(runs.map((r) => r.peakRssMb));
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'xlsx-rows': { type: 'string', default: '100000' },
      pg: { type: 'boolean' },
      'no-pg': { type: 'boolean' },
      'pg-url': { type: 'string', default: DEFAULT_PG },
      only: { type: 'string' },
      cases: { type: 'string', default: 'utf8,gbk,xlsx' },
      regenerate: { type: 'boolean', default: false },
      built: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      child: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const pgUrl = values['pg-url']!;
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await ours(values.child as Db, values.file!, pgUrl))}\n`);
    return;
  }
  const rows = Number(values.rows);
  const xlsxRows = Number(values['xlsx-rows']);
  const repeat = Number(values.repeat);
  if (![rows, xlsxRows, repeat].every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--rows, --xlsx-rows and --repeat must be whole numbers ≥ 1');
  const kinds = new Set(values.cases!.split(','));
  mkdirSync(path.join(here, 'out'), { recursive: true });

  const utf8 = await ensureFile('csv', rows, values.regenerate!);
  const gbk = kinds.has('gbk') ? await ensureFile('gbk', rows, values.regenerate!) : '';
  const xlsx = kinds.has('xlsx') ? await ensureFile('xlsx', xlsxRows, values.regenerate!) : '';
  // The same rows as the XLSX (same seed, same count) as UTF-8 CSV, for the anchors.
  const xlsxCsv = !kinds.has('xlsx') ? '' : xlsxRows === rows ? utf8 : await ensureFile('csv', xlsxRows, values.regenerate!);
  if (values.built) await build();

  const pgDown = values['no-pg'] ? 'skipped (--no-pg)' : await pgReachable(pgUrl);
  if (pgDown && values.pg) throw new Error(`--pg: PostgreSQL at ${pgUrl} is unreachable (${pgDown})`);
  const wantSqlite = !values.only || values.only === 'sqlite';
  const wantPg = !pgDown && (!values.only || values.only === 'pg' || values.only === 'postgres');

  const size = (f: string) => (f ? `${(statSync(f).size / 1e6).toFixed(1)} MB` : '—');
  const sqlite3Version = (await timed('sqlite3', ['-version'])).stdout.split(' ')[0];
  const psqlVersion = wantPg ? (await timed('psql', ['--version'])).stdout.trim() : null;
  console.log(
    `collection benchmark: ${rows.toLocaleString('en')} rows CSV (UTF-8 ${size(utf8)}, GBK ${size(gbk)}), ${xlsxRows.toLocaleString('en')} rows XLSX (${size(xlsx)}); ` +
      `${values.built ? 'built JavaScript (node)' : 'TypeScript sources (tsx)'}; node ${process.version}, ${os.cpus().length} CPU, ` +
      `sqlite3 ${sqlite3Version}${psqlVersion ? `, ${psqlVersion}` : ''}${pgDown ? `; PostgreSQL skipped: ${pgDown}` : ''}; median of ${repeat} run(s)\n`,
  );

  const cases: Case[] = [];
  if (wantSqlite) {
    cases.push({ name: 'SQLite · UTF-8 CSV', db: 'sqlite', file: utf8, rows, anchorName: 'sqlite3 .import', anchor: () => sqlite3Anchor(utf8) });
    if (gbk)
      cases.push({
        name: 'SQLite · GBK CSV',
        db: 'sqlite',
        file: gbk,
        rows,
        anchorName: 'sqlite3 .import of the UTF-8 file (no GBK)',
        anchor: () => sqlite3Anchor(utf8),
      });
    if (xlsx)
      cases.push({
        name: 'SQLite · XLSX',
        db: 'sqlite',
        file: xlsx,
        rows: xlsxRows,
        anchorName: 'sqlite3 .import, same rows as UTF-8 CSV',
        anchor: () => sqlite3Anchor(xlsxCsv),
      });
  }
  if (wantPg) {
    cases.push({ name: 'PostgreSQL · UTF-8 CSV', db: 'postgres', file: utf8, rows, anchorName: 'psql \\copy', anchor: () => psqlAnchor(utf8, pgUrl, 'UTF8') });
    if (gbk)
      cases.push({
        name: 'PostgreSQL · GBK CSV',
        db: 'postgres',
        file: gbk,
        rows,
        anchorName: "psql \\copy, encoding 'GBK'",
        anchor: () => psqlAnchor(gbk, pgUrl, 'GBK'),
      });
    if (xlsx)
      cases.push({
        name: 'PostgreSQL · XLSX',
        db: 'postgres',
        file: xlsx,
        rows: xlsxRows,
        anchorName: 'psql \\copy, same rows as UTF-8 CSV',
        anchor: () => psqlAnchor(xlsxCsv, pgUrl, 'UTF8'),
      });
  }
  const wanted = cases.filter((c) => kinds.has(c.file === utf8 ? 'utf8' : c.file === gbk ? 'gbk' : 'xlsx'));

  const results: Row[] = [];
  for (const c of wanted) {
    const anchors: Measured[] = [];
    const loads: Ours[] = [];
    for (let run = 1; run <= repeat; run++) {
      // Anchor, then ours, back to back: both see the same state of a noisy machine.
      const anchor = await c.anchor();
      if (anchor.rows !== c.rows) throw new Error(`${c.anchorName} loaded ${anchor.rows} rows, expected ${c.rows}`);
      const o = await runChild(c.db, c.file, pgUrl, values.built!);
      if (o.rows !== c.rows || o.rejected !== 0) throw new Error(`${c.name}: ${o.rows} rows inserted, ${o.rejected} rejected; expected ${c.rows} and 0`);
      anchors.push(anchor);
      loads.push(o);
      console.log(
        `${c.name} #${run}: ${o.seconds.toFixed(2)} s end-to-end (upload copy ${o.copySeconds.toFixed(2)} s, worker start ${o.startSeconds.toFixed(2)} s, ` +
          `job ${o.jobSeconds.toFixed(2)} s; ${o.encoding ?? 'xlsx'}), peak RSS ${mb(o.peakRssMb)} MB; ${c.anchorName}: ${anchor.seconds.toFixed(2)} s`,
      );
    }
    results.push({
      name: c.name,
      runs: repeat,
      ours: summarise(loads, ['jobSeconds', 'copySeconds', 'startSeconds']),
      anchorName: c.anchorName,
      anchor: summarise(anchors, []),
    });
  }

  console.log(
    '\n| case | rows | seconds | rows/s | job seconds | job rows/s | peak RSS MB | anchor | anchor seconds | anchor rows/s | anchor peak RSS MB | ratio | job ratio |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const o = r.ours;
    const jobRate = o.rows / o.jobSeconds;
    console.log(
      `| ${r.name} | ${o.rows.toLocaleString('en')} | ${o.seconds.toFixed(2)} | ${fmtRate(rate(o))} | ${o.jobSeconds.toFixed(2)} | ${fmtRate(jobRate)} | ${mb(o.peakRssMb)} | ` +
        `${r.anchorName} | ${r.anchor.seconds.toFixed(2)} | ${fmtRate(rate(r.anchor))} | ${mb(r.anchor.peakRssMb)} | ${(rate(o) / rate(r.anchor)).toFixed(2)} | ${(jobRate / rate(r.anchor)).toFixed(2)} |`,
    );
  }
  const out = path.join(here, 'out', 'collection-results.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, built: values.built, repeat, rows, xlsxRows, results }, null, 2)}\n`,
  );
  console.log(
    `\nseconds: upload call → job done; job: the job's started → finished; ratio: our rows/s ÷ the anchor's. Results also in ${path.relative(process.cwd(), out)}`,
  );
}

await main();
