import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { HEADER_ZH, peopleResource } from '../collection/collection-fixtures.js';

const REJECTS = 2500;

describeEachDialect('rejects.csv is streamed page by page', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let jobId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: peopleResource(t.deptA.id) });
    const resourceId = res.json().id;
    // Every row has a birth date that is no date; names carry quotes and commas for the CSV escaping.
    const lines = [HEADER_ZH];
    for (let i = 1; i <= REJECTS; i++) lines.push(`T${String(i).padStart(17, '0')},"张""${i}"",三",1990-13-${(i % 28) + 1},1.00,1,是,2024-03-01 08:00:00`);
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=bad.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: `${lines.join('\n')}\n`,
    });
    const { job } = upload.json();
    expect(job.rows).toMatchObject({ read: REJECTS, rejected: REJECTS, inserted: 0 });
    jobId = job.id;
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  /** The rejects as the paged JSON endpoint gives them, written as the CSV should hold them. */
  async function expectedCsv(): Promise<string> {
    const q = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
    let out = '\uFEFFrow,field,reason,raw\n';
    let cursor: string | null = null;
    do {
      const page: { items: { rowNumber: number; field: string | null; reason: string; raw: string | null }[]; nextCursor: string | null } = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/collection/jobs/${jobId}/rejects?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(t.adminToken),
        })
      ).json();
      for (const r of page.items) out += `${r.rowNumber},${q(r.field)},${q(r.reason)},${q(r.raw)}\n`;
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  it('GET rejects.csv answers every reject, escaped, in row order', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${jobId}/rejects.csv`, headers: bearer(t.adminToken) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="rejects-${jobId}.csv"`);
    const lines = res.body.split('\n').filter(Boolean);
    expect(lines).toHaveLength(REJECTS + 1);
    expect(lines[1]).toBe(
      `2,"出生日期","出生日期: not a date (no such day): '1990-13-2'","T00000000000000001,张""1"",三,1990-13-2,1.00,1,是,2024-03-01 08:00:00"`,
    );
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: REJECTS }, (_, i) => i + 2));
    expect(res.body).toBe(await expectedCsv());
  });

  it('the service writes one chunk per page of rejects, never the whole file as one string', async () => {
    const stream = await t.services.jobs.rejectsCsv(SYSTEM_ACTOR, jobId, 100);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    // The header, then 25 pages of 100 rows: each page its own keyset query and its own chunk.
    expect(chunks.length).toBe(1 + REJECTS / 100);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(Buffer.concat(chunks).length / 20);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(await expectedCsv());
  });

  it('a job the caller may not see answers 404 problem+json before any CSV is written', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/collection/jobs/${jobId}/rejects.csv`, headers: bearer(t.deptB.token) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
