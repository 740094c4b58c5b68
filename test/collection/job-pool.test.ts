import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJobKind, JobEnded } from '../../src/jobs/job-kind.js';
import { createWorkerPool, type WorkerPool } from '../../src/jobs/worker-pool.js';
import { createAuditor } from '../../src/modules/audit/index.js';
import type { LoadInput, LoadOutput } from '../../src/modules/collection/jobs/job-kinds.js';
import { createJobsRepository, type JobRow } from '../../src/modules/collection/jobs/jobs.repository.js';
import { createJobsService, type JobsService } from '../../src/modules/collection/jobs/jobs.service.js';
import { createCatalogExcelService, type ImportProgress } from '../../src/modules/catalog/excel/excel.service.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';
import type { PoolTestInput } from './fixtures/pool-test.job.js';

const testKind = defineJobKind<PoolTestInput, { value?: string; threadId: number }>('test.pool', new URL('./fixtures/pool-test.job.js', import.meta.url));
const misbehavingLoad = defineJobKind<LoadInput, LoadOutput>('test.misbehaving-load', new URL('./fixtures/misbehaving-load.job.js', import.meta.url));

const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, reason: (err as JobEnded).reason, message: (err as Error).message }),
  );

describe('worker pool: generic job kinds', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = createWorkerPool({ concurrency: 2, heapMb: 64 });
    pool.register(testKind);
  });
  afterAll(() => pool.stop());

  it('runs a registered kind in a worker thread and relays its progress', async () => {
    const progress: unknown[] = [];
    const res = await pool.run(testKind, { action: 'echo', value: 'hello' }, { onProgress: (p) => progress.push(p) }).result;
    expect(res.value).toBe('hello');
    expect(res.threadId).not.toBe(threadId);
    expect(progress).toEqual([{ step: 1 }]);
  });

  it('refuses a kind that was never registered', () => {
    const unknown = defineJobKind<PoolTestInput, unknown>('test.unknown', new URL('./fixtures/pool-test.job.js', import.meta.url));
    expect(() => pool.run(unknown, { action: 'echo' })).toThrow(/not registered/);
  });

  it('fails a job whose worker passes its heap limit, alone, and runs the next job in a new worker', async () => {
    const [bomb, beside] = await Promise.all([
      outcome(pool.run(testKind, { action: 'eat-memory' }).result),
      outcome(pool.run(testKind, { action: 'echo', value: 'beside' }).result),
    ]);
    expect(bomb).toEqual({ ok: false, reason: 'out-of-memory', message: expect.stringContaining('ran out of memory') });
    expect(bomb.ok === false && bomb.message).toContain('64 MB');
    expect(beside).toMatchObject({ ok: true, value: { value: 'beside' } });
    expect(await pool.run(testKind, { action: 'echo', value: 'after' }).result).toMatchObject({ value: 'after' });
  });

  it('fails a job whose worker exits or throws, with the reason in plain words', async () => {
    expect(await outcome(pool.run(testKind, { action: 'exit' }).result)).toEqual({
      ok: false,
      reason: 'crashed',
      message: expect.stringContaining('exit code 3'),
    });
    expect(await outcome(pool.run(testKind, { action: 'throw', value: 'x' }).result)).toEqual({ ok: false, reason: 'failed', message: 'refused x' });
  });

  it('fails a job whose input cannot cross threads, and keeps the worker', async () => {
    const bad = { action: 'echo', value: (() => 'x') as unknown as string } as PoolTestInput;
    expect(await outcome(pool.run(testKind, bad).result)).toMatchObject({
      ok: false,
      reason: 'failed',
      message: expect.stringContaining('cannot cross threads'),
    });
    expect(await pool.run(testKind, { action: 'echo', value: 'still here' }).result).toMatchObject({ value: 'still here' });
  });

  it('ends a job at its time limit', async () => {
    const t0 = Date.now();
    const r = await outcome(pool.run(testKind, { action: 'hang' }, { timeLimitMs: 300 }).result);
    expect(r).toEqual({ ok: false, reason: 'time-limit', message: expect.stringContaining('exceeded its time limit of 0.3 s') });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('cancels a queued job at once and a running one by ending its worker', async () => {
    const one = createWorkerPool({ concurrency: 1, heapMb: 64 });
    one.register(testKind);
    try {
      const running = one.run(testKind, { action: 'hang' });
      const queued = one.run(testKind, { action: 'echo', value: 'never' });
      await new Promise((r) => setTimeout(r, 100));
      expect(one.isRunning(running.id)).toBe(true);
      expect(one.cancel(queued.id)).toBe(true);
      expect(await outcome(queued.result)).toMatchObject({ ok: false, reason: 'cancelled' });
      expect(one.isRunning(running.id)).toBe(true);
      expect(one.cancel(running.id)).toBe(true);
      expect(await outcome(running.result)).toMatchObject({ ok: false, reason: 'cancelled' });
      expect(one.cancel(running.id)).toBe(false);
      expect(await one.run(testKind, { action: 'echo', value: 'next' }).result).toMatchObject({ value: 'next' });
    } finally {
      await one.stop();
    }
  });

  it('keeps a worker for other jobs while a capped group hangs', async () => {
    pool.limitGroup('hangs', 1);
    const hung = [pool.run(testKind, { action: 'hang' }, { group: 'hangs' }), pool.run(testKind, { action: 'hang' }, { group: 'hangs' })];
    const other = await pool.run(testKind, { action: 'echo', value: 'not starved' }).result;
    expect(other.value).toBe('not starved');
    expect(hung.filter((h) => pool.isRunning(h.id))).toHaveLength(1);
    for (const h of hung) pool.cancel(h.id);
    await Promise.all(hung.map((h) => outcome(h.result)));
  });
});

describeEachDialect('collection jobs in the worker pool', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  let dir: string;
  const repo = createJobsRepository();
  const services: { jobs: JobsService; pool: WorkerPool }[] = [];

  /** A jobs service whose loads fail as their batch id says (see misbehaving-load.job.ts). */
  function faultyJobs(options: { concurrency?: number; timeLimitMs?: number } = {}) {
    const pool = createWorkerPool({ concurrency: options.concurrency ?? 2, heapMb: 256 });
    const auditor = createAuditor({ db: db.db, dialect: db.dialect, clock: systemClock });
    const jobs = createJobsService({
      db: db.db,
      clock: systemClock,
      auditor,
      catalog: t.services.catalogReader,
      databaseUrl: db.url,
      dataDir: dir,
      pool,
      loadKind: misbehavingLoad,
      timeLimitMs: options.timeLimitMs,
    });
    services.push({ jobs, pool });
    return jobs;
  }

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-pool-'));
    t = await buildTestApp(db, { dataDir: dir });
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
  });
  afterAll(async () => {
    for (const s of services) await s.jobs.stop();
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let fileNo = 0;
  const csv = (from: number, to: number) => {
    const file = path.join(dir, `in-${++fileNo}.csv`);
    fs.writeFileSync(file, peopleCsv(from, to));
    return file;
  };
  const submit = (jobs: JobsService, batchId: string, file = csv(1, 5), over: { timeLimitMs?: number } = {}) =>
    jobs.submitFile(SYSTEM_ACTOR, { resourceId, batchId, filePath: file, format: 'csv', mode: 'upsert', sourceKind: 'file', sourceRef: 'test.csv', ...over });
  const until = async (id: string, ok: (j: JobRow) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const j = await repo.find(db.db, id);
      if (j && ok(j)) return j;
      if (Date.now() > deadline) throw new Error(`job ${id} stayed ${j?.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const total = async () => (await t.services.collection.records(SYSTEM_ACTOR, resourceId, undefined, 1)).total;

  it('fails a load whose worker passes its heap limit with the reason; the next load succeeds', async () => {
    const jobs = faultyJobs();
    const bomb = await submit(jobs, 'oom-1');
    const failed = await jobs.waitFor(bomb.job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('ran out of memory') });
    expect(failed.error).toContain('256 MB');
    const next = await jobs.waitFor((await submit(jobs, 'good-1', csv(1, 20))).job.id);
    expect(next).toMatchObject({ status: 'succeeded', rows: { inserted: 20 } });
    expect(await total()).toBe(20);
  }, 60_000);

  it('ends a load at its time limit and stores nothing of it', async () => {
    const jobs = faultyJobs({ timeLimitMs: 60_000 });
    const before = await total();
    const own = await jobs.waitFor((await submit(jobs, 'hang-limit', csv(100, 110), { timeLimitMs: 400 })).job.id);
    expect(own).toMatchObject({ status: 'failed', timeLimitS: 0.4, error: expect.stringContaining('exceeded its time limit of 0.4 s') });
    // Without its own limit, the platform default applies.
    const platform = faultyJobs({ timeLimitMs: 300 });
    const byDefault = await platform.waitFor((await submit(platform, 'hang-default')).job.id);
    expect(byDefault).toMatchObject({ status: 'failed', timeLimitS: null, error: expect.stringContaining('time limit of 0.3 s') });
    expect(await total()).toBe(before);
  }, 60_000);

  it('cancels a queued job at once and a running one by ending its worker', async () => {
    const jobs = faultyJobs({ concurrency: 1 });
    const running = await submit(jobs, 'hang-cancel');
    const queued = await submit(jobs, 'good-cancel', csv(200, 210));
    await until(running.job.id, (j) => j.status === 'running');
    expect(await jobs.cancel(SYSTEM_ACTOR, queued.job.id)).toMatchObject({
      status: 'cancelled',
      cancelRequested: true,
      error: expect.stringContaining('nothing of it was stored'),
    });
    expect(await jobs.cancel(SYSTEM_ACTOR, running.job.id)).toMatchObject({ status: 'cancelled', attempts: 1 });
    await expect(jobs.cancel(SYSTEM_ACTOR, running.job.id)).rejects.toMatchObject({ code: 'JOB_FINISHED' });
    expect(await total()).toBe(20);
    // Sending the cancelled batch again runs it.
    const again = await jobs.waitFor((await submit(jobs, 'good-cancel', csv(200, 210))).job.id);
    expect(again).toMatchObject({ status: 'succeeded', attempts: 1, cancelRequested: false, rows: { inserted: 11 } });
  }, 60_000);

  it('a job shows its phase: queued, then merging while its worker merges, then done', async () => {
    const jobs = faultyJobs({ concurrency: 1 });
    const merging = await submit(jobs, 'merge-phase');
    const queued = await submit(jobs, 'good-phase', csv(300, 304));
    expect((await jobs.get(SYSTEM_ACTOR, queued.job.id)).phase).toBe('queued');
    for (let polls = 0; (await jobs.get(SYSTEM_ACTOR, merging.job.id)).phase !== 'merging'; polls++) {
      if (polls > 1200) throw new Error('the job never showed its merge');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await jobs.get(SYSTEM_ACTOR, merging.job.id)).toMatchObject({ status: 'running', phase: 'merging', rows: { read: 0 } });
    expect(await jobs.cancel(SYSTEM_ACTOR, merging.job.id)).toMatchObject({ status: 'cancelled', phase: 'done' });
    expect(await jobs.waitFor(queued.job.id)).toMatchObject({ status: 'succeeded', phase: 'done' });
  }, 60_000);

  it('two hung pulls cannot hold both workers: a file load still runs beside them', async () => {
    const jobs = faultyJobs({ concurrency: 2 });
    const pull = (n: number) =>
      jobs.submitSource(SYSTEM_ACTOR, {
        resourceId,
        sourceId: `source-${n}`,
        sourceKind: 'postgres',
        sourceRef: 'postgres hr',
        mode: 'upsert',
        batchId: `hang-pull-${n}`,
        timeLimitMs: 60_000,
      });
    const pulls = [(await pull(1)).job.id, (await pull(2)).job.id];
    await until(pulls[0]!, (j) => j.status === 'running');
    const file = await jobs.waitFor((await submit(jobs, 'good-beside-pulls', csv(500, 504))).job.id);
    expect(file.status).toBe('succeeded');
    // The second pull waited for the first (pulls share all workers but one) …
    expect((await repo.find(db.db, pulls[1]!))!.status).toBe('queued');
    expect((await jobs.get(SYSTEM_ACTOR, pulls[0]!)).timeLimitS).toBe(60);
    for (const id of pulls) expect(await jobs.cancel(SYSTEM_ACTOR, id)).toMatchObject({ status: 'cancelled' });
  }, 60_000);

  it("takes a load's time limit from the upload and a pull's from its saved source", async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&batchId=limited&timeLimitS=90&wait=true`,
      headers: { ...bearer(t.deptA.token), 'content-type': 'text/csv' },
      payload: peopleCsv(600, 601),
    });
    expect(up.json()).toMatchObject({ job: { status: 'succeeded', timeLimitS: 90 } });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/collection/sources',
      headers: bearer(t.deptA.token),
      payload: {
        resourceId,
        name: '人社库',
        kind: 'postgres',
        schedule: 'manual',
        timeLimitS: 1,
        config: { url: 'postgres://hr:pw@10.0.0.5:5432/hr', table: 'hr.persons' },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ timeLimitS: 1 });
    const run = await t.app.inject({ method: 'POST', url: `/api/v1/collection/sources/${created.json().id}/run?wait=true`, headers: bearer(t.deptA.token) });
    // 10.0.0.5 is unreachable here: the pull fails, by its limit at the latest.
    expect(run.json()).toMatchObject({ job: { status: 'failed', timeLimitS: 1 } });
  }, 60_000);

  it('retries a job that was running when the process stopped once, and never again', async () => {
    // First process: the job starts, and the process stops while it runs.
    const first = faultyJobs();
    const job = (await submit(first, 'hang-poison', csv(300, 305))).job;
    await until(job.id, (j) => j.status === 'running' && j.attempts === 1);
    await first.stop();
    // Second start: recovered once, started again (attempt 2), and the process stops again.
    const second = faultyJobs();
    expect(await second.recover()).toMatchObject({ requeued: 1, failed: 0 });
    await until(job.id, (j) => j.status === 'running' && j.attempts === 2);
    await second.stop();
    // Third start: not retried.
    const third = faultyJobs();
    expect(await third.recover()).toEqual({ requeued: 0, interrupted: 0, failed: 1, cancelled: 0, leftRunning: 0 });
    expect(await third.get(SYSTEM_ACTOR, job.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('stopped the process twice; not retried') });
    await third.drained();
    expect((await repo.find(db.db, job.id))!.status).toBe('failed');
  }, 60_000);

  it('cancels over HTTP: the provider department or an admin; 404 for others; 409 once ended', async () => {
    const jobs = faultyJobs({ concurrency: 1 });
    const before = await total();
    // A job left running by another process: its cancel is recorded, and honoured at the next start.
    const at = new Date().toISOString();
    const elsewhere: JobRow = {
      id: newId(),
      resource_id: resourceId,
      batch_id: 'elsewhere',
      source_kind: 'file',
      source_ref: 'x.csv',
      source_id: null,
      format: 'csv',
      encoding: null,
      mode: 'upsert',
      file_path: csv(400, 401),
      file_bytes: 10,
      status: 'running',
      rows_read: 0,
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      rows_rejected: 0,
      rows_deleted: 0,
      bytes_read: 0,
      watermark: null,
      error: null,
      options: '{}',
      submitted_by: 'admin',
      created_at: at,
      started_at: at,
      finished_at: null,
      updated_at: at,
    };
    await repo.insert(db.db, elsewhere);
    const url = `/api/v1/collection/jobs/${elsewhere.id}/cancel`;
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/collection/jobs/nope/cancel', headers: bearer(t.adminToken) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.auditorToken) })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url, headers: bearer(t.deptA.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'running', cancelRequested: true });
    expect(await jobs.recover()).toMatchObject({ cancelled: 1 });
    expect((await t.services.jobs.get(SYSTEM_ACTOR, elsewhere.id)).status).toBe('cancelled');
    const ended = await t.app.inject({ method: 'POST', url, headers: bearer(t.adminToken) });
    expect(ended.statusCode).toBe(409);
    expect(ended.json()).toMatchObject({ code: 'JOB_FINISHED' });

    // A load the server itself runs: cancelled through the route while it reads.
    const file = csv(1000, 200_000);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?format=csv&batchId=big-cancel`,
      headers: { ...bearer(t.deptA.token), 'content-type': 'text/csv' },
      payload: fs.readFileSync(file),
    });
    expect(up.statusCode).toBe(202);
    const id = (up.json() as { job: { id: string } }).job.id;
    await until(id, (j) => j.status === 'running');
    const cancelled = await t.app.inject({ method: 'POST', url: `/api/v1/collection/jobs/${id}/cancel`, headers: bearer(t.deptA.token) });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect(await total()).toBe(before);
  }, 120_000);
});

describeEachDialect('catalogue import in the worker pool', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const workbook = async (rows: unknown[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('信息资源目录');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };
  const header = [
    '信息资源代码',
    '信息资源名称',
    '资源分类',
    '提供方',
    '提供方代码',
    '资源摘要',
    '格式分类',
    '共享类型',
    '共享条件',
    '共享方式',
    '开放类型',
    '开放条件',
    '开放领域',
    '更新周期',
    '敏感级别',
    '信息项编码',
    '信息项名称',
    '数据类型',
    '数据长度',
    '是否主键',
  ];

  it('reads the workbook in a worker thread and stores the checked rows on the request', async () => {
    const dept = await t.services.departments.get(t.deptA.id);
    const row = [
      '301001/09001',
      '企业登记信息',
      '部门',
      dept.name,
      dept.uscc,
      '市场主体登记信息',
      '数据库',
      '无条件共享',
      null,
      '接口',
      '禁止开放',
      null,
      null,
      '每日',
      'L2',
      'uscc',
      '统一社会信用代码',
      'C',
      18,
      '是',
    ];
    const progress: ImportProgress[] = [];
    const summary = await t.services.catalogExcel.importWorkbook(SYSTEM_ACTOR, await workbook([header, row]), { onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ resources: 1, items: 1, created: 1 });
    const read = progress.find((p) => p.phase === 'read' && p.threadId !== undefined);
    expect(read?.threadId).toBeGreaterThan(0);
    expect(read?.threadId).not.toBe(threadId);
  });

  it('answers a workbook problem found in the worker as before (422 with rows), over HTTP', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import?dryRun=true',
      payload: await workbook([['名称'], ['x']]),
      headers: { ...bearer(t.adminToken), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'IMPORT_REJECTED', errors: [{ code: 'NO_HEADER_ROW' }] });
  });

  it('fails an import whose reading passes the worker heap limit with 413, and the next import works', async () => {
    const pool = createWorkerPool({ concurrency: 1, heapMb: 64 });
    const excel = createCatalogExcelService({ db: db.db, clock: systemClock, resources: t.services.resources, pool });
    try {
      // 30,000 distinct 2,000-character names: 60 MB of shared strings (well inside the reader's
      // bounds, a few hundred KB zipped) that exceljs caches whole — past a 64 MB heap.
      const rows: unknown[][] = [header];
      for (let i = 0; i < 30_000; i++)
        rows.push([
          '301001/09002',
          '企业登记信息',
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          `i${i}`,
          `${i}${'x'.repeat(2000)}`,
        ]);
      const big = await workbook(rows);
      await expect(excel.importWorkbook(SYSTEM_ACTOR, big, { dryRun: true })).rejects.toMatchObject({
        code: 'WORKBOOK_TOO_LARGE',
        extensions: { limit: 'memory' },
      });
      await expect(excel.importWorkbook(SYSTEM_ACTOR, await workbook([['名称'], ['x']]), { dryRun: true })).rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
    } finally {
      await pool.stop();
    }
  }, 120_000);
});
