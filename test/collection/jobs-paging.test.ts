import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';

describeEachDialect('collection jobs: keyset paging', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) });
    resourceId = res.json().id;
    for (const batch of ['b1', 'b2', 'b3']) {
      const pushed = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resourceId}/batches/${batch}?wait=true&format=csv`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: peopleCsv(1, 3),
      });
      expect(pushed.statusCode).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('walks every job once, page by page, following nextCursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const url = `/api/v1/collection/jobs?resourceId=${resourceId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { id: string }[]; nextCursor: string | null } = (await t.app.inject({ method: 'GET', url, headers: bearer(t.adminToken) })).json();
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('answers a cursor it did not produce with 400 INVALID_CURSOR', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"k":[1,2]}').toString('base64url'), '%00']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs?cursor=${cursor}`, headers: bearer(t.adminToken) });
      expect(res.statusCode).toBe(400);
    }
  });
});
