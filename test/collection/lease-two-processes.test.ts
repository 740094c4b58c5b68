import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServices, type Services } from '../../src/deps.js';
import { processOwner } from '../../src/jobs/lease.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, seedRegions } from '../factories.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROWS = 200_000;
/** Short leases, so the CLI's load outlives many of them: only its heartbeats keep its job. */
const LEASE = { leaseMs: 2_000, heartbeatMs: 500 };

/**
 * A CLI load (`kuaiji collect load`, a real second process) and a server starting on the same
 * database (issue 8): the server's start and its lease watch leave the CLI's job alone while the
 * CLI heartbeats, and the batch is loaded once; a CLI killed mid-load has its job taken over.
 */
describeEachDialect('collection: a CLI load and a server start on one database', (fresh) => {
  let db: TestDb;
  let server: Services;
  let dir: string;
  let resourceCode: string;
  let resourceId: string;
  const logs: { msg: string; [k: string]: unknown }[] = [];

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-lease-'));
    server = buildServices(db, undefined, { dataDir: dir, jobLease: LEASE });
    await seedRegions(server);
    const dept = await server.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市公安局' }));
    const resource = await server.resources.create(SYSTEM_ACTOR, peopleResource(dept.id));
    resourceCode = resource.code;
    resourceId = resource.id;
    fs.writeFileSync(path.join(dir, 'first.csv'), peopleCsv(1, ROWS));
    fs.writeFileSync(path.join(dir, 'second.csv'), peopleCsv(ROWS + 1, 2 * ROWS));
    fs.writeFileSync(path.join(dir, 'third.csv'), peopleCsv(2 * ROWS + 1, 3 * ROWS));
  }, 60_000);
  afterAll(async () => {
    for (const m of [...server.modules].reverse()) await m.stop?.();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function cli(file: string, batchId: string): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUAIJI_DATA_DIR: dir,
      KUAIJI_DATABASE_URL: db.url!,
      KUAIJI_LOG_LEVEL: 'silent',
      KUAIJI_JOB_LEASE_S: String(LEASE.leaseMs / 1000),
      KUAIJI_JOB_HEARTBEAT_S: String(LEASE.heartbeatMs / 1000),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'collect', 'load', resourceCode, path.join(dir, file), '--batch-id', batchId],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out }))) };
  }

  const jobOf = (batchId: string) => db.db.selectFrom('collection_jobs').selectAll().where('batch_id', '=', batchId).execute();

  /** Waits until the CLI's job is running and has read rows. */
  async function reading(batchId: string) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [job] = await jobOf(batchId);
      if (job?.status === 'running' && Number(job.rows_read) > 0) return job;
      if (job && !['queued', 'running'].includes(job.status)) throw new Error(`the load ended (${job.status}) before the server started: make the file larger`);
      if (Date.now() > deadline) throw new Error(`the load never started: ${job?.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const liveCount = async () => {
    const table = await db.db.selectFrom('record_tables').select(['table_name', 'live_count']).where('resource_id', '=', resourceId).executeTakeFirst();
    if (!table) return { registered: 0, actual: 0 };
    const actual = await db.db
      .selectFrom(table.table_name as 'record_tables')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { registered: Number(table.live_count), actual: Number(actual.n) };
  };

  it("leaves a running CLI load alone at start and while its lease lives: the batch runs once, in the CLI's process", async () => {
    const load = cli('first.csv', 'both-1');
    const before = await reading('both-1');
    expect(before.owner).toMatch(new RegExp(`^${load.child.pid}@`));

    // The server starts on the same database while the CLI is loading: recovery, then the lease watch.
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    for (const m of server.modules) await m.start?.({ logger });
    expect(logs.find((l) => l.msg.includes('another process is running were left to it'))).toMatchObject({ jobs: 1 });

    const { code, out } = await load.done;
    expect(out).toContain(`Loaded batch both-1`);
    expect(code).toBe(0);
    const rows = await jobOf('both-1');
    expect(rows).toHaveLength(1);
    const [job] = rows;
    // One attempt, started once, by the CLI: the server never queued or ran it.
    expect(job).toMatchObject({ status: 'succeeded', owner: before.owner, started_at: before.started_at, lease_until: null });
    expect(Number(job!.attempts)).toBe(1);
    expect([job!.rows_read, job!.rows_inserted, job!.rows_updated, job!.rows_unchanged].map(Number)).toEqual([ROWS, ROWS, 0, 0]);
    expect(await liveCount()).toEqual({ registered: ROWS, actual: ROWS });
    expect(logs.filter((l) => l.msg.includes('were recovered') || l.msg.includes('left unfinished'))).toEqual([]);
  }, 180_000);

  it('takes over the job of a CLI killed mid-load (its process is gone) and loads the batch exactly once', async () => {
    const load = cli('second.csv', 'both-2');
    await reading('both-2');
    load.child.kill('SIGKILL');
    await load.done;
    // The server's lease watch finds the job's process gone and runs the batch again from the start.
    const deadline = Date.now() + 120_000;
    let job = (await jobOf('both-2'))[0]!;
    while (job.status !== 'succeeded') {
      if (Date.now() > deadline) throw new Error(`the job was not recovered: ${job.status} ${job.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
      job = (await jobOf('both-2'))[0]!;
    }
    expect(job.owner).toBe(processOwner());
    expect(Number(job.attempts)).toBe(2);
    expect([job.rows_read, job.rows_inserted].map(Number)).toEqual([ROWS, ROWS]);
    expect(await liveCount()).toEqual({ registered: 2 * ROWS, actual: 2 * ROWS });
    expect(logs.find((l) => l.msg.includes('whose process went away were recovered'))).toMatchObject({ requeued: 1 });
  }, 180_000);

  it('a run whose job another process took over stores nothing: its merge commits only under its own lease', async () => {
    const before = await liveCount();
    const submitted = await server.collection.upload(SYSTEM_ACTOR, {
      resourceId,
      body: fs.createReadStream(path.join(dir, 'third.csv')),
      contentType: undefined,
      fileName: 'third.csv',
      mode: 'upsert',
      batchId: 'both-3',
    });
    await reading('both-3');
    // Another process claims the job while this one reads (as after a lease this process failed to extend).
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await db.db.updateTable('collection_jobs').set({ owner: 'another-process', lease_until: until }).where('id', '=', submitted.job.id).execute();
    await server.jobs.waitFor(submitted.job.id);
    const [job] = await jobOf('both-3');
    // Left as the new holder has it: not succeeded, not failed by the first process, and no row of it merged.
    expect(job).toMatchObject({ status: 'running', owner: 'another-process', lease_until: until });
    expect(Number(job!.rows_inserted)).toBe(0);
    expect(await liveCount()).toEqual(before);
  }, 180_000);
});
