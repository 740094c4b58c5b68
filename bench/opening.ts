/**
 * Opening benchmark, two figures from one run, each beside its anchor:
 *
 *   npx tsx bench/opening.ts [--rows 1000000] [--datasets 10000] [--queries 2000] [--repeat 3] [--xlsx] [--keep]
 *
 * 1. Download: a generated open dataset of `--rows` rows (bench/generators/open-readings.ts,
 *    loaded through collection, published through opening) downloaded in full as CSV
 *    (`GET /api/v1/open/datasets/:id/download?format=csv`, UTF-8 with BOM, masks and open items
 *    applied, streamed from the record reader) by `curl`, against the `sqlite3` shell's `-csv`
 *    dump of the same rows (`select <items> from <record table> where not deleted order by key`)
 *    from the same database file; both piped into `wc -l`, timed from spawn to exit, in
 *    `--repeat` pairs run back to back (each pair's ratio printed with the CPU seconds of both
 *    sides when /usr/bin/time exists; the median pair decides). Floor: our rows/s ≥ 0.5× the
 *    shell's (goal 0.8×). For attribution it also times, in process, the
 *    record reader's file export (what the CSV download pipes) and its record export alone.
 * 2. Search: `--datasets` generated datasets (resources created and published through the
 *    services, so each is indexed), then `--queries` sequential searches over a keep-alive
 *    connection — CKAN's `/api/3/action/package_search` when the CKAN API is mounted (the
 *    floor's figure), then the portal's `/api/v1/open/datasets` — with Chinese words, a facet
 *    filter and sorts; p50/p99 of the latencies. Floor: p99 ≤ 50 ms (goal 10 ms).
 *
 * SQLite only (the shell anchor reads a SQLite file). Exits 1 when a floor is missed. Everything
 * is made in a temporary folder, removed at the end unless --keep.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { buildServices, type Services } from '../src/deps.js';
import { createRecordReader } from '../src/modules/collection/records/record-reader.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { readingsCsv, readingsResource } from './generators/open-readings.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    datasets: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '2000' },
    repeat: { type: 'string', default: '3' },
    xlsx: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const DATASETS = Number(args.datasets);
const QUERIES = Number(args.queries);
const REPEAT = Math.max(1, Number(args.repeat));

const REGIONS = ['330600', '330602', '330603', '330604', '330624', '330681', '330683'];
const TOPICS = [
  '企业登记',
  '空气质量',
  '公交线路',
  '医疗机构',
  '学校名录',
  '行政许可',
  '行政处罚',
  '道路交通',
  '旅游景点',
  '文物保护',
  '社会组织',
  '体育场馆',
  '养老机构',
  '停车场',
  '充电桩',
  '水质监测',
  '农产品价格',
  '招投标',
  '专利授权',
  '气象观测',
];
const KINDS = ['信息', '统计数据', '名录', '监测数据', '年度报告'];

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs `sh -c cmd` and returns its stdout (wc -l's count), the seconds from spawn to exit and,
 * when /usr/bin/time exists, the CPU seconds (user + system) of the pipeline's processes; plus
 * this process's CPU over the same time (the server and its export thread, for ours).
 */
function timed(cmd: string): Promise<{ seconds: number; out: string; cpu: number | null; selfCpu: number }> {
  return new Promise((resolve, reject) => {
    const cpuFile = path.join(os.tmpdir(), `kuaiji-bench-time-${process.pid}`);
    const started = performance.now();
    const self = process.cpuUsage();
    const child = TIME
      ? spawn(TIME, ['-f', '%U %S', '-o', cpuFile, 'sh', '-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${cmd}: exit ${code}`));
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(self);
      let cpu: number | null = null;
      if (TIME) {
        const [user, sys] = fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
        cpu = user! + sys!;
        fs.rmSync(cpuFile, { force: true });
      }
      resolve({ seconds, out: out.trim(), cpu, selfCpu: (used.user + used.system) / 1e6 });
    });
  });
}

async function seed(services: Services) {
  for (const code of REGIONS) await services.regions.create(SYSTEM_ACTOR, { code });
  const departments = [];
  for (let i = 0; i < 12; i++) {
    const region = REGIONS[i % REGIONS.length]!;
    departments.push(
      await services.departments.create(SYSTEM_ACTOR, {
        name: `绍兴市基准测试局${i + 1}`,
        uscc: buildUscc(`11${region}`, `B${String(9100000 + i)}`),
        regionCode: region,
        kind: 'GOVERNMENT',
      }),
    );
  }
  return departments;
}

async function makeDatasets(services: Services, departments: { id: string }[], n: number) {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const kind = KINDS[Math.floor(i / TOPICS.length) % KINDS.length]!;
    const input = readingsResource(departments[i % departments.length]!.id, `301002/${String(i + 1).padStart(5, '0')}`);
    const r = await services.resources.create(SYSTEM_ACTOR, {
      ...input,
      name: `${topic}${kind}第${i + 1}号`,
      summary: `绍兴市${topic}相关的${kind}，第${i + 1}批`,
      openDomain: (i % 21) + 1,
      regionCode: REGIONS[i % REGIONS.length],
      tags: [topic, kind],
    });
    await services.openDatasets.publish(SYSTEM_ACTOR, { resourceId: r.id, tags: [topic, kind], licenceId: 'CC-BY-4.0' });
    if ((i + 1) % 1000 === 0) process.stderr.write(`  ${i + 1} datasets (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
}

function get(agent: http.Agent, port: number, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-opening-'));
  const file = path.join(dir, 'kuaiji.sqlite');
  const storage = openSqlite(file);
  await migrateToLatest(storage);
  const services = buildServices(storage, undefined, { dataDir: path.join(dir, 'data'), collectionConcurrency: 1 });
  const app = await buildApp(services, { logger: false });
  let failed = false;
  try {
    const departments = await seed(services);
    // 1. the download
    process.stderr.write(`loading ${ROWS} rows…\n`);
    const big = await services.resources.create(SYSTEM_ACTOR, readingsResource(departments[0]!.id, '301001/90001'));
    const { job } = await services.collection.upload(SYSTEM_ACTOR, {
      resourceId: big.id,
      body: readingsCsv(1, ROWS),
      contentType: 'text/csv',
      fileName: 'readings.csv',
      mode: 'upsert',
      wait: true,
    });
    if (job.status !== 'succeeded') throw new Error(`load ${job.status}: ${job.error}`);
    const dataset = await services.openDatasets.publish(SYSTEM_ACTOR, { resourceId: big.id, licenceId: 'CC-BY-4.0' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const table = (await storage.db.selectFrom('record_tables').select('table_name').where('resource_id', '=', big.id).executeTakeFirstOrThrow()).table_name;
    const cols = dataset.items.map((i) => `"${i.code}"`).join(', ');
    const oursCmd = `curl -sf 'http://127.0.0.1:${port}/api/v1/open/datasets/${dataset.id}/download?format=csv' | wc -l`;
    const shellCmd = `sqlite3 -csv -header '${file}' 'select ${cols} from "${table}" where "_deleted" = 0 order by "seq"' | wc -l`;
    // Warm both (page cache, prepared statements, the export thread), then measure pairs, one
    // right after the other: on a shared machine the load moves within seconds, so each pair's
    // ratio is reported and the median decides.
    await timed(shellCmd);
    await timed(oursCmd);
    const pairs: { ours: Awaited<ReturnType<typeof timed>>; shell: Awaited<ReturnType<typeof timed>>; ratio: number }[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const first = i % 2 === 0 ? await timed(oursCmd) : null;
      const shell = await timed(shellCmd);
      const ours = first ?? (await timed(oursCmd));
      if (Number(ours.out) !== ROWS + 1 || Number(shell.out) !== ROWS + 1)
        throw new Error(`line counts: ours ${ours.out}, shell ${shell.out}, expected ${ROWS + 1}`);
      const ratio = shell.seconds / ours.seconds;
      pairs.push({ ours, shell, ratio });
      const cpu = (x: Awaited<ReturnType<typeof timed>>, self: boolean) =>
        x.cpu === null
          ? ''
          : `, CPU ${(x.cpu + (self ? x.selfCpu : 0)).toFixed(2)} s${self ? ` (server ${x.selfCpu.toFixed(2)} s + curl/wc ${x.cpu.toFixed(2)} s)` : ''}`;
      console.log(
        `  pair ${i + 1}: ours ${ours.seconds.toFixed(2)} s${cpu(ours, true)}; sqlite3 -csv ${shell.seconds.toFixed(2)} s${cpu(shell, false)}; ratio ${ratio.toFixed(2)}x; load average ${os.loadavg()[0]!.toFixed(1)}`,
      );
    }
    const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)]!;
    const { ours, shell, ratio } = median;
    const oursRate = ROWS / ours.seconds;
    const shellRate = ROWS / shell.seconds;
    // Attribution, in this process: the record reader's file export alone (what the CSV download
    // pipes: one statement in an export thread, ADR 0031), and its record export (XLSX builds on it).
    const reader = createRecordReader({
      db: storage.db,
      auditor: services.auditor,
      disputedKeys: (id, keys) => services.objections.disputedKeys(id, keys),
      databaseUrl: storage.url,
    });
    const entry = (await services.catalogReader.resource(big.id, 'all'))!;
    const items = dataset.items.map((i) => i.code);
    const header = dataset.items.map((i) => i.name);
    const read = { actor: null, scope: 'none', masked: true } as const;
    for (let warm = 0; warm < 2; warm++) {
      let t0 = performance.now();
      let bytes = 0;
      for await (const c of await reader.exportFile({ ...entry, items: entry.items ?? [] }, read, { items }, { kind: 'csv', header, encoding: 'utf-8' }))
        bytes += c.length;
      const fileRate = ROWS / ((performance.now() - t0) / 1000);
      if (warm === 0) continue;
      console.log(
        `record reader file export (CSV) alone, in process: ${Math.round(fileRate)} rows/s, ${(fileRate / shellRate).toFixed(2)}x the shell (${(bytes / 2 ** 20).toFixed(1)} MB)`,
      );
      t0 = performance.now();
      let n = 0;
      for await (const _ of await reader.export({ ...entry, items: entry.items ?? [] }, read, { items })) n++;
      const readerRate = n / ((performance.now() - t0) / 1000);
      console.log(`record reader record export alone, in process: ${Math.round(readerRate)} rows/s, ${(readerRate / shellRate).toFixed(2)}x the shell`);
    }
    console.log(
      `download CSV, ${ROWS} rows, median of ${pairs.length} pairs: ours ${ours.seconds.toFixed(2)} s (${Math.round(oursRate)} rows/s); sqlite3 -csv ${shell.seconds.toFixed(2)} s (${Math.round(shellRate)} rows/s); ratio ${ratio.toFixed(2)}x (floor 0.5x, goal 0.8x)`,
    );
    if (ratio < 0.5) failed = true;
    if (args.xlsx) {
      // For information (no anchor, no floor): the same rows as XLSX, written in the export thread (ADR 0034).
      const xlsxCmd = `curl -sf 'http://127.0.0.1:${port}/api/v1/open/datasets/${dataset.id}/download?format=xlsx' | wc -c`;
      const x = await timed(xlsxCmd);
      const cpu = x.cpu === null ? '' : `, CPU ${(x.cpu + x.selfCpu).toFixed(2)} s (server ${x.selfCpu.toFixed(2)} s)`;
      console.log(
        `download XLSX, ${ROWS} rows: ${x.seconds.toFixed(2)} s (${Math.round(ROWS / x.seconds)} rows/s, ${(Number(x.out) / 2 ** 20).toFixed(1)} MB)${cpu}`,
      );
    }

    // 2. search over many datasets
    process.stderr.write(`publishing ${DATASETS} datasets…\n`);
    await makeDatasets(services, departments, DATASETS);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ckan = (await get(agent, port, '/api/3/action/package_search?rows=1')).status === 200;
    const variants = (i: number, api: 'ckan' | 'portal') => {
      const topic = encodeURIComponent(TOPICS[i % TOPICS.length]!);
      const kind = encodeURIComponent(KINDS[i % KINDS.length]!);
      const domain = (i % 21) + 1;
      if (api === 'ckan') {
        const v = [
          `q=${topic}`,
          `q=${topic}%20${kind}&rows=20`,
          `fq=groups:${domain}&rows=10`,
          `q=${topic}&sort=metadata_modified%20desc`,
          `q=${kind}&start=20&rows=20`,
        ];
        return `/api/3/action/package_search?${v[i % v.length]}`;
      }
      const v = [`q=${topic}`, `q=${topic}%20${kind}&limit=20`, `domain=${domain}&limit=10`, `q=${topic}&sort=modified`, `q=${kind}&offset=20&limit=20`];
      return `/api/v1/open/datasets?${v[i % v.length]}`;
    };
    const apis: ('ckan' | 'portal')[] = ckan ? ['ckan', 'portal'] : ['portal'];
    for (const api of apis) {
      for (let i = 0; i < 100; i++) await get(agent, port, variants(i, api));
      const times: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const t0 = performance.now();
        const res = await get(agent, port, variants(i, api));
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${variants(i, api)}: ${res.status} ${res.body.slice(0, 200)}`);
      }
      times.sort((a, b) => a - b);
      const p50 = pct(times, 50);
      const p99 = pct(times, 99);
      const via = api === 'ckan' ? 'CKAN /api/3/action/package_search' : 'the portal /api/v1/open/datasets';
      console.log(
        `search over ${DATASETS} datasets via ${via}: ${QUERIES} queries, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (floor p99 ≤ 50 ms, goal 10 ms)`,
      );
      // The issue's figure is package_search's when the CKAN API is mounted, else the portal's.
      if (api === apis[0] && p99 > 50) failed = true;
    }
    agent.destroy();
  } finally {
    await app.close();
    await services.jobs.stop();
    await storage.close();
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
