import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServices, type Services } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, seedRegions } from '../factories.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROWS = 150_000;

/**
 * `kill -9` in the middle of a load: the CLI (`kuaiji collect load`) runs in a child process and
 * is killed while it reads; nothing of the batch may be visible. Running the same command again
 * must then load exactly the file's rows.
 */
describeEachDialect('collection: a load killed with SIGKILL', (fresh) => {
  let db: TestDb;
  let services: Services;
  let dir: string;
  let file: string;
  let resourceCode: string;
  let resourceId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-crash-'));
    services = buildServices(db, undefined, { dataDir: dir });
    await seedRegions(services);
    const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市公安局' }));
    const resource = await services.resources.create(SYSTEM_ACTOR, peopleResource(dept.id));
    resourceCode = resource.code;
    resourceId = resource.id;
    file = path.join(dir, 'people.csv');
    // The second half changes names: a rerun that double-applied anything would show.
    fs.writeFileSync(
      file,
      peopleCsv(1, ROWS, (i) => (i % 2 ? {} : { name: `王${i}` })),
    );
  }, 60_000);
  afterAll(async () => {
    await services.jobs.stop();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function cli(): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
    const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_DATABASE_URL: db.url!, KUAIJI_LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'collect', 'load', resourceCode, file, '--batch-id', 'crash-1'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, out })),
    );
    return { child, done };
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

  it('leaves nothing visible when killed while reading, and a rerun loads exactly the file', async () => {
    const first = cli();
    // Wait until the job is running and has read rows, then kill the whole process.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = await db.db.selectFrom('collection_jobs').select(['status', 'rows_read']).where('batch_id', '=', 'crash-1').executeTakeFirst();
      if (job?.status === 'running' && Number(job.rows_read) > 0) break;
      if (job?.status === 'succeeded') throw new Error('the load finished before it could be killed: make the file larger');
      if (Date.now() > deadline) throw new Error(`the load never started: ${job?.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    expect(await liveCount()).toEqual({ registered: 0, actual: 0 });

    const second = await cli().done;
    expect(second.out).toContain(`${ROWS} inserted`);
    expect(second.code).toBe(0);
    expect(await liveCount()).toEqual({ registered: ROWS, actual: ROWS });
    const page = await services.collection.records(SYSTEM_ACTOR, resourceId, undefined, 3);
    expect(page.items.map((r) => r.full_name)).toEqual(['张1', '王2', '张3']);

    // And once more: the batch is known, nothing changes.
    const third = await cli().done;
    expect(third.code).toBe(0);
    expect(third.out).toContain('already loaded');
    expect(await liveCount()).toEqual({ registered: ROWS, actual: ROWS });
  }, 180_000);
});
