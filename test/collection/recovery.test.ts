import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobsRepository, type JobRow } from '../../src/modules/collection/jobs/jobs.repository.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { newId } from '../../src/shared/ids.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';

/** What a start finds after a killed process: unfinished jobs run again when their input is still there. */
describeEachDialect('collection: recovery at start-up', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  const repo = createJobsRepository();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-recover-'));

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const leftBehind = async (batchId: string, status: string, filePath: string): Promise<string> => {
    const at = new Date().toISOString();
    const row: JobRow = {
      id: newId(),
      resource_id: resourceId,
      batch_id: batchId,
      source_kind: 'file',
      source_ref: 'left.csv',
      source_id: null,
      format: 'csv',
      encoding: null,
      mode: 'upsert',
      file_path: filePath,
      file_bytes: fs.existsSync(filePath) ? fs.statSync(filePath).size : 0,
      status,
      rows_read: 7,
      rows_inserted: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      rows_rejected: 0,
      rows_deleted: 0,
      bytes_read: 100,
      watermark: null,
      error: null,
      options: '{}',
      submitted_by: 'admin',
      created_at: at,
      started_at: status === 'running' ? at : null,
      finished_at: null,
      updated_at: at,
    };
    await repo.insert(db.db, row);
    return row.id;
  };

  it('re-runs a job whose file is still there, marks one whose file is gone interrupted, and leaves finished jobs alone', async () => {
    const file = path.join(dir, 'left.csv');
    fs.writeFileSync(file, peopleCsv(1, 40));
    const running = await leftBehind('left-running', 'running', file);
    const queuedFile = path.join(dir, 'queued.csv');
    fs.writeFileSync(queuedFile, peopleCsv(41, 50));
    const queued = await leftBehind('left-queued', 'queued', queuedFile);
    const gone = await leftBehind('left-gone', 'running', path.join(dir, 'deleted.csv'));
    const done = await leftBehind('left-done', 'succeeded', path.join(dir, 'whatever.csv'));

    expect(await t.services.jobs.recover()).toEqual({ requeued: 2, interrupted: 1, failed: 0, cancelled: 0, leftRunning: 0 });
    const [a, b] = await Promise.all([t.services.jobs.waitFor(running), t.services.jobs.waitFor(queued)]);
    expect(a).toMatchObject({ status: 'succeeded', rows: { read: 40, inserted: 40 } });
    expect(b).toMatchObject({ status: 'succeeded', rows: { read: 10, inserted: 10 } });
    expect(await t.services.jobs.get(SYSTEM_ACTOR, gone)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('nothing of it was stored') });
    expect((await t.services.jobs.get(SYSTEM_ACTOR, done)).status).toBe('succeeded');
    expect((await t.services.collection.records(SYSTEM_ACTOR, resourceId, undefined, 100)).total).toBe(50);
  });
});
