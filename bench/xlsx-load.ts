/**
 * XLSX at any size: 1,000,000 synthetic population rows loaded from XLSX (inline strings, and
 * shared strings written after the sheet as exceljs's streaming writer lays them out) beside the
 * same rows as UTF-8 CSV, in the same run; and the sheet reader alone against exceljs's streaming
 * reader over the same file.
 *
 *   npx tsx bench/xlsx-load.ts [--rows 1000000] [--cases csv,inline,shared] [--built] [--read-only] [--no-exceljs] [--regenerate] [--sample-memory] [--repeat n]
 *
 * Every measurement runs in its own child process, so its peak RSS (getrusage ru_maxrss, worker
 * threads included) is its own:
 *   load     bench/collection.ts's child: a fresh SQLite database with the population resource,
 *            then services.collection.upload(…, wait: true) — upload copy, job in a worker thread
 *            (read, type-check every cell, hash, stage, merge). Reported end to end and the job alone.
 *   read     the sheet only: ours (src/shared/xlsx/sheet-reader.ts, cells as the loader gets them)
 *            and the anchor, exceljs's WorkbookReader (shared strings cached, styles for dates), as
 *            collection used it before; rows/s and peak RSS.
 * --built compiles src/ and bench/ with tsc into bench/out/dist and runs the children on plain
 * node, as shipped: tsx in a process (and its job's worker thread) adds about 100 MB of RSS.
 * Files come from bench/generators/population.ts (seed 1) into bench/out/ and are reused.
 * --sample-memory preloads bench/memory-sampler.cjs into each load child (and so into its job's
 * worker thread) and prints what the peak RSS was made of: the process's RssAnon/RssFile, the
 * main isolate's heap, the job worker's heap spaces and external memory at that moment.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { generatePopulationRows, writePopulationFile } from './generators/population.js';
import { writeXlsx } from './generators/population-writers.js';
import { openWorkbook } from '../src/shared/xlsx/sheet-reader.js';
import { openZipFile } from '../src/shared/xlsx/zip-directory.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = 1;
type Load = { seconds: number; jobSeconds: number; rows: number; rejected: number; peakRssMb: number };
type Read = { seconds: number; rows: number; cells: number; peakRssMb: number };

// ---------------------------------------------------------------- children: reading only

/**
 * This process's peak RSS. VmHWM belongs to the process image, so it starts afresh at exec;
 * getrusage's ru_maxrss does not on Linux: a child starts with the RSS of the parent it was forked
 * from (which here may have just written a workbook with exceljs).
 */
function peakRssMb(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round((hwm ? Number(hwm) : process.resourceUsage().maxRSS) / 1024);
}

async function readOurs(file: string): Promise<Read> {
  const started = performance.now();
  const zip = await openZipFile(file);
  const wb = await openWorkbook(zip);
  let rows = 0;
  let cells = 0;
  try {
    for await (const batch of wb.rows(wb.sheets[0]!)) {
      rows += batch.length;
      for (const r of batch) cells += r.cells.length;
    }
  } finally {
    wb.close();
    await zip.close();
  }
  return { seconds: (performance.now() - started) / 1000, rows, cells, peakRssMb: peakRssMb() };
}

async function readExceljs(file: string): Promise<Read> {
  const started = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let rows = 0;
  let cells = 0;
  for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
    for await (const row of sheet) {
      rows++;
      cells += (row.values as unknown[]).length - 1;
    }
    break;
  }
  return { seconds: (performance.now() - started) / 1000, rows, cells, peakRssMb: peakRssMb() };
}

function child<T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<T> {
  return new Promise((resolve, reject) => {
    // `args` carry this process's execArgv (tsx) only where they need it (entry()): a built child
    // started with tsx's loader ran its hooks' thread and isolate, ~50 MB of RSS that is not the load's.
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

const DIST = path.join(here, 'out', 'dist', 'bench');
let built = false;
const entry = (name: string) => (built ? [path.join(DIST, `${name}.js`)] : [...process.execArgv, path.join(here, `${name}.ts`)]);
const SAMPLER = path.join(here, 'memory-sampler.cjs');
/** Where a load child's memory samples and CPU seconds go (bench/memory-sampler.cjs), one file per case. */
const memlog = (kind: string) => path.join(here, 'out', `memlog-${kind}-${process.pid}.jsonl`);
let breakdown = false;
const load = async (file: string, kind: string): Promise<Load & { cpuSeconds: number }> => {
  const log = memlog(kind);
  rmSync(log, { force: true });
  const r = await child<Load>(['-r', SAMPLER, ...entry('collection'), '--child', 'sqlite', '--file', file], { ...process.env, KUAIJI_MEMLOG: log });
  const exit = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"exit"'))
    .map((l) => JSON.parse(l) as Sample)[0];
  return { ...r, cpuSeconds: exit ? exit.userCpu! + exit.systemCpu! : Number.NaN };
};

type Sample = Record<string, number>;

/**
 * What the load child's peak RSS was made of: the main thread's sample with the highest VmRSS, the
 * job worker's sample nearest to it in time, and each worker figure's own maximum over the load.
 */
function memoryBreakdown(log: string): string {
  const samples = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l && !l.includes('"exit"'))
    .map((l) => JSON.parse(l) as Sample);
  const main = samples.filter((s) => s.thread === 0);
  const worker = samples.filter((s) => s.thread !== 0);
  if (main.length === 0) return 'no samples';
  const peak = main.reduce((a, b) => (b.VmRSS! > a.VmRSS! ? b : a));
  const near = worker.length ? worker.reduce((a, b) => (Math.abs(b.t! - peak.t!) < Math.abs(a.t! - peak.t!) ? b : a)) : null;
  const max = (k: string) => Math.max(...worker.map((s) => s[k] ?? 0));
  const pick = (s: Sample | null, keys: string[]) => (s ? keys.map((k) => `${k} ${s[k]}`).join(', ') : 'none');
  return [
    `peak: ${pick(peak, ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile', 'RssShmem'])}; main isolate: ${pick(peak, ['heapTotal', 'heapUsed', 'external', 'arrayBuffers'])}`,
    `worker then: ${pick(near, ['heapTotal', 'heapUsed', 'newSpace', 'oldSpace', 'largeObjects', 'codeSpace', 'external', 'arrayBuffers', 'mallocedMemory', 'heapLimit'])}`,
    `worker max: ${['heapTotal', 'heapUsed', 'newSpace', 'oldSpace', 'largeObjects', 'external', 'arrayBuffers', 'mallocedMemory'].map((k) => `${k} ${max(k)}`).join(', ')}`,
    `samples: ${main.length} main, ${worker.length} worker (${log})`,
  ].join('\n');
}
const read = (mode: 'ours' | 'exceljs', file: string) => child<Read>([...entry('xlsx-load'), '--read', mode, '--file', file]);

/**
 * The same compilation as bench/collection.ts --built, from this file and the children it runs only
 * (tsc follows their imports): a scratch script elsewhere in bench/ cannot fail it. A config file
 * of its own, so that a collection.ts build at the same time does not rewrite it under tsc.
 */
async function build(): Promise<void> {
  const config = path.join(here, 'out', 'tsconfig.xlsx-built.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: false, outDir: './dist', rootDir: '../..', sourceMap: false },
      include: ['../../src', '../../bench/collection.ts', '../../bench/xlsx-load.ts', '../../bench/generators/*.ts'],
      exclude: ['../../**/*.test.ts'],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
  });
}

// ---------------------------------------------------------------- main

type Kind = 'csv' | 'inline' | 'shared';

async function generate(kind: Kind, rows: number, file: string): Promise<void> {
  if (kind === 'shared') await writeXlsx(generatePopulationRows(SEED, rows), file, { sharedStrings: true });
  else await writePopulationFile(kind === 'csv' ? 'csv' : 'xlsx', rows, file, SEED);
  process.stdout.write('{}\n');
}

async function ensure(kind: Kind, rows: number, regenerate: boolean): Promise<string> {
  const file = path.join(here, 'out', `population-${rows}.${{ csv: 'csv', inline: 'xlsx', shared: 'sst.xlsx' }[kind]}`);
  if (existsSync(file) && !regenerate) return file;
  const started = performance.now();
  // In a child of its own: exceljs's writer grows this process, and the measured children would start from its RSS.
  await child([...process.execArgv, fileURLToPath(import.meta.url), '--generate', kind, '--rows', String(rows), '--file', file]);
  console.log(
    `generated ${path.relative(process.cwd(), file)} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      cases: { type: 'string', default: 'csv,inline,shared' },
      'read-only': { type: 'boolean', default: false },
      built: { type: 'boolean', default: false },
      'no-exceljs': { type: 'boolean', default: false },
      'sample-memory': { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      regenerate: { type: 'boolean', default: false },
      read: { type: 'string' },
      generate: { type: 'string' },
      file: { type: 'string' },
    },
  });
  if (values.generate) return generate(values.generate as Kind, Number(values.rows), values.file!);
  if (values.read) {
    const result = values.read === 'ours' ? await readOurs(values.file!) : await readExceljs(values.file!);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rows = Number(values.rows);
  const cases = new Set(values.cases!.split(','));
  mkdirSync(path.join(here, 'out'), { recursive: true });
  const files = {
    csv: await ensure('csv', rows, values.regenerate!),
    inline: cases.has('inline') ? await ensure('inline', rows, values.regenerate!) : '',
    shared: cases.has('shared') ? await ensure('shared', rows, values.regenerate!) : '',
  };
  breakdown = values['sample-memory']!;
  const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`;
  if (values.built) {
    await build();
    built = true;
  }
  console.log(
    `xlsx benchmark: ${rows.toLocaleString('en')} rows; node ${process.version}; ${built ? 'built JavaScript (node)' : 'TypeScript sources (tsx)'}\n`,
  );

  const table: string[] = [];
  const label = (k: Kind) => (k === 'csv' ? 'UTF-8 CSV' : `XLSX, ${k} strings`);
  if (!values['read-only']) {
    // --repeat n: the cases one after the other, n rounds; each ratio is against the CSV load of its own round.
    for (let round = 1; round <= Number(values.repeat); round++) {
      let csv: { rate: number; cpuRate: number } | null = null;
      for (const kind of ['csv', 'inline', 'shared'] as const) {
        if (!cases.has(kind)) continue;
        const r = await load(files[kind], kind);
        if (r.rows !== rows || r.rejected !== 0) throw new Error(`${kind}: ${r.rows} rows inserted, ${r.rejected} rejected; expected ${rows} and 0`);
        const rate = rows / r.seconds;
        const cpuRate = rows / r.cpuSeconds;
        if (kind === 'csv') csv = { rate, cpuRate };
        const ratios = kind === 'csv' || !csv ? ' | ' : `${(rate / csv.rate).toFixed(2)} | ${(cpuRate / csv.cpuRate).toFixed(2)}`;
        const line = `| load · ${label(kind)} (${mb(files[kind])}) | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en')} | ${r.jobSeconds.toFixed(2)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMb} | ${ratios} | ${os.loadavg()[0]!.toFixed(1)} |`;
        console.log(line);
        if (breakdown) console.log(memoryBreakdown(memlog(kind)));
        table.push(line);
      }
    }
  }
  for (const kind of ['inline', 'shared'] as const) {
    if (!files[kind]) continue;
    const ours = await read('ours', files[kind]);
    if (ours.rows !== rows + 1) throw new Error(`ours read ${ours.rows} rows of ${files[kind]}, expected ${rows + 1}`);
    const anchor = values['no-exceljs'] ? null : await read('exceljs', files[kind]);
    const ratio = anchor ? (anchor.seconds / ours.seconds).toFixed(2) : '';
    const line =
      `| read · XLSX, ${kind} strings: ours | ${ours.seconds.toFixed(2)} | ${Math.round(ours.rows / ours.seconds).toLocaleString('en')} | | | ${ours.peakRssMb} | ${ratio}× exceljs | | ${os.loadavg()[0]!.toFixed(1)} |\n` +
      (anchor
        ? `| read · XLSX, ${kind} strings: exceljs WorkbookReader (anchor) | ${anchor.seconds.toFixed(2)} | ${Math.round(anchor.rows / anchor.seconds).toLocaleString('en')} | | | ${anchor.peakRssMb} | | | |`
        : '');
    console.log(line);
    table.push(line);
  }
  console.log(
    '\n| case | seconds | rows/s | job seconds | CPU s | peak RSS MB | ratio | CPU ratio | load avg |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const line of table) console.log(line.trimEnd());
  console.log(
    "\nload: upload call → job done (SQLite); ratio of a load: its rows/s ÷ the CSV load's (same round); CPU ratio: rows per CPU second of the load child (all threads) ÷ the CSV load's; ratio of a read: exceljs seconds ÷ ours.",
  );
}

await main();
