/**
 * Serving during a load (issue 8): the latency of reads, and whether an API write completes,
 * while a 1,000,000-row collection merge holds SQLite's write lock — against the same server
 * with no load, in the same run.
 *
 *   npm run build && npx tsx bench/serving-during-load.ts [--rows 1000000] [--seconds 3] [--connections 4]
 *
 * Setup (not timed): a fresh data folder with the population resource and an admin token; the
 * built server (`kuaiji serve`, dist/) in a child process; the population CSV (seed 1, bench/out/).
 * Idle: `wrk --latency` from a second process against `/healthz` and `/api/v1/resources?limit=20`.
 * Under load, for each route: the CSV is uploaded through the API (a job in the server's worker
 * pool); when the job has read the whole file (staging ends, the merge follows) wrk runs against
 * the route for `--seconds`, and one `POST /api/v1/departments` is sent meanwhile: its status and
 * time are reported (it waits for the lock asynchronously, ADR 0017). Each route gets its own
 * load (seed 1, then seed 2: new keys, so both are full merges of 1,000,000 rows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildServices } from '../src/deps.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openSqlite } from '../src/storage/sqlite.js';
import { systemClock } from '../src/shared/clock.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import { freePort, readWrk, waitFor } from './http-load.js';
import { seedPopulationResource } from './collection-setup.js';
import { writePopulationFile } from './generators/population.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const ROUTES = ['/healthz', '/api/v1/resources?limit=20'];

type Latency = { route: string; rps: number; p50: number; p99: number; errors: number };

/** wrk in its own process (asynchronously: the bench keeps polling and writing meanwhile). */
function wrk(route: string, base: string, token: string, o: { seconds: number; connections: number }): Promise<Latency> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', '-H', `Authorization: Bearer ${token}`, base + route]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => reject(new Error(`wrk could not run (${err.message}); install it: apt-get install -y wrk`)));
    child.on('exit', () => {
      try {
        resolve({ route, ...readWrk(out) });
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

type Job = { id: string; status: string; bytes: { read: number; total: number | null }; error: string | null };

async function main() {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '3' }, connections: { type: 'string', default: '4' } },
  });
  const rows = Number(values.rows);
  const o = { seconds: Number(values.seconds), connections: Number(values.connections) };
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const files = [1, 2].map((seed) => path.join(ROOT, 'bench', 'out', `population-${rows}${seed === 1 ? '' : `-seed${seed}`}.csv`));
  for (const [i, f] of files.entries()) if (!existsSync(f)) await writePopulationFile('csv', rows, f, i + 1);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-serving-'));
  let server: ChildProcess | null = null;
  try {
    // Setup through the services: the resource and an admin token.
    const storage = openSqlite(path.join(dataDir, 'kuaiji.sqlite'));
    await migrateToLatest(storage);
    const services = buildServices(storage, systemClock, { dataDir });
    const admin = await services.identity.ensureFirstAdmin('admin', undefined);
    const resourceId = await seedPopulationResource(services);
    await services.jobs.stop();
    await storage.close();
    const token = admin!.token;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dataDir, KUAIJI_LOG_LEVEL: 'warn', PORT: String(port) };
    delete env.KUAIJI_DATABASE_URL;
    server = spawn(process.execPath, [CLI, 'serve'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`${base}/healthz`, server);
    const auth = { authorization: `Bearer ${token}` };

    // Warm-up (JIT, statement caches), not reported.
    for (const route of ROUTES) await wrk(route, base, token, { ...o, seconds: 1 });
    const idle: Latency[] = [];
    for (const route of ROUTES) idle.push(await wrk(route, base, token, o));

    const loaded: (Latency & { write: string; mergeRows: number; tail: number })[] = [];
    for (const [i, route] of ROUTES.entries()) {
      const file = files[i]!;
      const res = await fetch(`${base}/api/v1/resources/${resourceId}/uploads?mode=upsert&fileName=${path.basename(file)}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv', 'content-length': String(statSync(file).size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      const { job } = (await res.json()) as { job: Job };
      // Wait until the whole file is read: what follows is the end of staging and the merge.
      for (;;) {
        const j = (await (await fetch(`${base}/api/v1/collection/jobs/${job.id}`, { headers: auth })).json()) as Job;
        if (j.status === 'failed') throw new Error(`load failed: ${j.error}`);
        if (j.status === 'succeeded' || (j.bytes.total !== null && j.bytes.read >= j.bytes.total)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const fileRead = Date.now();
      const reads = wrk(route, base, token, o);
      const t0 = Date.now();
      const write = await fetch(`${base}/api/v1/departments`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `绍兴市基准测试局${i}`, uscc: buildUscc('11330600', `B910000${i}`), regionCode: '330600', kind: 'GOVERNMENT' }),
      });
      const writeText = `${write.status} in ${Date.now() - t0} ms`;
      const latency = await reads;
      let done: Job & { rows: { inserted: number } };
      for (;;) {
        done = (await (await fetch(`${base}/api/v1/collection/jobs/${job.id}`, { headers: auth })).json()) as typeof done;
        if (done.status !== 'running' && done.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (done.status !== 'succeeded') throw new Error(`load ${done.status}: ${done.error}`);
      // The end of staging and the merge, as seen by polling: the reads' window lies inside it when it is longer.
      const tail = (Date.now() - fileRead) / 1000;
      loaded.push({ ...latency, write: writeText, mergeRows: done.rows.inserted, tail });
    }

    const f = (x: number) => x.toFixed(2);
    process.stdout.write(
      `| route | idle p50 ms | idle p99 ms | idle req/s | during merge p50 ms | during merge p99 ms | during merge req/s | errors | API write during merge | load's tail s |\n|---|---|---|---|---|---|---|---|---|---|\n` +
        ROUTES.map((route, i) => {
          const a = idle[i]!;
          const b = loaded[i]!;
          return `| \`${route}\` | ${f(a.p50)} | ${f(a.p99)} | ${Math.round(a.rps)} | ${f(b.p50)} | ${f(b.p99)} | ${Math.round(b.rps)} | ${a.errors + b.errors} | ${b.write} | ${b.tail.toFixed(1)} |`;
        }).join('\n') +
        '\n',
    );
  } finally {
    server?.kill();
    if (server) await new Promise((r) => server!.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
