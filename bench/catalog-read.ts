/**
 * `GET /api/v1/resources?limit=20` through the built app, against a bare Fastify route running the
 * same SQL (compiled by the app's own repository, executed by a prepared better-sqlite3 statement),
 * both on the demo catalogue, both driven by `wrk` from a second process in the same run.
 *
 *   npm run build && npx tsx bench/catalog-read.ts [--seconds 10] [--connections 50] [--threads 2] [--rounds 3]
 *
 * Each round measures the app, then the bare route; the figures are the medians of the rounds
 * (on a shared machine one run alone says little).
 *
 * Prints req/s, p50 and p99 for both and the ratio; exits 1 when the floor (≥ 0.5× the bare
 * route's req/s and p99 ≤ 50 ms) is not met. Everything it creates is removed at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, readWrk, waitFor } from './http-load.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const PATH = '/api/v1/resources?limit=20';

type Result = { name: string; rps: number; p50: number; p99: number; errors: number };

function wrk(name: string, url: string, o: { seconds: number; connections: number; threads: number }): Result {
  const r = spawnSync('wrk', [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--latency', url], { encoding: 'utf8' });
  if (r.error) throw new Error(`wrk could not run (${r.error.message}); install it: apt-get install -y wrk`);
  return { name, ...readWrk(r.stdout, r.stderr) };
}

/** The bare route: Fastify, one prepared statement with the SQL the app's repository compiles. */
async function bare(port: number, file: string) {
  const [{ default: Fastify }, { default: Database }, { Kysely }, sqlite, { createResourcesRepository }, { scopeOf }] = await Promise.all([
    import('fastify'),
    import('better-sqlite3'),
    import('kysely'),
    import('../src/storage/sqlite.js'),
    import('../src/modules/catalog/resources/resources.repository.js'),
    import('../src/shared/access-scope.js'),
  ]);
  // Capture the compiled query of the repository's search for an anonymous caller, limit 20.
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<never>({
    dialect: new sqlite.ImmediateSqliteDialect({ database: sqlite.withBooleanParams(raw) }),
    log: (e) => void captured.push(e.query),
  });
  const repo = createResourcesRepository(sqlite.sqliteDialect);
  await repo.search(db as never, { limit: 20 } as never, scopeOf(null));
  const query = captured.at(-1)!;
  const params = query.parameters.map((p) => (p === true ? 1 : p === false ? 0 : p)) as unknown[];
  const stmt = raw.prepare(query.sql);
  const app = Fastify({ logger: false });
  app.get('/api/v1/resources', async () => ({ items: stmt.all(...params), nextCursor: null }));
  app.get('/healthz', async () => ({ ok: true }));
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`bare route on ${port}: ${query.sql}\n`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      threads: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      // /healthz on both: what the two servers cost before any catalogue work (the floor applies to the default).
      path: { type: 'string', default: PATH },
      bare: { type: 'string' },
      db: { type: 'string' },
    },
  });
  if (values.bare) return bare(Number(values.bare), values.db!);
  const o = { seconds: Number(values.seconds), connections: Number(values.connections), threads: Number(values.threads) };
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-bench-read-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dataDir, KUAIJI_LOG_LEVEL: 'warn' };
  delete env.KUAIJI_DATABASE_URL;
  const children: ChildProcess[] = [];
  try {
    const demo = spawnSync(process.execPath, [CLI, 'demo', '--scale', '0'], { env, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`kuaiji demo failed:\n${demo.stderr}`);
    const [appPort, barePort] = [await freePort(), await freePort()];
    const app = spawn(process.execPath, [CLI, 'serve'], { env: { ...env, PORT: String(appPort) }, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(app);
    const bareServer = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/catalog-read.ts'), '--bare', String(barePort), '--db', path.join(dataDir, 'kuaiji.sqlite')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    children.push(bareServer);
    await waitFor(`http://127.0.0.1:${appPort}/healthz`, app);
    await waitFor(`http://127.0.0.1:${barePort}/healthz`, bareServer);
    const appUrl = `http://127.0.0.1:${appPort}${values.path}`;
    const bareUrl = `http://127.0.0.1:${barePort}${values.path}`;
    if (values.path === PATH) {
      const [a, b] = await Promise.all([fetch(appUrl).then((r) => r.json()), fetch(bareUrl).then((r) => r.json())]);
      const counts = [(a as { items: unknown[] }).items.length, (b as { items: unknown[] }).items.length];
      if (counts[0] !== 20 || counts[1] !== 21)
        throw new Error(`expected 20 resources from the app and 21 rows (limit + 1) from the bare route, got ${counts.join(' and ')}`);
    }

    // Warm both (JIT, page cache), then measure each alone so they do not share the CPU.
    wrk('warm-up', appUrl, { ...o, seconds: 2 });
    wrk('warm-up', bareUrl, { ...o, seconds: 2 });
    const runs: [Result, Result][] = [];
    for (let i = 0; i < Number(values.rounds); i++) {
      runs.push([
        wrk(`app   GET ${values.path}`, appUrl, o),
        wrk(values.path === PATH ? 'bare  same SQL, bare Fastify' : `bare  GET ${values.path}`, bareUrl, o),
      ]);
      process.stdout.write(
        `round ${i + 1}: app ${runs[i]![0].rps.toFixed(0)} req/s p99 ${runs[i]![0].p99} ms · bare ${runs[i]![1].rps.toFixed(0)} req/s p99 ${runs[i]![1].p99} ms\n`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const med = (k: 0 | 1): Result => ({
      name: runs[0]![k].name,
      rps: median(runs.map((r) => r[k].rps)),
      p50: median(runs.map((r) => r[k].p50)),
      p99: median(runs.map((r) => r[k].p99)),
      errors: runs.reduce((n, r) => n + r[k].errors, 0),
    });
    const results = [med(0), med(1)];
    const [appR, bareR] = results as [Result, Result];
    process.stdout.write(
      `\nwrk -t${o.threads} -c${o.connections} -d${o.seconds}s, median of ${runs.length} rounds, ${os.cpus().length} CPUs (load ${os.loadavg()[0]!.toFixed(1)}), Node ${process.version}\n`,
    );
    for (const r of results) {
      process.stdout.write(
        `${r.name.padEnd(38)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `   ${r.errors} errors` : ''}\n`,
      );
    }
    const ratio = appR.rps / bareR.rps;
    const ok = ratio >= 0.5 && appR.p99 <= 50 && appR.errors === 0;
    process.stdout.write(`ratio app/bare: ${ratio.toFixed(2)}×   floor (≥ 0.50×, p99 ≤ 50 ms): ${ok ? 'met' : 'NOT met'}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
