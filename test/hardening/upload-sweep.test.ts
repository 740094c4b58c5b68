import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { saveUpload } from '../../src/modules/collection/uploads.js';
import { sweepUploads } from '../../src/modules/collection/uploads-sweep.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from '../collection/collection-fixtures.js';

const HOUR = 3_600_000;
const later = (ms: number): Clock => ({ now: () => new Date(Date.now() + ms) });
/** Makes a file look written long ago (past the sweep's grace for files being written). */
const age = (file: string) => fs.utimesSync(file, new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 2 * HOUR));

describeEachDialect('uploaded inputs are kept only while a job may need them', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  let dataDir: string;
  const incoming = () => path.join(dataDir, 'incoming');
  const files = () => (fs.existsSync(incoming()) ? fs.readdirSync(incoming()).sort() : []);

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-sweep-'));
    t = await buildTestApp(db, { dataDir });
    resourceId = (await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) })).json()
      .id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = async (body: string, query = '') =>
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=f.csv${query}`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: body,
      })
    ).json().job;
  const filePathOf = async (jobId: string) =>
    (await db.db.selectFrom('collection_jobs').select('file_path').where('id', '=', jobId).executeTakeFirstOrThrow()).file_path!;

  it('a succeeded load leaves nothing; a failed one keeps its input, resent inputs replace it, all within the retention', async () => {
    const ok = await upload(peopleCsv(1, 3));
    expect(ok.status).toBe('succeeded');
    expect(files()).toEqual([]);

    // A file that cannot be mapped fails; its input stays to be looked at.
    const first = await upload('foo,bar\n1,2\n', '&batchId=failing-batch');
    expect(first.status).toBe('failed');
    const firstPath = await filePathOf(first.id);
    expect(files()).toEqual([path.basename(firstPath)]);

    // The same batch sent again (still failing): the job now refers to the new input, the old one is an orphan.
    const again = await upload('foo,bar\n3,4\n', '&batchId=failing-batch');
    expect(again.id).toBe(first.id);
    const secondPath = await filePathOf(first.id);
    expect(secondPath).not.toBe(firstPath);
    expect(files()).toHaveLength(2);
    age(firstPath);
    age(secondPath);

    // Start-up recovery sweeps: the orphan goes, the failed job's input stays (72 h by default).
    await t.services.jobs.recover();
    expect(files()).toEqual([path.basename(secondPath)]);

    // Past the retention period the failed input goes too.
    const retention = 72 * HOUR;
    expect(await sweepUploads({ db: db.db, clock: later(retention - HOUR), dataDir, failedRetentionMs: retention })).toEqual({ removed: 0, kept: 1 });
    expect(await sweepUploads({ db: db.db, clock: later(retention + HOUR), dataDir, failedRetentionMs: retention })).toEqual({ removed: 1, kept: 0 });
    expect(files()).toEqual([]);
  });

  it("at start: a partial body and the input of a job that succeeded just before a kill -9 go; a running job's input and a file still being written stay", async () => {
    fs.mkdirSync(incoming(), { recursive: true });
    // kill -9 during an upload: the body was being written under its .part name.
    const partial = path.join(incoming(), '019aaaaa-dead-7000-8000-000000000001.csv.part');
    fs.writeFileSync(partial, 'half a bo');
    age(partial);
    // An upload arriving right now (another process): young, so not touched.
    const arriving = path.join(incoming(), '019aaaaa-dead-7000-8000-000000000002.csv.part');
    fs.writeFileSync(arriving, 'still');
    // kill -9 right after the commit: the job succeeded, its input was never removed.
    const done = await upload(peopleCsv(10, 12));
    const doneInput = path.join(incoming(), 'done-before-kill.csv');
    fs.writeFileSync(doneInput, peopleCsv(10, 12));
    await db.db.updateTable('collection_jobs').set({ file_path: doneInput }).where('id', '=', done.id).execute();
    // A job still running (in another process) keeps its input whatever its age.
    const running = await upload('foo\n1\n', '&batchId=running-batch');
    const runningInput = await filePathOf(running.id);
    await db.db.updateTable('collection_jobs').set({ status: 'running' }).where('id', '=', running.id).execute();
    age(runningInput);

    const result = await sweepUploads({ db: db.db, clock: { now: () => new Date() }, dataDir, failedRetentionMs: 72 * HOUR });
    expect(result).toEqual({ removed: 2, kept: 2 });
    expect(files()).toEqual([path.basename(arriving), path.basename(runningInput)].sort());
    await db.db.updateTable('collection_jobs').set({ status: 'failed' }).where('id', '=', running.id).execute();
  });

  it('saveUpload writes under a .part name and leaves nothing when the body fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-save-'));
    const saved = await saveUpload(
      (async function* () {
        yield Buffer.from('a,b\n');
      })() as never,
      dir,
      '.csv',
      1024,
    );
    expect(fs.readdirSync(path.join(dir, 'incoming'))).toEqual([path.basename(saved.filePath)]);
    const failing = (async function* () {
      yield Buffer.from('a,b\n');
      throw new Error('connection reset');
    })();
    await expect(saveUpload(failing as never, dir, '.csv', 1024)).rejects.toThrow('connection reset');
    expect(fs.readdirSync(path.join(dir, 'incoming'))).toEqual([path.basename(saved.filePath)]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
