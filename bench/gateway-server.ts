/**
 * The server bench/gateway.ts measures, in a child process: the built app (dist/) started as
 * `kuaiji serve` starts it (src/main.ts), plus what only the benchmark needs:
 *   GET /bench/bare?citizen_id=…  the gateway's single-key lookup without its pipeline: the same
 *                                 record reader call (same items), no authentication, grant,
 *                                 quota, purpose, masking or audit — the anchor;
 *   GET /bench/calibration?citizen_id=…  the floor of any route of this app: one prepared
 *                                 better-sqlite3 statement on a connection of its own, the row as
 *                                 the database gives it (no reader, no types, no masks);
 *   GET /bench/counts             gateway calls counted: received, and answered by status class
 *                                 (to compare with the call audit afterwards; each process also
 *                                 writes its own to bench-counts-<pid>.json as it closes);
 *   GET /bench/elu                the main thread's event-loop utilisation (active and idle ms);
 *   GET /bench/cpu                CPU time used so far (µs): the main threads' and the whole
 *                                 processes' (every serving process of the primary when several serve).
 *   GET /bench/stalls             since the last call: the main thread's garbage collections (count,
 *                                 total and longest pause, ms) and its event-loop delay (p99, max, ms) —
 *                                 where a run's p99 comes from; the call resets them.
 *   POST /bench/profile/start     start a CPU profile of the main thread (sampling every 100 µs);
 *   POST /bench/profile/stop?file=…  stop it and write it there (.cpuprofile, for one measured run).
 * It is src/main.ts's start() itself (with KUAIJI_SERVE_PROCESSES, its serving processes), so SIGTERM
 * closes it as main.ts does: the app, then the modules (the call recorder flushes), then the database.
 * Every endpoint but /bench/cpu answers for the one process that took the connection.
 *   env: the usual KUAIJI_* and PORT, BENCH_RESOURCE_ID, BENCH_ITEMS (comma-separated item codes)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import Database from 'better-sqlite3';
import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const DIST = path.resolve(import.meta.dirname, '..', 'dist', 'src');
const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(DIST, file)).href) as Promise<T>;

type RecordKey = Record<string, string>;
type Reader = { get(entry: unknown, access: unknown, key: RecordKey, query: { items: string[] }): Promise<unknown> };
type Deps = import('../src/deps.js').Deps;

const { loadConfig } = await load<typeof import('../src/config.js')>('config.js');
const { start } = await load<typeof import('../src/main.js')>('main.js');

// The product's own start (src/main.ts): migrate, modules, app, listen, SIGTERM — and with
// KUAIJI_SERVE_PROCESSES > 1 its serving processes; each adds the benchmark's routes before it listens.
await start(loadConfig(), { onApp: addBenchRoutes });

async function addBenchRoutes(app: FastifyInstance, { services }: Deps) {
  const resourceId = process.env.BENCH_RESOURCE_ID!;
  const items = (process.env.BENCH_ITEMS ?? '').split(',').filter((s) => s.length > 0);
  const resource = await services.catalogReader.resource(resourceId, 'all');
  if (!resource) throw new Error(`BENCH_RESOURCE_ID ${resourceId}: no such resource`);
  const entry = { id: resource.id, providerDepartmentId: resource.providerDepartmentId, classified: resource.classified, items: resource.items ?? [] };
  const reader = (services.modules.find((m) => m.name === 'collection') as unknown as { reader: Reader }).reader;
  const access = { actor: null, scope: { departmentId: resource.providerDepartmentId }, masked: false, audit: false };
  app.get('/bench/bare', async (request) => {
    const { citizen_id } = request.query as { citizen_id?: string };
    const record = await reader.get(entry, access, { citizen_id: citizen_id ?? '' }, { items });
    return { data: record };
  });

  // The calibration route: what Fastify, this app's global hooks and one SQLite key lookup cost alone.
  let calibration: Database.Statement | null = null;
  app.get('/bench/calibration', async (request) => {
    if (!calibration) {
      const file = path.join(process.env.KUAIJI_DATA_DIR!, 'kuaiji.sqlite');
      const own = new Database(file, { readonly: true });
      const { table_name } = own.prepare('select table_name from record_tables where resource_id = ?').get(resourceId) as { table_name: string };
      calibration = own.prepare(`select ${items.map((i) => `"${i}"`).join(', ')} from "${table_name}" where citizen_id = ? and _deleted = 0`);
    }
    const { citizen_id } = request.query as { citizen_id?: string };
    return { data: calibration.get(citizen_id ?? '') ?? null };
  });

  // Gateway calls received, and answered by status class: a call wrk abandons when its time is up
  // (it closes its connections) is received and audited, but never answered.
  const counts = { received: 0, ok: 0, failed: 0 };
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/gateway/')) counts.received += 1;
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (request.url.startsWith('/gateway/')) counts[reply.statusCode < 400 ? 'ok' : 'failed'] += 1;
    done();
  });
  app.get('/bench/counts', async () => counts);
  // Each serving process leaves its own counts in the data folder as it closes (bench-counts-<pid>.json):
  // with KUAIJI_SERVE_PROCESSES > 1 the benchmark adds them up once the server has stopped.
  app.addHook('onClose', (_app, done) => {
    writeFileSync(path.join(process.env.KUAIJI_DATA_DIR!, `bench-counts-${process.pid}.json`), JSON.stringify(counts));
    done();
  });
  // The main thread's event-loop utilisation so far (ms active and idle): the bench divides the active
  // time of a run by its requests, a cost per call that the machine's other load disturbs less than req/s.
  // With several serving processes: this process's alone.
  app.get('/bench/elu', async () => performance.eventLoopUtilization());
  // CPU time used so far (µs) by the main threads of the serving processes and by the whole processes
  // (every thread) — this one, or with KUAIJI_SERVE_PROCESSES > 1 every worker of its primary (Linux:
  // /proc/<pid>/stat and /proc/<pid>/task/<pid>/stat, in clock ticks of 10 ms). Unlike req/s and
  // event-loop utilisation, CPU time does not grow while the machine's other work keeps a thread waiting.
  app.get('/bench/cpu', async () => {
    const ticks = (file: string) => {
      const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10_000;
    };
    const pids = cluster.isWorker ? readFileSync(`/proc/${process.ppid}/task/${process.ppid}/children`, 'utf8').trim().split(/\s+/).map(Number) : [process.pid];
    let main = 0;
    let all = 0;
    for (const pid of pids) {
      try {
        main += ticks(`/proc/${pid}/task/${pid}/stat`);
        all += ticks(`/proc/${pid}/stat`);
      } catch {
        return { main: null, all: null, processes: pids.length };
      }
    }
    return { main, all, processes: pids.length };
  });

  // Where the tail comes from: garbage-collection pauses of this thread and the event loop's delay.
  const gc = { count: 0, ms: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count += 1;
      gc.ms += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  app.get('/bench/stalls', async () => {
    const out = { gc: { ...gc }, loopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 } };
    Object.assign(gc, { count: 0, ms: 0, maxMs: 0 });
    loopDelay.reset();
    return out;
  });

  // One measured run's CPU profile (bench/gateway.ts --cpu-prof): the inspector of this thread, not
  // node --cpu-prof, so set-up and the other runs stay out of it.
  let profiler: Session | null = null;
  app.post('/bench/profile/start', async () => {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.post('Profiler.start');
    return { started: true };
  });
  app.post('/bench/profile/stop', async (request) => {
    const { file } = request.query as { file: string };
    if (!profiler) return { written: null };
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    writeFileSync(file, JSON.stringify(profile));
    return { written: file };
  });
}
