import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectRejects, rejectLines } from '../../src/cli/commands/collect-rejects.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { HEADER_ZH, peopleResource, personRow } from './collection-fixtures.js';

describeEachDialect('kuaiji collect rejects', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let jobId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) })).json().id;
    const rows = [personRow(1), personRow(2, { income: 'abc' }), personRow(3), personRow(4, { income: 'x' }), personRow(5, { income: 'y\tz' })];
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=bad.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: `${HEADER_ZH}\n${rows.join('\n')}\n`,
    });
    expect(res.json().job.rows).toMatchObject({ read: 5, inserted: 2, rejected: 3 });
    jobId = res.json().job.id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('lists the first N rejects in file order and says whether more were kept', async () => {
    const two = await collectRejects(t.services, jobId, 2);
    expect(two).toMatchObject({ rejected: 3, more: true });
    expect(two.rejects.map((r) => [r.rowNumber, r.field])).toEqual([
      [3, '年收入'],
      [5, '年收入'],
    ]);
    const all = await collectRejects(t.services, jobId, 100);
    expect(all).toMatchObject({ rejected: 3, more: false });
    expect(all.rejects.map((r) => r.rowNumber)).toEqual([3, 5, 6]);
    const lines = rejectLines(all.rejects).split('\n');
    expect(lines[0]).toMatch(/^3\t年收入\t年收入: [^\t]+\tT00000000000000002,张2,/);
    // A tab inside the input does not break the columns.
    expect(lines[2]!.split('\t')).toHaveLength(4);
  });

  it('refuses a job that does not exist', async () => {
    await expect(collectRejects(t.services, 'no-such-job', 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
