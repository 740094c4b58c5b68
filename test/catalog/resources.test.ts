import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('resources API', (fresh) => {
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

  const post = (body: unknown, token = t.adminToken) =>
    t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(token), payload: body as object });

  it('creates a resource, resolving item defaults, and reads it back without login', async () => {
    const res = await post(resourceInput(t.deptA.id, { code: '301001/00001' }));
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.code).toBe('301001/00001');
    expect(created.classificationCode).toBe('301001');
    expect(created.regionCode).toBe('330600');
    expect(created.items).toHaveLength(3);
    expect(created.items[0]).toMatchObject({
      code: 'uscc',
      primaryKey: true,
      nullable: false,
      shareType: 'CONDITIONAL',
      openType: 'RESTRICTED',
      sensitivity: 'L2',
    });
    expect(created.itemCount).toBe(3);
    expect(created.shareableItemCount).toBe(3);

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/resources/${created.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((i: { code: string }) => i.code)).toEqual(['uscc', 'org_name', 'reg_date']);
    const byCode = await t.app.inject({ method: 'GET', url: '/api/v1/resources/by-code/301001/00001' });
    expect(byCode.json().id).toBe(created.id);
  });

  describe('invariants (DOMAIN.md §3)', () => {
    const cases: [string, (d: string) => object, string][] = [
      [
        'item shared less restrictively than its resource',
        (d) => resourceInput(d, { items: [{ code: 'a', name: 'A', dataType: 'STRING', primaryKey: false, shareType: 'UNCONDITIONAL' }] }),
        'ITEM_SHARE_LESS_RESTRICTED',
      ],
      [
        'item opened less restrictively than its resource',
        (d) =>
          resourceInput(d, {
            sensitivity: 'L1',
            openType: 'RESTRICTED',
            items: [{ code: 'a', name: 'A', dataType: 'STRING', primaryKey: false, sensitivity: 'L1', openType: 'UNCONDITIONAL' }],
          }),
        'ITEM_OPEN_LESS_RESTRICTED',
      ],
      [
        'NOT_SHARED opened',
        (d) => resourceInput(d, { shareType: 'NOT_SHARED', notSharedBasis: '《某某法》第X条', openType: 'RESTRICTED' }),
        'NOT_SHARED_MUST_BE_PROHIBITED',
      ],
      ['L4 opened', (d) => resourceInput(d, { sensitivity: 'L4' }), 'L4_MUST_BE_PROHIBITED'],
      ['L3 opened unconditionally', (d) => resourceInput(d, { sensitivity: 'L3', openType: 'UNCONDITIONAL' }), 'L2_L3_AT_MOST_RESTRICTED'],
      ['CONDITIONAL without a condition', (d) => resourceInput(d, { shareCondition: null }), 'SHARE_CONDITION_REQUIRED'],
      ['NOT_SHARED without a legal basis', (d) => resourceInput(d, { shareType: 'NOT_SHARED', openType: 'PROHIBITED' }), 'NOT_SHARED_BASIS_REQUIRED'],
      [
        'nullable primary key',
        (d) => resourceInput(d, { items: [{ code: 'k', name: 'K', dataType: 'STRING', primaryKey: true, nullable: true }] }),
        'PRIMARY_KEY_NULLABLE',
      ],
      [
        'duplicate item codes',
        (d) =>
          resourceInput(d, {
            items: [
              { code: 'k', name: 'K', dataType: 'STRING', primaryKey: false },
              { code: 'K', name: 'K2', dataType: 'STRING', primaryKey: false },
            ],
          }),
        'DUPLICATE_ITEM_CODE',
      ],
      ['code class differs from category', (d) => resourceInput(d, { code: '101001/00099', category: 3 }), 'CODE_CATEGORY_MISMATCH'],
      ['classified entry opened', (d) => resourceInput(d, { classified: true }), 'CLASSIFIED_MUST_NOT_OPEN'],
      ['restricted opening without a condition', (d) => resourceInput(d, { openCondition: null }), 'OPEN_CONDITION_REQUIRED'],
      [
        'item more sensitive than its resource',
        (d) => resourceInput(d, { items: [{ code: 'a', name: 'A', dataType: 'STRING', primaryKey: false, sensitivity: 'L4', openType: 'PROHIBITED' }] }),
        'ITEM_SENSITIVITY_ABOVE_RESOURCE',
      ],
      ['opened without a domain', (d) => resourceInput(d, { openDomain: null }), 'OPEN_DOMAIN_REQUIRED'],
    ];
    for (const [title, make, code] of cases) {
      it(`rejects ${title} with ${code} and stores nothing`, async () => {
        const before = (await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=500', headers: bearer(t.adminToken) })).json().items.length;
        const res = await post(make(t.deptA.id));
        expect(res.statusCode).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const body = res.json();
        expect(body.code).toBe('CATALOG_INVARIANT_VIOLATED');
        expect(body.violations.map((v: { code: string }) => v.code)).toContain(code);
        const after = (await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=500', headers: bearer(t.adminToken) })).json().items.length;
        expect(after).toBe(before);
      });
    }
  });

  it('rejects a duplicate resource code with DUPLICATE', async () => {
    const input = resourceInput(t.deptA.id);
    expect((await post(input)).statusCode).toBe(201);
    const again = await post(input);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DUPLICATE');
  });

  it('rejects an unknown provider department with REFERENCE_NOT_FOUND', async () => {
    const res = await post(resourceInput('no-such-department'));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('REFERENCE_NOT_FOUND');
  });

  describe('cross-department authorisation', () => {
    it('an officer catalogues for their own department but not for another', async () => {
      expect((await post(resourceInput(t.deptA.id), t.deptA.token)).statusCode).toBe(201);
      const other = await post(resourceInput(t.deptB.id), t.deptA.token);
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('FORBIDDEN');
    });

    it("an officer cannot change or delete another department's resource, nor take it over", async () => {
      const theirs = (await post(resourceInput(t.deptB.id), t.deptB.token)).json();
      const input = resourceInput(t.deptB.id, { code: theirs.code, name: '被篡改' });
      const put = await t.app.inject({ method: 'PUT', url: `/api/v1/resources/${theirs.id}`, headers: bearer(t.deptA.token), payload: input });
      expect(put.statusCode).toBe(403);
      const takeOver = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${theirs.id}`,
        headers: bearer(t.deptA.token),
        payload: { ...input, providerDepartmentId: t.deptA.id },
      });
      expect(takeOver.statusCode).toBe(403);
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/resources/${theirs.id}`, headers: bearer(t.deptA.token) });
      expect(del.statusCode).toBe(403);
      const still = await t.app.inject({ method: 'GET', url: `/api/v1/resources/${theirs.id}` });
      expect(still.json().name).toBe(theirs.name);
    });

    it('an auditor cannot write', async () => {
      const res = await post(resourceInput(t.deptA.id), t.auditorToken);
      expect(res.statusCode).toBe(403);
    });

    it('writes need a token; a bad token is rejected', async () => {
      const anon = await t.app.inject({ method: 'POST', url: '/api/v1/resources', payload: resourceInput(t.deptA.id) });
      expect(anon.statusCode).toBe(401);
      expect(anon.json().code).toBe('UNAUTHENTICATED');
      const bad = await post(resourceInput(t.deptA.id), 'kj_not-a-token');
      expect(bad.statusCode).toBe(401);
      expect(bad.json().code).toBe('INVALID_TOKEN');
    });
  });

  it('updates a resource keeping item ids (matched by code) and bumping the version', async () => {
    const created = (await post(resourceInput(t.deptA.id))).json();
    const input = resourceInput(t.deptA.id, {
      code: created.code,
      name: '改名后的资源',
      items: [
        { code: 'org_name', name: '单位名称', dataType: 'STRING', primaryKey: false },
        { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
        { id: created.items[2].id, code: 'registered_on', name: '登记日期', dataType: 'DATE', primaryKey: false },
      ],
    });
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/resources/${created.id}`, headers: bearer(t.adminToken), payload: input });
    expect(res.statusCode).toBe(200);
    const updated = res.json();
    expect(updated.version).toBe(2);
    const ids = Object.fromEntries(updated.items.map((i: { code: string; id: string }) => [i.code, i.id]));
    expect(ids.uscc).toBe(created.items[0].id);
    expect(ids.org_name).toBe(created.items[1].id);
    expect(ids.registered_on).toBe(created.items[2].id);
  });

  it('hides classified entries from anonymous callers and officers of other departments', async () => {
    const secret = (
      await post(resourceInput(t.deptA.id, { name: '涉密测试资源', classified: true, openType: 'PROHIBITED', openCondition: null, openDomain: null }))
    ).json();
    expect(secret.classified).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/resources/${secret.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/resources/${secret.id}`, headers: bearer(t.deptB.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/resources/${secret.id}`, headers: bearer(t.deptA.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/resources/${secret.id}`, headers: bearer(t.auditorToken) })).statusCode).toBe(200);
    const anonSearch = (await t.app.inject({ method: 'GET', url: `/api/v1/resources?q=${encodeURIComponent('涉密测试')}` })).json();
    expect(anonSearch.items).toHaveLength(0);
    const adminSearch = (
      await t.app.inject({ method: 'GET', url: `/api/v1/resources?q=${encodeURIComponent('涉密测试')}`, headers: bearer(t.adminToken) })
    ).json();
    expect(adminSearch.items).toHaveLength(1);
  });

  it('searches by Chinese and English text, item names and filters, with keyset pagination', async () => {
    await post(
      resourceInput(t.deptB.id, {
        name: '医疗机构执业登记信息',
        nameEn: 'Medical institution licences',
        tags: ['卫生'],
        items: [{ code: 'hospital', name: '医院名称', nameEn: 'Hospital name', dataType: 'STRING', primaryKey: true }],
      }),
    );
    const zh = (await t.app.inject({ method: 'GET', url: `/api/v1/resources?q=${encodeURIComponent('执业登记')}` })).json();
    expect(zh.items.map((r: { name: string }) => r.name)).toEqual(['医疗机构执业登记信息']);
    const en = (await t.app.inject({ method: 'GET', url: '/api/v1/resources?q=medical' })).json();
    expect(en.items).toHaveLength(1);
    const byItem = (await t.app.inject({ method: 'GET', url: `/api/v1/resources?q=${encodeURIComponent('医院名称')}` })).json();
    expect(byItem.items).toHaveLength(1);
    const byDept = (
      await t.app.inject({ method: 'GET', url: `/api/v1/resources?providerDepartmentId=${t.deptB.id}&shareType=CONDITIONAL,UNCONDITIONAL` })
    ).json();
    expect(byDept.items.every((r: { providerDepartmentId: string }) => r.providerDepartmentId === t.deptB.id)).toBe(true);

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/resources?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url })).json();
      all.push(...page.items.map((r: { code: string }) => r.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThan(3);
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
  });
});
