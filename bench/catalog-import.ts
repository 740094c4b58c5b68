/**
 * Catalogue Excel import benchmark.
 *
 *   npx tsx bench/catalog-import.ts [--resources 5000 --items 20] [--pg postgres://…] [--no-pg]
 *
 * Writes a synthetic catalogue (resources × items rows, the import template) to bench/out/, then
 * measures, each in its own child process so peak RSS belongs to one measurement:
 *   anchor  exceljs's streaming reader over the same file, touching every row: the parse floor;
 *   sqlite  our full import (read + validate + store, one transaction) into a file database;
 *   postgres the same into a fresh schema of the test server, dropped afterwards.
 * All figures come from the same run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildServices } from '../src/deps.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { READER_OPTIONS, workbookReader } from '../src/modules/catalog/excel/sheet-reader.js';
import { CATALOGUE_SHEET, COLUMNS } from '../src/modules/catalog/excel/template.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import type { Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPostgres } from '../src/storage/postgres.js';
import { openSqlite } from '../src/storage/sqlite.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEPARTMENTS = 40;
const REGION = '330600';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const department = (d: number) => ({
  name: `绍兴市基准测试部门${String(d).padStart(2, '0')}`,
  uscc: buildUscc(`11${REGION}`, `B${String(d).padStart(7, '0')}`),
  system: `基准测试业务系统${String(d).padStart(2, '0')}`,
});

/** One row per item, resource columns repeated; deterministic, varied, and valid under every catalogue rule. */
async function generate(file: string, resources: number, items: number) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet(CATALOGUE_SHEET);
  ws.addRow(COLUMNS.map((c) => c.header)).commit();
  const shapes = [
    { share: '有条件共享', cond: '仅限政务用途', open: '受限开放', openCond: '经审批后开放', sens: 'L2' },
    { share: '无条件共享', cond: null, open: '无条件开放', openCond: null, sens: 'L1' },
    { share: '有条件共享', cond: '用于行政审批', open: '受限开放', openCond: '签订协议', sens: 'L3' },
    { share: '不予共享', cond: null, open: '禁止开放', openCond: null, sens: 'L4' },
  ];
  const types = ['字符型', 'C', '数值型', '整型', '日期型', '日期时间型', '字符型(C)', 'N'];
  for (let r = 0; r < resources; r++) {
    const d = department(r % DEPARTMENTS);
    const shape = shapes[r % shapes.length]!;
    const code = `3${String(r % 100).padStart(2, '0')}${String(Math.floor(r / 100) % 1000).padStart(3, '0')}/${String(r).padStart(6, '0')}`;
    const resource: Record<string, unknown> = {
      code,
      name: `基准测试信息资源${r}`,
      nameEn: `Benchmark resource ${r}`,
      category: '部门信息资源',
      providerName: d.name,
      providerUscc: d.uscc,
      regionCode: REGION,
      systemName: r % 2 ? d.system : null,
      summary: `第${r}个用于基准测试的信息资源，含${items}个信息项`,
      formatCategory: '数据库',
      formatType: 'MySQL',
      shareType: shape.share,
      shareCondition: shape.cond,
      notSharedBasis: shape.share === '不予共享' ? '《中华人民共和国个人信息保护法》第十三条' : null,
      shareModes: '接口、库表',
      openType: shape.open,
      openCondition: shape.openCond,
      openDomain: shape.open === '禁止开放' ? null : '市场监管',
      updateFrequency: '每日',
      publishedOn: new Date(Date.UTC(2023, r % 12, 1 + (r % 28))),
      relatedCodes: null,
      sensitivity: shape.sens,
      importance: '一般数据',
      classified: '否',
      tags: '基准、测试',
    };
    for (let i = 0; i < items; i++) {
      const item: Record<string, unknown> = {
        itemCode: `f${String(i + 1).padStart(2, '0')}`,
        itemName: `信息项${i + 1}`,
        itemNameEn: `Field ${i + 1}`,
        dataType: types[(r + i) % types.length],
        length: 10 + ((r + i) % 200),
        precision: null,
        primaryKey: i === 0 ? '是' : '否',
        nullable: i === 0 ? '否' : '是',
        codeSet: i % 5 === 1 ? 'GB/T 2261.1' : null,
        dataElement: null,
        itemShareType: null,
        itemShareCondition: null,
        itemOpenType: null,
        itemOpenCondition: null,
        itemSensitivity: null,
        maskingRule: null,
        sourceField: `COL_${i + 1}`,
        description: i % 4 === 0 ? `说明${i}` : null,
      };
      ws.addRow(COLUMNS.map((c) => (c.level === 'resource' ? resource[c.key] : item[c.key]) ?? null)).commit();
    }
  }
  await (ws.commit() as unknown as Promise<void>);
  await wb.commit();
}

type Result = { seconds: number; rows: number; peakRssMb: number; phases?: Record<string, number>; created?: number };
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The parse floor: exceljs streaming read of the same bytes, every row's values materialised. */
async function anchor(file: string): Promise<Result> {
  const started = performance.now();
  const buf = await readFile(file);
  let rows = 0;
  let cells = 0;
  for await (const ws of workbookReader(buf)) {
    for await (const row of ws) {
      cells += (row.values as unknown[]).length;
      rows += 1;
    }
  }
  if (cells === 0) throw new Error('anchor read nothing');
  return { seconds: (performance.now() - started) / 1000, rows: rows - 1, peakRssMb: peakRssMb() };
}

async function seed(storage: Storage) {
  await migrateToLatest(storage);
  const s = buildServices(storage);
  await s.regions.create(SYSTEM_ACTOR, { code: REGION });
  for (let d = 0; d < DEPARTMENTS; d++) {
    const dep = department(d);
    const created = await s.departments.create(SYSTEM_ACTOR, { name: dep.name, uscc: dep.uscc, regionCode: REGION, kind: 'GOVERNMENT' });
    await s.systems.create(SYSTEM_ACTOR, { name: dep.system, departmentId: created.id, level: 'CITY', status: 'IN_USE', connected: true });
  }
  return s;
}

async function ours(file: string, storage: Storage): Promise<Result> {
  const s = await seed(storage);
  const marks: Record<string, number> = {};
  const started = performance.now();
  const summary = await s.catalogExcel.importFile(SYSTEM_ACTOR, file, {
    onProgress: (p) => (marks[p.phase] = performance.now()),
  });
  const seconds = (performance.now() - started) / 1000;
  const phases = {
    read: ((marks.read ?? started) - started) / 1000,
    validate: ((marks.validate ?? started) - (marks.read ?? started)) / 1000,
    store: ((marks.store ?? started) - (marks.validate ?? started)) / 1000,
  };
  return { seconds, rows: summary.items, peakRssMb: peakRssMb(), phases, created: summary.created };
}

async function child(kind: string, file: string, pgUrl: string): Promise<Result> {
  if (kind === 'anchor') return anchor(file);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-'));
    const storage = openSqlite(path.join(dir, 'bench.sqlite'));
    try {
      return await ours(file, storage);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const storage = openPostgres(pgUrl, { schema, max: 4 });
  try {
    return await ours(file, storage);
  } finally {
    await storage.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

function runChild(kind: string, file: string, pgUrl: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', kind, '--file', file, '--pg', pgUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Result);
      else reject(new Error(`${kind} exited with ${code}: ${out}`));
    });
  });
}

async function pgReachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function main() {
  const pgUrl = arg('pg', process.env.KUAIJI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const kind = arg('child', '');
  if (kind) {
    process.stdout.write(`${JSON.stringify(await child(kind, arg('file', ''), pgUrl))}\n`);
    return;
  }
  const resources = Number(arg('resources', '5000'));
  const items = Number(arg('items', '20'));
  const outDir = path.join(here, 'out');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `catalog-${resources}x${items}.xlsx`);
  if (!existsSync(file) || process.argv.includes('--regenerate')) {
    const t0 = performance.now();
    await generate(file, resources, items);
    console.log(`generated ${path.relative(process.cwd(), file)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const rows = resources * items;
  console.log(
    `catalogue import: ${resources} resources × ${items} items = ${rows} rows, ${(statSync(file).size / 1048576).toFixed(1)} MB, node ${process.version}, ${os.cpus().length} CPU`,
  );
  console.log(`reader options (anchor and ours): ${JSON.stringify(READER_OPTIONS)}\n`);

  const anchorResult = await runChild('anchor', file, pgUrl);
  const results: [string, Result | string][] = [['anchor: exceljs streaming read', anchorResult]];
  results.push(['ours: SQLite file (read+validate+store)', await runChild('sqlite', file, pgUrl)]);
  const pgDown = process.argv.includes('--no-pg') ? 'skipped (--no-pg)' : await pgReachable(pgUrl);
  results.push([
    'ours: PostgreSQL (read+validate+store)',
    pgDown ? `skipped: PostgreSQL at ${pgUrl} unreachable (${pgDown})` : await runChild('postgres', file, pgUrl),
  ]);

  const anchorRate = anchorResult.rows / anchorResult.seconds;
  console.log('| measurement | seconds | rows/s | ours/anchor (rows/s) | read / validate / store s | peak RSS MB |');
  console.log('|---|---:|---:|---:|---|---:|');
  for (const [name, r] of results) {
    if (typeof r === 'string') {
      console.log(`| ${name} | ${r} | | | | |`);
      continue;
    }
    if (r.rows !== rows) throw new Error(`${name} saw ${r.rows} rows, expected ${rows}`);
    const rate = r.rows / r.seconds;
    const phases = r.phases ? `${r.phases.read!.toFixed(2)} / ${r.phases.validate!.toFixed(2)} / ${r.phases.store!.toFixed(2)}` : '';
    const ratio = r === anchorResult ? '1.00' : (rate / anchorRate).toFixed(2);
    console.log(`| ${name} | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en')} | ${ratio} | ${phases} | ${r.peakRssMb} |`);
  }
}

await main();
