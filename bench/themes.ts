/**
 * Thematic databases (issue 13): the population master built for N persons from three member
 * resources, then the one-ID query's latency under concurrent load — each beside an anchor from
 * the same run.
 *
 *   npx tsx bench/themes.ts [--persons 1000000] [--seconds 10] [--connections 32] [--ids 5000] [--keep]
 *
 * Setup (not timed): a fresh data folder and SQLite file; through the services: three
 * departments and their member resources — 人口基础信息 (公安局: ID, name, sex, birth date,
 * address, region), 社会保险参保信息 (人社局: ID, name, sex, employer) and 困难群众联系信息
 * (民政局: ID, name, mobile) — each holding every one of the N synthetic persons
 * (bench/generators/population.ts, seed 1; 2% of the insurance rows keyed by the 15-digit form
 * of the ID, 0.1% with another name), written as CSV and loaded through collection (a job per file).
 *
 * Sync (timed): the population theme is defined through the themes service (as an administrator's
 * PUT would), which queues a sync of every member; timed from the call until every sync has ended:
 * 3·N member records read through the record reader, keys normalised (check digits, 15 → 18),
 * matched, the crosswalk written, survivorship and provenance per attribute, conflicts raised.
 * Anchor: the sqlite3 shell on a copy of the same database file, in one transaction, writing the
 * same two outputs with plain SQL and no normalisation: a crosswalk row per member record
 * (INSERT … SELECT with json_object from each record table) and a master per person (INSERT …
 * SELECT of the three record tables joined on the key, attributes by coalesce in priority order).
 * That is the least any master build must do over these rows (read them, join on the key, write
 * both tables with their keys); the anchor skips what only the mechanism does (key validation,
 * 15-digit upgrades, provenance, conflicts, terms), so the ratio is a floor, not a like-for-like.
 *
 * One-ID (timed): the app in a child process (bench/themes-server.ts), `wrk --latency` from a
 * second process, --connections connections, each request a random one of --ids loaded IDs:
 * GET /api/v1/one-id/:id with X-Purpose as the administrator; anchor in the same server: one
 * master read by its key (GET /bench/master/:id), the floor under any one-ID answer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildServices, type Services } from '../src/deps.js';
import type { ResourceInput } from '../src/modules/catalog/resources/resources.schemas.js';
import type { ThemeDefinition } from '../src/modules/themes/contracts.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { systemClock } from '../src/shared/clock.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import type { Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { generatePopulationRows } from './generators/population.js';
import { freePort, readWrk, waitFor, type WrkResult } from './http-load.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const REGION = '330600';
const ADMIN_TOKEN = `kjb_${'t'.repeat(40)}`;
const PURPOSE = encodeURIComponent('一证通办基准测试');

type Member = { key: string; code: string; name: string; department: string; deptBody: string; items: ResourceInput['items'] };

const item = (code: string, name: string, length: number | null, extra: { primaryKey?: boolean; dataType?: 'STRING' | 'DATE' } = {}) => ({
  code,
  name,
  dataType: extra.dataType ?? 'STRING',
  length,
  primaryKey: extra.primaryKey ?? false,
  nullable: !extra.primaryKey,
});
const ID = item('citizen_id', '公民身份号码', 18, { primaryKey: true });

const MEMBERS: Member[] = [
  {
    key: 'base',
    code: '101001/00001',
    name: '人口基础信息(合成数据)',
    department: '绍兴市公安局(基准测试)',
    deptBody: 'B9100001',
    items: [
      ID,
      item('name', '姓名', 30),
      item('sex_code', '性别代码', 1),
      item('birth_date', '出生日期', null, { dataType: 'DATE' }),
      item('address', '住址', 200),
      item('region_code', '行政区划代码', 6),
    ],
  },
  {
    key: 'insurance',
    code: '101004/00001',
    name: '社会保险参保信息(合成数据)',
    department: '绍兴市人力资源和社会保障局(基准测试)',
    deptBody: 'B9100002',
    items: [ID, item('name', '姓名', 30), item('sex_code', '性别代码', 1), item('employer_name', '参保单位名称', 200)],
  },
  {
    key: 'contact',
    code: '201001/00001',
    name: '困难群众联系信息(合成数据)',
    department: '绍兴市民政局(基准测试)',
    deptBody: 'B9100003',
    items: [ID, item('name', '姓名', 30), item('mobile', '联系电话', 20)],
  },
];

const EMPLOYERS = ['绍兴市恒瑞纺织有限公司', '浙江越秀印染有限公司', '绍兴市柯桥区金鼎化纤有限公司', '诸暨市华东服饰有限公司'];

async function write(stream: WriteStream, text: string) {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** The three member files in one pass over the synthetic population (columns as POPULATION_ITEMS). */
async function writeMemberFiles(dir: string, persons: number): Promise<{ files: Record<string, string>; ids: string[] }> {
  const files = Object.fromEntries(MEMBERS.map((m) => [m.key, path.join(dir, `${m.key}.csv`)]));
  const out = Object.fromEntries(MEMBERS.map((m) => [m.key, createWriteStream(files[m.key]!)]));
  for (const m of MEMBERS) await write(out[m.key]!, `${m.items.map((i) => i.name).join(',')}\n`);
  const ids: string[] = [];
  const every = Math.max(1, Math.floor(persons / 5000));
  let i = 0;
  const batch: Record<string, string[]> = { base: [], insurance: [], contact: [] };
  const flush = async () => {
    for (const m of MEMBERS) {
      if (batch[m.key]!.length) await write(out[m.key]!, batch[m.key]!.join(''));
      batch[m.key] = [];
    }
  };
  for (const r of generatePopulationRows(1, persons)) {
    const [id, name, sex, , birth, address, phone, region] = r as [string, string, string, string, string, string, string, string];
    if (i % every === 0) ids.push(id);
    // 2% of the insurance records carry the 15-digit form (people born in the 1900s); 0.1% another name.
    const legacy = i % 50 === 7 && id.slice(6, 8) === '19' ? `${id.slice(0, 6)}${id.slice(8, 17)}` : id;
    const otherName = i % 1000 === 3 ? `${name}某` : name;
    batch['base']!.push(`${id},${name},${sex},${birth},"${address}",${region}\n`);
    batch['insurance']!.push(`${legacy},${otherName},${sex},${EMPLOYERS[i % EMPLOYERS.length]}\n`);
    batch['contact']!.push(`${id},${name},${phone}\n`);
    if (++i % 10_000 === 0) await flush();
  }
  await flush();
  await Promise.all(Object.values(out).map((s) => new Promise((resolve) => s.end(resolve))));
  return { files, ids };
}

async function seed(services: Services): Promise<Record<string, string>> {
  await services.regions.create(SYSTEM_ACTOR, { code: REGION });
  const ids: Record<string, string> = {};
  for (const m of MEMBERS) {
    const dept = await services.departments.create(SYSTEM_ACTOR, {
      name: m.department,
      uscc: buildUscc(`11${REGION}`, m.deptBody),
      regionCode: REGION,
      kind: 'GOVERNMENT',
    });
    const r = await services.resources.create(SYSTEM_ACTOR, {
      code: m.code,
      name: m.name,
      nameEn: `${m.key} (synthetic)`,
      category: Number(m.code[0]),
      providerDepartmentId: dept.id,
      summary: '基准测试用合成数据，不对应任何真实个人',
      formatCategory: 3,
      shareType: 'CONDITIONAL',
      shareCondition: '仅限政务用途',
      shareModes: ['API'],
      openType: 'PROHIBITED',
      updateFrequency: '02',
      relatedCodes: [],
      sensitivity: 'L3',
      importance: 'IMPORTANT',
      classified: false,
      tags: ['基准测试'],
      items: m.items,
    });
    ids[m.key] = r.id;
  }
  return ids;
}

function populationTheme(ids: Record<string, string>): Omit<ThemeDefinition, 'code'> {
  return {
    name: '人口综合库',
    nameEn: 'Population base',
    keyKind: 'CITIZEN_ID',
    attributes: [
      { code: 'name', name: '姓名', nameEn: 'Name' },
      { code: 'sex_code', name: '性别代码', nameEn: 'Sex code' },
      { code: 'birth_date', name: '出生日期', nameEn: 'Date of birth' },
      { code: 'address', name: '住址', nameEn: 'Address' },
      { code: 'region_code', name: '行政区划代码', nameEn: 'Region code' },
      { code: 'employer_name', name: '参保单位名称', nameEn: 'Employer' },
      { code: 'mobile', name: '联系电话', nameEn: 'Mobile number' },
    ],
    members: [
      {
        resourceId: ids['base']!,
        keyItem: 'citizen_id',
        priority: 1,
        attributes: { name: 'name', sex_code: 'sex_code', birth_date: 'birth_date', address: 'address', region_code: 'region_code' },
      },
      { resourceId: ids['insurance']!, keyItem: 'citizen_id', priority: 2, attributes: { name: 'name', sex_code: 'sex_code', employer_name: 'employer_name' } },
      { resourceId: ids['contact']!, keyItem: 'citizen_id', priority: 3, attributes: { name: 'name', mobile: 'mobile' } },
    ],
    fallbackMatch: [['name', 'birth_date', 'sex_code', 'region_code']],
    regionAttribute: 'region_code',
  };
}

type ThemesApi = {
  define(body: Omit<ThemeDefinition, 'code'>): Promise<unknown>;
  idle(): Promise<void>;
};

/** The themes service's definition call (an administrator's PUT /api/v1/themes/population) and the sync's idle. */
function themesApi(services: Services): ThemesApi {
  const s = services as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
  const definitions = s['themeDefinitions'] ?? s['themes'];
  const sync = s['themeSync'] ?? s['themesSync'];
  if (!definitions?.['put'] || !sync?.['idle']) throw new Error('the themes definitions service (put) and sync (idle) are not in this build yet');
  return {
    define: (body) => definitions['put']!(SYSTEM_ACTOR, 'population', body),
    idle: async () => void (await sync['idle']!()),
  };
}

async function recordTable(storage: Storage, resourceId: string): Promise<{ table: string; col: (code: string) => string }> {
  const t = await storage.db.selectFrom('record_tables').where('resource_id', '=', resourceId).select('table_name').executeTakeFirstOrThrow();
  const cols = await storage.db
    .selectFrom('record_columns')
    .innerJoin('data_items', 'data_items.id', 'record_columns.item_id')
    .where('record_columns.resource_id', '=', resourceId)
    .select(['data_items.code', 'record_columns.column_name'])
    .execute();
  const by = new Map(cols.map((c) => [c.code, c.column_name]));
  return { table: t.table_name, col: (code) => `"${by.get(code)!}"` };
}

async function anchorSql(storage: Storage, ids: Record<string, string>): Promise<string> {
  const [b, s, c] = [await recordTable(storage, ids['base']!), await recordTable(storage, ids['insurance']!), await recordTable(storage, ids['contact']!)];
  const source = (tag: string, t: typeof b, codes: string[]) =>
    `INSERT INTO a_sources SELECT '${tag}', ${t.col('citizen_id')}, ${t.col('citizen_id')}, json_object(${codes.map((k) => `'${k}', ${t.col(k)}`).join(', ')}) FROM "${t.table}";`;
  return [
    'PRAGMA journal_mode=WAL;',
    'PRAGMA synchronous=NORMAL;',
    'BEGIN;',
    'CREATE TABLE a_sources (resource TEXT NOT NULL, source_key TEXT NOT NULL, master_key TEXT, attributes TEXT NOT NULL, PRIMARY KEY (resource, source_key));',
    source('base', b, ['name', 'sex_code', 'birth_date', 'address', 'region_code']),
    source('insurance', s, ['name', 'sex_code', 'employer_name']),
    source('contact', c, ['name', 'mobile']),
    'CREATE TABLE a_masters (master_key TEXT PRIMARY KEY, attributes TEXT NOT NULL, source_count INTEGER NOT NULL);',
    `INSERT INTO a_masters SELECT b.${b.col('citizen_id')}, json_object('name', coalesce(b.${b.col('name')}, s.${s.col('name')}, c.${c.col('name')}), ` +
      `'sex_code', coalesce(b.${b.col('sex_code')}, s.${s.col('sex_code')}), 'birth_date', b.${b.col('birth_date')}, 'address', b.${b.col('address')}, ` +
      `'region_code', b.${b.col('region_code')}, 'employer_name', s.${s.col('employer_name')}, 'mobile', c.${c.col('mobile')}), ` +
      `1 + (s.${s.col('citizen_id')} IS NOT NULL) + (c.${c.col('citizen_id')} IS NOT NULL) ` +
      `FROM "${b.table}" b LEFT JOIN "${s.table}" s ON s.${s.col('citizen_id')} = b.${b.col('citizen_id')} LEFT JOIN "${c.table}" c ON c.${c.col('citizen_id')} = b.${b.col('citizen_id')};`,
    'COMMIT;',
    'SELECT count(*) FROM a_sources;',
    'SELECT count(*) FROM a_masters;',
  ].join('\n');
}

function wrk(script: string, url: string, headers: string[], o: { seconds: number; connections: number }): Promise<WrkResult & { requests: number }> {
  return new Promise((resolve, reject) => {
    const args = ['-t2', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '30s', '--latency', '-s', script, ...headers.flatMap((h) => ['-H', h]), url];
    const child = spawn('wrk', args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`wrk could not run (${e.message}); install it: apt-get install -y wrk`)));
    child.on('exit', () => {
      try {
        resolve({ ...readWrk(out, err), requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN) });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

function keyScript(file: string, prefix: string, keys: string[]): string {
  writeFileSync(
    file,
    `local keys = {${keys.map((k) => `"${k}"`).join(',')}}\nrequest = function()\n  return wrk.format("GET", "${prefix}" .. keys[math.random(#keys)])\nend\n`,
  );
  return file;
}

const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      ids: { type: 'string', default: '5000' },
      keep: { type: 'boolean', default: false },
    },
  });
  const persons = Number(values.persons);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!Number.isInteger(persons) || persons < 1) throw new Error(`--persons must be a whole number ≥ 1, not '${values.persons}'`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-themes-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, 'kuaiji.sqlite');
  console.log(
    `bench/themes.ts: ${fmt(persons)} persons × 3 member resources, SQLite (${dbFile}); ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  let server: ChildProcess | null = null;
  try {
    const storage = openSqlite(dbFile);
    await migrateToLatest(storage);
    const services = buildServices(storage, systemClock, { dataDir });
    await services.identity.ensureFirstAdmin('admin', ADMIN_TOKEN);
    const ids = await seed(services);

    let t = performance.now();
    const { files, ids: sampled } = await writeMemberFiles(dir, persons);
    console.log(
      `files: ${MEMBERS.map((m) => `${m.key} ${(statSync(files[m.key]!).size / 1e6).toFixed(1)} MB`).join(', ')} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    t = performance.now();
    for (const m of MEMBERS) {
      const { createReadStream } = await import('node:fs');
      const { job } = await services.collection.upload(SYSTEM_ACTOR, {
        resourceId: ids[m.key]!,
        body: createReadStream(files[m.key]!),
        contentType: 'text/csv',
        fileName: `${m.key}.csv`,
        format: 'csv',
        encoding: 'utf-8',
        mode: 'upsert',
        batchId: `bench-${m.key}`,
      });
      const done = await services.jobs.waitFor(job.id);
      if (done.status !== 'succeeded') throw new Error(`${m.key}: load ${done.status}: ${done.error ?? ''}`);
      console.log(`  loaded ${m.key}: ${fmt(done.rows.inserted)} rows (${done.rows.rejected} rejected)`);
    }
    console.log(`collection loads (not the measured figure): ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // ── the sync
    const api = themesApi(services);
    t = performance.now();
    await api.define(populationTheme(ids));
    await api.idle();
    const syncSeconds = (performance.now() - t) / 1000;
    const theme = await storage.db.selectFrom('themes').where('code', '=', 'population').select('id').executeTakeFirstOrThrow();
    const count = async (table: 'theme_masters' | 'theme_sources' | 'theme_conflicts') =>
      Number(
        (
          await storage.db
            .selectFrom(table)
            .where('theme_id', '=', theme.id)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const tiers = await storage.db
      .selectFrom('theme_sources')
      .where('theme_id', '=', theme.id)
      .select(['tier', (eb) => eb.fn.countAll().as('n')])
      .groupBy('tier')
      .execute();
    const [masters, sources, conflicts] = [await count('theme_masters'), await count('theme_sources'), await count('theme_conflicts')];
    const states = await storage.db.selectFrom('theme_member_state').where('theme_id', '=', theme.id).select(['status', 'error']).execute();
    if (states.some((s) => s.status !== 'IDLE')) throw new Error(`a member sync did not end well: ${JSON.stringify(states)}`);
    console.log(
      `sync: ${fmt(masters)} masters, ${fmt(sources)} crosswalk rows (${tiers.map((r) => `${r.tier} ${fmt(Number(r.n))}`).join(', ')}), ${fmt(conflicts)} conflicts`,
    );

    // ── the anchor: the sqlite3 shell on a copy of the same file
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(storage.db);
    const script = await anchorSql(storage, ids);
    const anchorFile = path.join(dir, 'anchor.sqlite');
    copyFileSync(dbFile, anchorFile);
    writeFileSync(path.join(dir, 'anchor.sql'), script);
    t = performance.now();
    const shell = spawnSync('sqlite3', [anchorFile], { input: script, encoding: 'utf8', maxBuffer: 1 << 24 });
    const anchorSeconds = (performance.now() - t) / 1000;
    if (shell.status !== 0) throw new Error(`sqlite3: ${shell.stderr}`);
    const [aSources, aMasters] = shell.stdout.trim().split('\n').slice(-2).map(Number);
    const ours = (3 * persons) / syncSeconds;
    const theirs = (3 * persons) / anchorSeconds;
    console.log(`\nTheme sync (population, ${fmt(persons)} persons, ${fmt(3 * persons)} member records):`);
    console.log(`  ours    ${syncSeconds.toFixed(1)} s  ${fmt(ours)} member rows/s  (${fmt(masters)} masters)`);
    console.log(
      `  anchor  ${anchorSeconds.toFixed(1)} s  ${fmt(theirs)} member rows/s  (sqlite3 shell INSERT … SELECT: ${fmt(aSources!)} crosswalk rows, ${fmt(aMasters!)} masters)`,
    );
    console.log(`  ratio   ${(ours / theirs).toFixed(2)}x the anchor's rows/s`);
    await services.jobs.stop();
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await storage.close();

    // ── the one-ID query under load
    const port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'themes-server.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KUAIJI_DATA_DIR: dataDir,
        KUAIJI_DATABASE_URL: `sqlite:${dbFile}`,
        KUAIJI_ADMIN_TOKEN: ADMIN_TOKEN,
        KUAIJI_LOG_LEVEL: 'warn',
        BENCH_THEME_ID: theme.id,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/bench/master/x`, server, 120);
    const keys = sampled.slice(0, Number(values.ids));
    const probe = await fetch(`${base}/api/v1/one-id/${keys[0]}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-purpose': PURPOSE } });
    const body = (await probe.json()) as { subjects?: unknown[]; records?: unknown[] };
    if (probe.status !== 200) throw new Error(`one-ID probe answered ${probe.status}: ${JSON.stringify(body)}`);
    console.log(`\none-ID probe: ${body.subjects?.length ?? 0} subject(s), ${body.records?.length ?? 0} member record(s)`);
    const headers = [`Authorization: Bearer ${ADMIN_TOKEN}`, `X-Purpose: ${PURPOSE}`];
    const oneIdScript = keyScript(path.join(dir, 'one-id.lua'), '/api/v1/one-id/', keys);
    const masterScript = keyScript(path.join(dir, 'master.lua'), '/bench/master/', keys);
    await wrk(oneIdScript, base, headers, { seconds: 2, connections }); // warm-up
    const oneId = await wrk(oneIdScript, base, headers, { seconds, connections });
    const master = await wrk(masterScript, base, [], { seconds, connections });
    console.log(`\nOne-ID query under load (${connections} connections, ${seconds} s, random among ${fmt(keys.length)} IDs):`);
    console.log(
      `  ours    GET /api/v1/one-id/:id   ${fmt(oneId.rps)} req/s  p50 ${oneId.p50.toFixed(2)} ms  p99 ${oneId.p99.toFixed(2)} ms  errors ${oneId.errors}`,
    );
    console.log(
      `  anchor  GET /bench/master/:id    ${fmt(master.rps)} req/s  p50 ${master.p50.toFixed(2)} ms  p99 ${master.p99.toFixed(2)} ms  errors ${master.errors}`,
    );
    console.log(`  ratio   ${(oneId.rps / master.rps).toFixed(2)}x the anchor's req/s; p99 ${(oneId.p99 / master.p99).toFixed(2)}x`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
