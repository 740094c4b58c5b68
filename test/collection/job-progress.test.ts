import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobsRepository } from '../../src/modules/collection/jobs/jobs.repository.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { HEADER_ZH, peopleResource, personRow } from './collection-fixtures.js';

/**
 * A progress write can wait for SQLite's write lock behind the job's own merge (ADR 0017) and land
 * after the job ended: it must not overwrite the final counts (CI once saw rows.read 7 of 30).
 */
describeEachDialect('job progress after the end', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('a late progress write leaves a finished job as it ended', async () => {
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) })).json().id;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=p.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: `${HEADER_ZH}\n${[1, 2, 3].map((n) => personRow(n)).join('\n')}\n`,
    });
    const job = res.json().job;
    expect(job).toMatchObject({ status: 'succeeded', rows: { read: 3 } });
    const repo = createJobsRepository();
    const row = await repo.find(db.db, job.id);
    await repo.progress(db.db, job.id, row!.owner!, { rows_read: 1, rows_rejected: 0, bytes_read: 1, updated_at: new Date().toISOString() });
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${job.id}`, headers: bearer(t.adminToken) })).json();
    expect(after).toMatchObject({ status: 'succeeded', rows: { read: 3 } });
  });
});
