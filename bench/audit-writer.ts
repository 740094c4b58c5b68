/**
 * The gateway's call audit writer (ADR 0030, ADR 0038), without a server: --calls realistic gateway
 * calls (a UUIDv7-like id, keys [{ citizen_id }], 7 items, a Chinese purpose, one consumer and
 * interface of three) recorded through createThreadedCallRecorder against a fresh SQLite file and a
 * fresh PostgreSQL schema (127.0.0.1:5432/test, or KUAIJI_TEST_PG_URL; created and dropped here),
 * then flushed; the chain is verified afterwards. Each variant is measured in the same run, in
 * alternating rounds, so the figures share the machine's load:
 *   - `kysely`: ADR 0030's writer, kept as the anchor (the batch's statements built by Kysely:
 *     a 500-row multi-values INSERT per chunk, the head, the counts);
 *   - `direct`: ADR 0038's (on SQLite one prepared single-row INSERT per call in the batch's
 *     transaction on the thread's own better-sqlite3 connection; on PostgreSQL one INSERT … SELECT
 *     from a single JSON parameter per batch).
 *   Both post the calls as an array of objects (equal item lists shared since ADR 0038, so the
 *   anchor's main-thread figure is the new hand-over's too; ADR 0030's was measured before the change).
 * Per call: the whole process's CPU (process.cpuUsage: the writer thread, the main thread, GC and
 * the driver's threads) and the main thread's (/proc/self/task/<pid>/stat, 10 ms ticks), and
 * calls/s from the first record() to flush() resolving. Calls are built before the clock starts.
 *
 *   npx tsx bench/audit-writer.ts [--calls 200000] [--rounds 2] [--dialects sqlite,postgres] [--variants kysely,direct]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createThreadedCallRecorder, type ThreadedCallRecorderOptions } from '../src/modules/sharing/audit/call-writer-thread.js';
import { verifyCallChain } from '../src/modules/sharing/audit/verify-chain.js';
import type { GatewayCall } from '../src/modules/sharing/contracts.js';
import type { Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPostgres, withSearchPath } from '../src/storage/postgres.js';
import { openSqlite } from '../src/storage/sqlite.js';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '2' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    variants: { type: 'string', default: 'kysely,direct' },
  },
});
const CALLS = Number(args.calls);
const ROUNDS = Number(args.rounds);
const PG_URL = process.env.KUAIJI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ITEMS = ['citizen_id', 'name', 'sex', 'birth_date', 'address', 'phone', 'region_code'];
const PURPOSE = '不动产登记核验(基准测试)';
type Variant = NonNullable<ThreadedCallRecorderOptions['writer']>;

/** Gateway calls as gateway.ts builds them: fresh objects and arrays per call. */
function makeCalls(n: number, from: number): GatewayCall[] {
  const base = Date.UTC(2026, 11, 2, 3, 0, 0);
  const calls: GatewayCall[] = [];
  for (let i = from; i < from + n; i++) {
    const c = i % 3;
    const hex = randomBytes(16).toString('hex');
    calls.push({
      id: `019${hex.slice(0, 5)}-${hex.slice(5, 9)}-7${hex.slice(9, 12)}-8${hex.slice(12, 15)}-${hex.slice(15, 27)}`,
      at: new Date(base + Math.floor(i / 8)).toISOString(),
      consumerId: `00000000-0000-4000-8000-00000000000${c}`,
      departmentId: `00000000-0000-4000-9000-00000000000${c % 2}`,
      interfaceId: '00000000-0000-4000-a000-000000000001',
      interfaceCode: 'population-lookup',
      purpose: PURPOSE,
      keys: [{ citizen_id: `33060219${String(70 + (i % 30))}0101${String(i % 10_000).padStart(4, '0')}` }],
      items: ITEMS.slice(),
      rowCount: 1,
      status: i % 97 === 0 ? 404 : 200,
      errorCode: i % 97 === 0 ? 'RECORD_NOT_FOUND' : null,
      latencyMs: 0.412 + (i % 23) * 0.0371,
    });
  }
  return calls;
}

/** CPU µs of the main thread so far (utime + stime, in clock ticks of 10 ms). */
function mainThreadCpuUs(): number {
  const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

type Db = Storage & { drop(): Promise<void> };

async function fresh(dialect: string): Promise<Db> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kuaiji-audit-bench-'));
    const storage = openSqlite(path.join(dir, 'bench.sqlite'));
    await migrateToLatest(storage);
    return { ...storage, drop: async () => (await storage.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const storage = openPostgres(PG_URL, { schema, max: 2 });
  await migrateToLatest(storage);
  return {
    ...storage,
    url: withSearchPath(PG_URL, schema),
    async drop() {
      await storage.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

type Figures = { callsPerS: number; allUs: number; mainUs: number; otherUs: number };

async function measure(dialect: string, writer: Variant): Promise<Figures> {
  const db = await fresh(dialect);
  try {
    const recorder = createThreadedCallRecorder({ databaseUrl: db.url!, writer, onError: (err) => console.error('audit error', err) });
    // Warm-up (not timed): the thread starts (through tsx from sources) and its statements are compiled.
    for (const c of makeCalls(3000, 0)) recorder.record(c);
    await recorder.flush();
    const calls = makeCalls(CALLS, 3000);
    global.gc?.();
    const wall = performance.now();
    const all = process.cpuUsage();
    const main = mainThreadCpuUs();
    for (let i = 0; i < calls.length; i++) {
      recorder.record(calls[i]!);
      // The gateway records between requests: let the event loop turn every few hundred calls.
      if (i % 250 === 249) await new Promise(setImmediate);
    }
    await recorder.flush();
    const cpu = process.cpuUsage(all);
    const mainUs = mainThreadCpuUs() - main;
    const seconds = (performance.now() - wall) / 1000;
    await recorder.stop();
    const verdict = await verifyCallChain(db.db);
    if (!verdict.ok || verdict.checked !== CALLS + 3000) throw new Error(`the chain does not verify: ${JSON.stringify(verdict)}`);
    const allUs = (cpu.user + cpu.system) / CALLS;
    return { callsPerS: CALLS / seconds, allUs, mainUs: mainUs / CALLS, otherUs: allUs - mainUs / CALLS };
  } finally {
    await db.drop();
  }
}

const f1 = (n: number) => n.toFixed(1);
const results: Record<string, Figures[]> = {};
console.log(
  `${CALLS} calls per run, ${ROUNDS} rounds; load average at start: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  for (const dialect of args.dialects.split(',')) {
    for (const variant of args.variants.split(',') as Variant[]) {
      const r = await measure(dialect, variant);
      (results[`${dialect} ${variant}`] ??= []).push(r);
      console.log(
        `round ${round} ${dialect.padEnd(8)} ${variant.padEnd(7)} ${Math.round(r.callsPerS).toString().padStart(7)} calls/s  process ${f1(r.allUs).padStart(6)} µs/call  main ${f1(r.mainUs).padStart(5)}  other threads ${f1(r.otherUs).padStart(6)}  (load ${os.loadavg()[0]!.toFixed(2)})`,
      );
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('medians:');
for (const [k, rs] of Object.entries(results))
  console.log(
    `  ${k.padEnd(17)} ${Math.round(median(rs.map((r) => r.callsPerS)))} calls/s  process ${f1(median(rs.map((r) => r.allUs)))} µs/call  main ${f1(median(rs.map((r) => r.mainUs)))}  other ${f1(median(rs.map((r) => r.otherUs)))}`,
  );
