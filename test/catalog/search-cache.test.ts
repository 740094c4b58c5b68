import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/database.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('catalogue search pages are kept only while nothing changed', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });
  const names = async () => ((await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=20' })).json().items as { name: string }[]).map((r) => r.name);

  it('answers the same page again without asking the database (SQLite), and at once sees a write through the API', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { name: '缓存一' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = await t.services.resources.search(null, { limit: 20 } as never);
    const b = await t.services.resources.search(null, { limit: 20 } as never);
    if (dialect === 'sqlite') expect(b).toBe(a);
    else expect(b).not.toBe(a);
    expect(await names()).toContain('缓存一');
    const id = created.json().id as string;
    const input = resourceInput(t.deptA.id, { code: created.json().code, name: '缓存一（改）' });
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/resources/${id}`, headers: bearer(t.deptA.token), payload: input })).statusCode).toBe(200);
    expect(await names()).toContain('缓存一（改）');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/resources/${id}`, headers: bearer(t.deptA.token) })).statusCode).toBe(204);
    expect((await names()).filter((n) => n.startsWith('缓存一'))).toEqual([]);
  });

  it('sees a change committed by another connection (a worker thread, the CLI)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { name: '缓存二' }),
    });
    const id = created.json().id as string;
    expect(await names()).toContain('缓存二');
    const other = openStorage(db.url!);
    try {
      await other.db.updateTable('resources').set({ name: '别处改的', record_total: 7 }).where('id', '=', id).execute();
    } finally {
      await other.close();
    }
    expect(await names()).toContain('别处改的');
    const page = (await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=20' })).json();
    expect(page.items.find((r: { id: string }) => r.id === id).recordCounts.total).toBe(7);
  });
});
