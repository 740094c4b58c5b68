import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('catalogue: declared record counts never exceed the total', (fresh) => {
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

  it('refuses shared or open counts above the total when they are written', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { recordCounts: { total: 10, shared: 20, open: 11 } }),
    });
    expect(res.statusCode).toBe(422);
    const violations = res.json().violations as { code: string; path: string }[];
    expect(
      violations
        .filter((v) => v.code === 'RECORD_COUNTS_ABOVE_TOTAL')
        .map((v) => v.path)
        .sort(),
    ).toEqual(['recordCounts.open', 'recordCounts.shared']);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { recordCounts: { total: 10, shared: 10, open: 3 } }),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().recordCounts).toEqual({ total: 10, shared: 10, open: 3 });
  });

  it('caps the declared counts at the collected total once records are loaded', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { recordCounts: { total: 96_400, shared: 96_400, open: 50_000 } }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const csv = '统一社会信用代码,单位名称,登记日期\n91330600MA2BRC0001,甲公司,2020-01-02\n91330600MA2BRC0002,乙公司,2021-03-04\n';
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=firms.csv`,
      headers: { ...bearer(t.deptA.token), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(up.json().job, up.body).toMatchObject({ status: 'succeeded', rows: { inserted: 2 } });
    const got = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${id}`, headers: bearer(t.deptA.token) })).json();
    expect(got.recordCounts).toEqual({ total: 2, shared: 2, open: 2 });
    const listed = (await t.app.inject({ method: 'GET', url: `/api/v1/resources?q=${encodeURIComponent(got.code)}` })).json();
    expect(listed.items.find((r: { id: string }) => r.id === id).recordCounts).toEqual({ total: 2, shared: 2, open: 2 });
  });
});
