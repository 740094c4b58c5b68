/**
 * The sharing gateway (issue 10): a single-key lookup through the full pipeline (authenticate,
 * purpose, published interface, grant, quota and rate limit, masked query, audit) against a bare
 * Fastify route doing the same record lookup in the same server, in the same run — first on a
 * quiet server, then each while a 1,000,000-row collection load runs (its merge holds SQLite's
 * write lock); afterwards the call audit must hold one record per successful gateway call.
 *
 *   npm run build && npx tsx bench/gateway.ts [--rows 100000] [--load-rows 1000000] [--seconds 10] [--connections 64]
 *     [--quiet-only]   (no load runs)
 *     [--cpu-prof <dir>]   a CPU profile of the server's main thread for each measured run, <dir>/<run>.cpuprofile
 *     [--rounds 1]   quiet rounds (bare route then gateway, back to back), each reported, with the median ratio
 *     [--calibration]   each quiet round also measures /bench/calibration: Fastify, the app's global hooks and one
 *                       prepared SQLite statement, nothing else — what any route of this app costs at least
 *     [--processes 1]   KUAIJI_SERVE_PROCESSES: serving processes on the one port (ADR 0039); more than one
 *                       shares the call counters in Redis (KUAIJI_REDIS_URL, default redis://127.0.0.1:6379/0)
 *     [--no-limits]     publish the interface without a rate limit or quotas (the quota step then counts nothing)
 *     [--keep]          keep the data folder (its path is printed) for a look at what the runs left
 *
 * Setup (not timed): a fresh data folder; through the services: the population resource (its
 * records loaded from a generated CSV of --rows, seed 1), a consumer department with its census
 * system, an officer of the provider department; the built server (bench/gateway-server.ts over
 * dist/) in a child process; through its API: the consumer and its key, a generated interface
 * (published with a rate limit and quotas no run reaches: 1,000,000 calls a second, 1,000,000,000 a day and a
 * month, so every call is counted in every window), an access application approved into a grant, a bearer token.
 * Each measurement: `wrk --latency` from a second process, --connections connections, random keys
 * among 2,000 loaded ones (a Lua script), for --seconds after a warm-up; besides wrk's figures, per
 * request over the run: the server's main-thread busy time (event-loop utilisation), its main
 * thread's CPU time and the whole process's CPU time (every thread: the call audit's writer too), and
 * where the tail comes from (garbage-collection pauses, event-loop delay). With --processes > 1 the CPU
 * times are summed over the serving processes; busy time, GC and loop delay are one process's. Under load: the
 * --load-rows CSV (seeds 2 and 3: new keys, full merges) is uploaded; wrk starts when the job has
 * read the whole file, so its window holds the end of staging and the merge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildServices } from '../src/deps.js';
import { verifyCallChain } from '../src/modules/sharing/audit/verify-chain.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { systemClock } from '../src/shared/clock.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { REGION, seedPopulationResource } from './collection-setup.js';
import { writePopulationFile } from './generators/population.js';
import { freePort, readWrk, waitFor, type WrkResult } from './http-load.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ITEMS = ['citizen_id', 'name', 'sex', 'birth_date', 'address', 'phone', 'region_code'];
const PURPOSE = encodeURIComponent('不动产登记核验(基准测试)');
const CODE = 'population-lookup';

type Stalls = { gc: { count: number; ms: number; maxMs: number }; loopDelay: { p99Ms: number; maxMs: number } };
type Run = WrkResult & { requests: number; busyUs: number; mainCpuUs: number; allCpuUs: number; stalls: Stalls };

function wrk(
  script: string,
  url: string,
  headers: string[],
  o: { seconds: number; connections: number },
): Promise<Omit<Run, 'busyUs' | 'mainCpuUs' | 'allCpuUs' | 'stalls'>> {
  return new Promise((resolve, reject) => {
    const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '30s', '--latency', '-s', script, ...headers.flatMap((h) => ['-H', h]), url];
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

/** A wrk Lua script that asks for a random one of `keys` under `prefix` on every request. */
function keyScript(file: string, prefix: string, keys: string[]): string {
  writeFileSync(
    file,
    `local keys = {${keys.map((k) => `"${k}"`).join(',')}}\nrequest = function()\n  return wrk.format("GET", "${prefix}" .. keys[math.random(#keys)])\nend\n`,
  );
  return file;
}

async function api<T>(base: string, token: string, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

type Job = { id: string; status: string; bytes: { read: number; total: number | null }; error: string | null; rows: { inserted: number } };

async function upload(base: string, token: string, resourceId: string, file: string, wait: boolean): Promise<Job> {
  const res = await fetch(`${base}/api/v1/resources/${resourceId}/uploads?mode=upsert&fileName=${path.basename(file)}${wait ? '&wait=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': String(statSync(file).size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 202 && res.status !== 200 && res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { job: Job }).job;
}

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      'load-rows': { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      'quiet-only': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      rounds: { type: 'string', default: '1' },
      calibration: { type: 'boolean', default: false },
      processes: { type: 'string', default: '1' },
      'no-limits': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const rounds_ = Math.max(1, Number(values.rounds));
  const rows = Number(values.rows);
  const processes = Math.max(1, Number(values.processes));
  const limits = values['no-limits'] ? {} : { ratePerSecond: 1_000_000, quotaPerDay: 1_000_000_000, quotaPerMonth: 1_000_000_000 };
  const loadRows = Number(values['load-rows']);
  const keep = values.keep;
  const o = { seconds: Number(values.seconds), connections: Number(values.connections) };
  if (!existsSync(path.join(ROOT, 'dist/src/app.js'))) throw new Error('dist/ is missing: run npm run build first');
  const out = path.join(ROOT, 'bench', 'out');
  const served = path.join(out, `population-${rows}.csv`);
  if (!existsSync(served)) await writePopulationFile('csv', rows, served, 1);
  const loads = [2, 3].map((seed) => path.join(out, `population-${loadRows}-seed${seed}.csv`));
  for (const [i, f] of loads.entries()) if (!existsSync(f)) await writePopulationFile('csv', loadRows, f, i + 2);
  // Keys to ask for: 2,000 of the served file's (its first column is the citizen ID).
  const keys = readFileSync(served, 'utf8')
    .split('\n')
    .slice(1, 2001)
    .map((line) => line.split(',')[0]!.replace(/"/g, ''));

  const loadBefore = os.loadavg()[0]!.toFixed(1);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-gateway-'));
  let server: ChildProcess | null = null;
  try {
    // Setup through the services: the resource, a consumer department with its system, the provider's officer.
    const dbFile = path.join(dataDir, 'kuaiji.sqlite');
    const storage = openSqlite(dbFile);
    await migrateToLatest(storage);
    const services = buildServices(storage, systemClock, { dataDir });
    const admin = (await services.identity.ensureFirstAdmin('admin', undefined))!.token;
    const resourceId = await seedPopulationResource(services);
    const resource = (await services.catalogReader.resource(resourceId, 'all'))!;
    const consumerDept = await services.departments.create(SYSTEM_ACTOR, {
      name: '绍兴市自然资源和规划局(基准测试)',
      uscc: buildUscc(`11${REGION}`, 'B9000002'),
      regionCode: REGION,
      kind: 'GOVERNMENT',
    });
    const system = await services.systems.create(SYSTEM_ACTOR, {
      name: '不动产登记系统(基准测试)',
      departmentId: consumerDept.id,
      level: 'CITY',
      status: 'IN_USE',
      connected: true,
    });
    const provider = await services.identity.createUser(SYSTEM_ACTOR, {
      username: 'provider-officer',
      role: 'OFFICER',
      departmentId: resource.providerDepartmentId,
    });
    await services.jobs.stop();
    await storage.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUAIJI_DATA_DIR: dataDir,
      KUAIJI_LOG_LEVEL: 'warn',
      PORT: String(port),
      BENCH_RESOURCE_ID: resourceId,
      BENCH_ITEMS: ITEMS.join(','),
    };
    delete env.KUAIJI_DATABASE_URL;
    delete env.KUAIJI_REDIS_URL;
    if (processes > 1)
      Object.assign(env, { KUAIJI_SERVE_PROCESSES: String(processes), KUAIJI_REDIS_URL: process.env.KUAIJI_REDIS_URL ?? 'redis://127.0.0.1:6379/0' });
    server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'gateway-server.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor(`${base}/healthz`, server);

    // Through the API: the records, the consumer, the interface, the grant, a token.
    const loaded = await upload(base, admin, resourceId, served, true);
    if (loaded.status !== 'succeeded') throw new Error(`the ${rows}-row load ${loaded.status}: ${loaded.error}`);
    const { credentials } = await api<{ credentials: { appKey: string; secret: string } }>(base, admin, 'POST', '/api/v1/sharing/consumers', {
      systemId: system.id,
    });
    const consumer = (await api<{ items: { id: string }[] }>(base, admin, 'GET', `/api/v1/sharing/consumers?systemId=${system.id}`)).items[0]!;
    const iface = await api<{ id: string; version: string }>(base, admin, 'POST', '/api/v1/sharing/interfaces', {
      resourceId,
      code: CODE,
      name: '人口基础信息按身份号码查询',
      ...limits,
    });
    await api(base, admin, 'PATCH', `/api/v1/sharing/interfaces/${iface.id}`, { status: 'PUBLISHED' });
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    let application = await api<{ id: string; status: string }>(base, admin, 'POST', '/api/v1/sharing/applications', {
      consumerId: consumer.id,
      resourceId,
      items: ITEMS,
      purpose: '不动产登记时核验申请人身份(基准测试)',
      legalBasis: '《不动产登记暂行条例》第十七条',
      validUntil,
    });
    for (let step = 0; step < 3 && application.status !== 'GRANTED'; step++) {
      const who = application.status === 'PROVIDER_REVIEW' ? provider.token.token : admin;
      application = await api(base, who, 'POST', `/api/v1/sharing/applications/${application.id}/decisions`, { decision: 'approve' });
    }
    if (application.status !== 'GRANTED') throw new Error(`the access application ended ${application.status}`);
    const token = async () =>
      (await api<{ access_token: string }>(base, admin, 'POST', '/api/v1/sharing/token', { appKey: credentials.appKey, secret: credentials.secret }))
        .access_token;

    const gatewayPrefix = `/gateway/${CODE}/${iface.version}?citizen_id=`;
    const probe = await fetch(`${base}${gatewayPrefix}${keys[0]}`, { headers: { authorization: `Bearer ${await token()}`, 'x-purpose': PURPOSE } });
    const probeBody = await probe.text();
    if (probe.status !== 200 || !probeBody.includes('"data":{')) throw new Error(`a gateway lookup answered ${probe.status}: ${probeBody}`);
    const bareScript = keyScript(path.join(dataDir, 'bare.lua'), '/bench/bare?citizen_id=', keys);
    const calibrationScript = keyScript(path.join(dataDir, 'calibration.lua'), '/bench/calibration?citizen_id=', keys);
    const gatewayScript = keyScript(path.join(dataDir, 'gateway.lua'), gatewayPrefix, keys);
    const elu = () => api<{ active: number }>(base, admin, 'GET', '/bench/elu');
    const cpu = () => api<{ main: number | null; all: number | null }>(base, admin, 'GET', '/bench/cpu');
    const stalls = () => api<Stalls>(base, admin, 'GET', '/bench/stalls');
    // Each run also gives the server's main-thread busy time per request (event-loop utilisation).
    const profileDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    let measured = 0;
    const measure = async (which: 'bare' | 'gateway' | 'calibration', seconds: number, profile = true): Promise<Run> => {
      const headers = which !== 'gateway' ? [] : [`Authorization: Bearer ${await token()}`, `X-Purpose: ${PURPOSE}`];
      const [before, cpuBefore] = [await elu(), await cpu(), await stalls()];
      if (profileDir && profile) await api(base, admin, 'POST', '/bench/profile/start');
      const script = { bare: bareScript, gateway: gatewayScript, calibration: calibrationScript }[which];
      const run = await wrk(script, base, headers, { ...o, seconds });
      if (profileDir && profile) {
        const file = path.join(profileDir, `${String(++measured).padStart(2, '0')}-${which}.cpuprofile`);
        await api(base, admin, 'POST', `/bench/profile/stop?file=${encodeURIComponent(file)}`);
      }
      const [after, cpuAfter, during] = [await elu(), await cpu(), await stalls()];
      return {
        ...run,
        busyUs: ((after.active - before.active) * 1000) / run.requests,
        mainCpuUs: ((cpuAfter.main ?? NaN) - (cpuBefore.main ?? NaN)) / run.requests,
        allCpuUs: ((cpuAfter.all ?? NaN) - (cpuBefore.all ?? NaN)) / run.requests,
        stalls: during,
      };
    };

    // The load's aftermath (governance's re-scan of the resource in worker threads) must not share the
    // measured runs: wait until the server uses less than a tenth of a core for a whole second (at most 2 min).
    for (let waited = 0; waited < 120; waited++) {
      const a = await cpu();
      await new Promise((r) => setTimeout(r, 1000));
      if ((await cpu()).all! - a.all! < 100_000 * processes) break;
    }
    // Warm-up (JIT, statement and grant caches), not reported.
    await measure('bare', 2, false);
    await measure('gateway', 2, false);
    if (values.calibration) await measure('calibration', 2, false);
    // Quiet: --rounds rounds of the bare route then the gateway, back to back (the machine's other load changes by the minute).
    const rounds: { bare: Run; gateway: Run; calibration: Run | null }[] = [];
    for (let r = 0; r < rounds_; r++)
      rounds.push({
        bare: await measure('bare', o.seconds),
        gateway: await measure('gateway', o.seconds),
        calibration: values.calibration ? await measure('calibration', o.seconds) : null,
      });

    const busy: Partial<Record<'bare' | 'gateway', Run & { tail: number; merged: number }>> = {};
    for (const [i, which] of (values['quiet-only'] ? [] : (['bare', 'gateway'] as const)).entries()) {
      const job = await upload(base, admin, resourceId, loads[i]!, false);
      for (;;) {
        const j = await api<Job>(base, admin, 'GET', `/api/v1/collection/jobs/${job.id}`);
        if (j.status === 'failed') throw new Error(`load failed: ${j.error}`);
        if (j.status === 'succeeded' || (j.bytes.total !== null && j.bytes.read >= j.bytes.total)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const fileRead = Date.now();
      const run = await measure(which, o.seconds);
      let done: Job;
      for (;;) {
        done = await api<Job>(base, admin, 'GET', `/api/v1/collection/jobs/${job.id}`);
        if (done.status !== 'running' && done.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (done.status !== 'succeeded') throw new Error(`load ${done.status}: ${done.error}`);
      busy[which] = { ...run, tail: (Date.now() - fileRead) / 1000, merged: done.rows.inserted };
    }

    // The call audit against the server's own count of gateway answers, once the server has flushed and stopped.
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = null;
    // Each serving process wrote its own count as it closed.
    const counts = { received: 0, ok: 0, failed: 0 };
    for (const f of readdirSync(dataDir).filter((n) => /^bench-counts-\d+\.json$/.test(n))) {
      const c = JSON.parse(readFileSync(path.join(dataDir, f), 'utf8')) as typeof counts;
      counts.received += c.received;
      counts.ok += c.ok;
      counts.failed += c.failed;
    }
    const after = openSqlite(dbFile);
    const audit = await after.db
      .selectFrom('sharing_calls')
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.sum<number>(eb.case().when('status', '<', 400).then(1).else(0).end()).as('ok')])
      .executeTakeFirstOrThrow();
    const chain = await verifyCallChain(after.db);
    await after.close();

    // Every call received is audited once; a successful one whether or not the client stayed for the answer.
    const unanswered = counts.received - counts.ok - counts.failed;
    const auditMatches = Number(audit.all) === counts.received && Number(audit.ok) >= counts.ok && Number(audit.ok) <= counts.ok + unanswered;
    const f = (x: number) => x.toFixed(2);
    const row = (label: string, r: Run, anchor: Run, extra = '') =>
      `| ${label} | ${Math.round(r.rps)} | ${f(r.p50)} | ${f(r.p99)} | ${r.errors} | ${(r.rps / anchor.rps).toFixed(2)}x | ${Math.round(r.busyUs)} | ${Math.round(r.mainCpuUs)} | ${(anchor.mainCpuUs / r.mainCpuUs).toFixed(2)}x | ${Math.round(r.allCpuUs)} | ${r.stalls.gc.count} / ${f(r.stalls.gc.ms)} / ${f(r.stalls.gc.maxMs)} | ${f(r.stalls.loopDelay.p99Ms)} / ${f(r.stalls.loopDelay.maxMs)} |${extra}`;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratios = rounds.map((r) => r.gateway.rps / r.bare.rps);
    const cpuRatios = rounds.map((r) => r.bare.mainCpuUs / r.gateway.mainCpuUs);
    const b = busy.bare;
    const g = busy.gateway;
    process.stdout.write(
      [
        `${rows} records served, ${processes} serving process${processes > 1 ? 'es (call counters in Redis)' : ''}, ` +
          `interface limits ${values['no-limits'] ? 'none' : '1,000,000/s, 1,000,000,000 a day and a month'}, ${o.connections} connections, ${o.seconds} s per run; under load: a ${loadRows}-row upsert (all new keys), wrk started once the file was read;` +
          ` load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(1)} after (2 cores shared with other work)`,
        '',
        '| run | req/s | p50 ms | p99 ms | errors | vs bare | main thread busy µs/req | main thread CPU µs/req | vs bare (CPU) | process CPU µs/req | GC: count / ms / longest ms | loop delay p99 / max ms |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|',
        ...rounds.flatMap((r, i) => {
          const n = rounds.length > 1 ? ` ${i + 1}` : '';
          return [
            row(`bare route, quiet${n}`, r.bare, r.bare),
            row(`gateway, quiet${n}`, r.gateway, r.bare),
            ...(r.calibration ? [row(`calibration route, quiet${n}`, r.calibration, r.bare)] : []),
          ];
        }),
        ...(b && g
          ? [
              row(`bare route, during the load (${b.merged} rows merged; its tail ${b.tail.toFixed(1)} s)`, b, b),
              row(`gateway, during the load (${g.merged} rows merged; its tail ${g.tail.toFixed(1)} s)`, g, b),
            ]
          : []),
        ...(rounds.length > 1
          ? [
              '',
              `Quiet rounds: gateway/bare req/s ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)});` +
                ` bare/gateway main-thread CPU per request ${cpuRatios.map((x) => x.toFixed(2)).join(', ')} (median ${median(cpuRatios).toFixed(2)}).`,
            ]
          : []),
        '',
        `Gateway calls (the server's count): ${counts.received} received, ${counts.ok} answered 2xx, ${counts.failed} answered 4xx/5xx, ${unanswered} abandoned by wrk at the end of a run;` +
          ` call audit: ${Number(audit.all)} records, ${Number(audit.ok)} successful — ${auditMatches ? 'one per call' : 'NOT one per call'};` +
          ` chain ${chain.ok ? `verifies (${chain.checked} calls)` : `BROKEN at ${chain.broken?.seq} (${chain.broken?.check})`}.`,
        '',
      ].join('\n'),
    );
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    if (keep) console.log(`data folder kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
