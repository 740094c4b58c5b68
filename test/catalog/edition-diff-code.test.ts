import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

// GET /api/v1/editions/diff?code=: one resource's changes between two editions or since one (a
// resource page's history), its figures those of that entry alone, the classified scope kept.
describeEachDialect('catalogue editions: the diff of one resource', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await t.app.inject({ method, url, headers: bearer(t.adminToken), payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { id: string };
  };
  const diff = (query: string, token?: string) => t.app.inject({ url: `/api/v1/editions/diff?${query}`, headers: token ? bearer(token) : {} });

  const input = {} as Record<'kept' | 'edited' | 'secret' | 'fresh', ResourceInput>;
  const ids = {} as Record<keyof typeof input, string>;
  let e1 = '';
  let e2 = '';

  beforeAll(async () => {
    input.kept = resourceInput(t.deptA.id, { code: '301001/00201', name: '企业年报信息' });
    input.edited = resourceInput(t.deptA.id, { code: '301001/00202', name: '企业变更信息' });
    input.secret = resourceInput(t.deptB.id, {
      code: '301001/00203',
      name: '涉密稽查信息',
      classified: true,
      shareType: 'NOT_SHARED',
      shareCondition: null,
      notSharedBasis: '《中华人民共和国保守国家秘密法》',
      openType: 'PROHIBITED',
      openCondition: null,
      openDomain: null,
    });
    for (const k of ['kept', 'edited', 'secret'] as const) ids[k] = (await send('POST', '/api/v1/resources', input[k])).id;
    e1 = (await send('POST', '/api/v1/editions', { name: '2025版' })).id;
    // After the first edition: `edited` renamed with one item renamed and one added, `secret`
    // renamed, `kept` re-saved unchanged, `fresh` catalogued.
    const [first, second, ...rest] = input.edited.items;
    await send('PUT', `/api/v1/resources/${ids.edited}`, {
      ...input.edited,
      name: '企业变更登记信息',
      items: [first, { ...second, name: '企业名称' }, ...rest, { code: 'change_date', name: '变更日期', dataType: 'DATE', primaryKey: false }],
    });
    await send('PUT', `/api/v1/resources/${ids.secret}`, { ...input.secret, name: '涉密稽查案件信息' });
    await send('PUT', `/api/v1/resources/${ids.kept}`, input.kept);
    input.fresh = resourceInput(t.deptA.id, { code: '301001/00204', name: '企业注销信息' });
    ids.fresh = (await send('POST', '/api/v1/resources', input.fresh)).id;
    e2 = (await send('POST', '/api/v1/editions', { name: '2026版' })).id;
  });

  it("compares one resource since an edition, field by field, with that entry's figures only", async () => {
    const res = await diff(`from=${e1}&code=${encodeURIComponent(input.edited.code)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.to).toEqual({ id: 'current', name: null, publishedAt: null });
    expect(body.summary).toEqual({ resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 1, itemsAdded: 1, itemsRemoved: 0, itemsChanged: 1 });
    expect(body.added).toEqual([]);
    expect(body.removed).toEqual([]);
    expect(body.changed).toEqual([
      {
        code: '301001/00202',
        name: '企业变更登记信息',
        fields: [{ field: 'name', from: '企业变更信息', to: '企业变更登记信息' }],
        items: { added: ['change_date'], removed: [], changed: [{ code: 'org_name', fields: [{ field: 'name', from: '单位名称', to: '企业名称' }] }] },
      },
    ]);
    // The same between the two editions.
    const between = (await diff(`from=${e1}&to=${e2}&code=${encodeURIComponent(input.edited.code)}`)).json();
    expect(between.changed).toEqual(body.changed);
    expect(between.summary).toEqual(body.summary);
  });

  it('reports an unchanged, an added and an absent resource as such', async () => {
    const kept = (await diff(`from=${e1}&code=${encodeURIComponent(input.kept.code)}`)).json();
    expect(kept.summary).toEqual({ resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 0, itemsAdded: 0, itemsRemoved: 0, itemsChanged: 0 });
    expect([kept.added, kept.removed, kept.changed]).toEqual([[], [], []]);

    const added = (await diff(`from=${e1}&to=${e2}&code=${encodeURIComponent(input.fresh.code)}`)).json();
    expect(added.added).toEqual([{ code: '301001/00204', name: '企业注销信息' }]);
    expect(added.summary.itemsAdded).toBe(input.fresh.items.length);
    expect(added.summary.resourcesChanged).toBe(0);

    // Removed since the second edition: the live catalogue no longer holds it.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/resources/${ids.fresh}`, headers: bearer(t.adminToken) })).statusCode).toBe(204);
    const removed = (await diff(`from=${e2}&code=${encodeURIComponent(input.fresh.code)}`)).json();
    expect(removed.removed).toEqual([{ code: '301001/00204', name: '企业注销信息' }]);
    expect(removed.summary).toMatchObject({ resourcesRemoved: 1, itemsRemoved: input.fresh.items.length, resourcesChanged: 0 });

    const nowhere = (await diff(`from=${e1}&code=301001/09999`)).json();
    expect([nowhere.added, nowhere.removed, nowhere.changed]).toEqual([[], [], []]);
  });

  it('keeps a classified resource to those who may see it', async () => {
    const code = encodeURIComponent(input.secret.code);
    for (const token of [undefined, t.deptA.token]) {
      const hidden = (await diff(`from=${e1}&code=${code}`, token)).json();
      expect([hidden.added, hidden.removed, hidden.changed], String(token)).toEqual([[], [], []]);
    }
    for (const token of [t.adminToken, t.deptB.token]) {
      const seen = (await diff(`from=${e1}&code=${code}`, token)).json();
      expect(seen.changed.map((c: { fields: unknown }) => c.fields)).toEqual([[{ field: 'name', from: '涉密稽查信息', to: '涉密稽查案件信息' }]]);
    }
  });

  it('refuses a code that is not a resource code', async () => {
    const res = await diff(`from=${e1}&code=not-a-code`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().errors[0].path).toBe('query.code');
  });
});
