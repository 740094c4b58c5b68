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
 *                                 (to compare with the call audit afterwards);
 *   GET /bench/elu                the main thread's event-loop utilisation (active and idle ms);
 *   GET /bench/cpu                CPU time used so far: the main thread's and the whole process's (µs).
 *   POST /bench/profile/start     start a CPU profile of the main thread (sampling every 100 µs);
 *   POST /bench/profile/stop?file=…  stop it and write it there (.cpuprofile, for one measured run).
 * SIGTERM closes it as main.ts does: the app, then the modules (the call recorder flushes), then
 * the database.
 *   env: the usual KUAIJI_* and PORT, BENCH_RESOURCE_ID, BENCH_ITEMS (comma-separated item codes)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import Database from 'better-sqlite3';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const DIST = path.resolve(import.meta.dirname, '..', 'dist', 'src');
const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(DIST, file)).href) as Promise<T>;

type RecordKey = Record<string, string>;
type Reader = { get(entry: unknown, access: unknown, key: RecordKey, query: { items: string[] }): Promise<unknown> };

const { loadConfig } = await load<typeof import('../src/config.js')>('config.js');
const { buildDeps } = await load<typeof import('../src/deps.js')>('deps.js');
const { buildApp } = await load<typeof import('../src/app.js')>('app.js');
const { migrateToLatest } = await load<typeof import('../src/storage/migrate.js')>('storage/migrate.js');

const config = loadConfig();
const { logger, services } = buildDeps(config);
await migrateToLatest(services.storage);
await services.identity.ensureFirstAdmin(config.adminUsername, config.adminToken);
for (const m of services.modules) await m.start?.({ logger });
const app = await buildApp(services, { logger, bodyLimitBytes: config.bodyLimitBytes });

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
// The main thread's event-loop utilisation so far (ms active and idle): the bench divides the active
// time of a run by its requests, a cost per call that the machine's other load disturbs less than req/s.
app.get('/bench/elu', async () => performance.eventLoopUtilization());
// CPU time used so far (µs): by the main thread alone (Linux: /proc/<pid>/task/<pid>/stat, in clock
// ticks of 10 ms) and by the whole process (every thread). Unlike req/s and event-loop utilisation,
// CPU time does not grow while the machine's other work keeps the thread waiting for a core.
app.get('/bench/cpu', async () => {
  const all = process.cpuUsage();
  let main: number | null = null;
  try {
    const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    main = (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    main = null;
  }
  return { main, all: all.user + all.system };
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

await app.listen({ port: config.port, host: config.host });
process.stdout.write(`listening on ${config.port}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    for (const m of [...services.modules].reverse()) await m.stop?.();
    await services.storage.close();
    process.exit(0);
  })();
});
