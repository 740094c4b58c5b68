import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/modules/catalog/editions/edition-content.js';
import { createEditionsService } from '../../src/modules/catalog/editions/editions.service.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('catalogue editions', (fresh) => {
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

  const publish = (body: object, token: string | null = t.adminToken) =>
    t.app.inject({ method: 'POST', url: '/api/v1/editions', headers: token ? bearer(token) : {}, payload: body });
  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
  const create = async (input: ResourceInput) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: input });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; code: string; items: { id: string; code: string }[] };
  };
  const update = async (id: string, input: ResourceInput) => {
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/resources/${id}`, headers: bearer(t.adminToken), payload: input });
    expect(res.statusCode).toBe(200);
  };
  const remove = async (id: string) =>
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/resources/${id}`, headers: bearer(t.adminToken) })).statusCode).toBe(204);

  it('refuses to publish an empty catalogue with EDITION_EMPTY, and records the failure', async () => {
    const res = await publish({ name: '空目录' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('EDITION_EMPTY');
    expect((await get('/api/v1/editions')).json().items).toEqual([]);
    const audit = await db.db.selectFrom('audit_events').selectAll().where('action', '=', 'edition.publish').execute();
    expect(audit.map((a) => a.outcome)).toEqual(['failure']);
  });

  it('lets only an administrator publish', async () => {
    expect((await publish({ name: 'x' }, t.deptA.token)).statusCode).toBe(403);
    expect((await publish({ name: 'x' }, t.auditorToken)).statusCode).toBe(403);
    const anon = await publish({ name: 'x' }, null);
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHENTICATED');
  });

  // The 2019 catalogue: r1 will be removed, r2 changed, r3 re-saved without a content change,
  // r4 is classified (涉密) and changes, r6 is deleted and catalogued again unchanged; r5 is new in 2020.
  const input = {} as Record<'r1' | 'r2' | 'r3' | 'r4' | 'r5' | 'r6', ResourceInput>;
  const ids = {} as Record<string, string>;
  const editions = {} as Record<'e2019' | 'e2020', { id: string; publishedAt: string }>;

  it('publishes an edition: every resource, classified ones included, with its figures', async () => {
    input.r1 = resourceInput(t.deptA.id, { code: '301001/00101', name: '企业登记信息' });
    input.r2 = resourceInput(t.deptA.id, { code: '301001/00102', name: '个体工商户信息' });
    input.r3 = resourceInput(t.deptB.id, {
      code: '301001/00103',
      name: '医疗机构信息',
      tags: ['卫生', '医疗'],
      recordCounts: { total: 10, shared: 5, open: 0 },
    });
    input.r4 = resourceInput(t.deptA.id, {
      code: '301001/00104',
      name: '涉密执法信息',
      classified: true,
      shareType: 'NOT_SHARED',
      shareCondition: null,
      notSharedBasis: '《中华人民共和国保守国家秘密法》',
      openType: 'PROHIBITED',
      openCondition: null,
      openDomain: null,
    });
    input.r6 = resourceInput(t.deptB.id, { code: '301001/00106', name: '卫生监督信息' });
    for (const k of ['r1', 'r2', 'r3', 'r4', 'r6'] as const) ids[k] = (await create(input[k])).id;

    const res = await publish({ name: '2019版', note: '首次发布' });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ name: '2019版', note: '首次发布', resourceCount: 5, itemCount: 15, shareableItemCount: 12, publishedBy: 'admin' });
    editions.e2019 = { id: e.id, publishedAt: e.publishedAt };
    expect((await get(`/api/v1/editions/${e.id}`)).json()).toEqual(e);

    const audit = await db.db.selectFrom('audit_events').selectAll().where('action', '=', 'edition.publish').where('outcome', '=', 'success').execute();
    expect(audit.map((a) => a.target_id)).toEqual([e.id]);
  });

  it('rejects a duplicate edition name with DUPLICATE', async () => {
    const res = await publish({ name: '2019版' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUPLICATE');
    expect((await get('/api/v1/editions')).json().items).toHaveLength(1);
  });

  it("lists an edition's resources, hiding classified entries from callers who may not see them", async () => {
    const url = `/api/v1/editions/${editions.e2019.id}/resources`;
    const codes = async (token?: string) => (await get(url, token)).json().items.map((i: { code: string }) => i.code);
    const all = ['301001/00101', '301001/00102', '301001/00103', '301001/00104', '301001/00106'];
    const open = all.filter((c) => c !== '301001/00104');
    expect(await codes()).toEqual(open);
    expect(await codes(t.deptB.token)).toEqual(open);
    expect(await codes(t.deptA.token)).toEqual(all);
    expect(await codes(t.adminToken)).toEqual(all);
    expect(await codes(t.auditorToken)).toEqual(all);

    const first = (await get(url, t.adminToken)).json().items[0];
    expect(first).toMatchObject({
      code: '301001/00101',
      name: '企业登记信息',
      providerDepartmentId: t.deptA.id,
      regionCode: '330600',
      category: 3,
      shareType: 'CONDITIONAL',
      openType: 'RESTRICTED',
      sensitivity: 'L2',
      classified: false,
      itemCount: 3,
      shareableItemCount: 3,
    });
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { code: string }[]; nextCursor: string | null } = (
        await get(`${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, t.adminToken)
      ).json();
      seen.push(...page.items.map((i) => i.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('keeps the full snapshot of an entry, item ids and record counts included', async () => {
    const res = await get(`/api/v1/editions/${editions.e2019.id}/resources/301001/00103`);
    expect(res.statusCode).toBe(200);
    const entry = res.json();
    expect(entry.snapshot).toMatchObject({ id: ids.r3, code: '301001/00103', recordCounts: { total: 10, shared: 5, open: 0 }, version: 1 });
    expect(entry.snapshot.items.map((i: { code: string }) => i.code)).toEqual(['uscc', 'org_name', 'reg_date']);
    expect(entry.snapshot.items.every((i: { id: string }) => typeof i.id === 'string')).toBe(true);
    expect((await get(`/api/v1/editions/${editions.e2019.id}/resources/301001/00104`)).statusCode).toBe(404);
    expect((await get(`/api/v1/editions/${editions.e2019.id}/resources/301001/00104`, t.deptA.token)).statusCode).toBe(200);
    expect((await get('/api/v1/editions/no-such-edition/resources')).json().code).toBe('NOT_FOUND');
  });

  it('publishes a second edition after the catalogue changed', async () => {
    await remove(ids.r1!);
    input.r5 = resourceInput(t.deptB.id, { code: '301001/00105', name: '药品经营许可信息' });
    ids.r5 = (await create(input.r5)).id;
    await update(ids.r2!, {
      ...input.r2,
      name: '个体工商户登记信息',
      updateFrequency: '04',
      items: [
        { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
        { code: 'org_name', name: '机构名称', nameEn: 'Organisation name', dataType: 'STRING', length: 100, primaryKey: false },
        { code: 'legal_rep', name: '法定代表人', dataType: 'STRING', primaryKey: false },
      ],
    });
    // Item order, tag order and record counts are not catalogue content.
    await update(ids.r3!, { ...input.r3, items: [...input.r3.items].reverse(), tags: ['医疗', '卫生'], recordCounts: { total: 99, shared: 50, open: 0 } });
    await update(ids.r4!, { ...input.r4, summary: '已更新的涉密摘要' });
    // New resource and item ids, same content: not a change.
    await remove(ids.r6!);
    ids.r6 = (await create(input.r6)).id;

    const res = await publish({ name: '2020版' });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ resourceCount: 5, itemCount: 15, shareableItemCount: 12, note: null });
    editions.e2020 = { id: e.id, publishedAt: e.publishedAt };
  });

  const r2Change = () => ({
    code: '301001/00102',
    name: '个体工商户登记信息',
    fields: [
      { field: 'name', from: '个体工商户信息', to: '个体工商户登记信息' },
      { field: 'updateFrequency', from: '02', to: '04' },
    ],
    items: {
      added: ['legal_rep'],
      removed: ['reg_date'],
      changed: [
        {
          code: 'org_name',
          fields: [
            { field: 'name', from: '单位名称', to: '机构名称' },
            { field: 'length', from: 200, to: 100 },
          ],
        },
      ],
    },
  });
  const r4Change = () => ({
    code: '301001/00104',
    name: '涉密执法信息',
    fields: [{ field: 'summary', from: '用于测试的信息资源', to: '已更新的涉密摘要' }],
    items: { added: [], removed: [], changed: [] },
  });

  it('diffs two editions exactly', async () => {
    const res = await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=${editions.e2020.id}`, t.adminToken);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: { id: editions.e2019.id, name: '2019版', publishedAt: editions.e2019.publishedAt },
      to: { id: editions.e2020.id, name: '2020版', publishedAt: editions.e2020.publishedAt },
      summary: { resourcesAdded: 1, resourcesRemoved: 1, resourcesChanged: 2, itemsAdded: 4, itemsRemoved: 4, itemsChanged: 1 },
      added: [{ code: '301001/00105', name: '药品经营许可信息' }],
      removed: [{ code: '301001/00101', name: '企业登记信息' }],
      changed: [r2Change(), r4Change()],
    });
    // The department that owns the classified entry sees its change too.
    const own = (await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=${editions.e2020.id}`, t.deptA.token)).json();
    expect(own.changed.map((c: { code: string }) => c.code)).toEqual(['301001/00102', '301001/00104']);
  });

  it('leaves classified entries out of the diff for callers who may not see them', async () => {
    for (const token of [undefined, t.deptB.token]) {
      const body = (await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=${editions.e2020.id}`, token)).json();
      expect(body.summary).toEqual({ resourcesAdded: 1, resourcesRemoved: 1, resourcesChanged: 1, itemsAdded: 4, itemsRemoved: 4, itemsChanged: 1 });
      expect(body.changed).toEqual([r2Change()]);
    }
  });

  it('diffs an edition against the live catalogue (to=current, the default)', async () => {
    const none = (await get(`/api/v1/editions/diff?from=${editions.e2020.id}&to=current`, t.adminToken)).json();
    expect(none).toEqual({
      from: { id: editions.e2020.id, name: '2020版', publishedAt: editions.e2020.publishedAt },
      to: { id: 'current', name: null, publishedAt: null },
      summary: { resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 0, itemsAdded: 0, itemsRemoved: 0, itemsChanged: 0 },
      added: [],
      removed: [],
      changed: [],
    });

    await update(ids.r3!, { ...input.r3, summary: '医疗机构执业登记与校验信息' });
    const one = (await get(`/api/v1/editions/diff?from=${editions.e2020.id}`, t.adminToken)).json();
    expect(one.summary).toEqual({ resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 1, itemsAdded: 0, itemsRemoved: 0, itemsChanged: 0 });
    expect(one.changed).toEqual([
      {
        code: '301001/00103',
        name: '医疗机构信息',
        fields: [{ field: 'summary', from: '用于测试的信息资源', to: '医疗机构执业登记与校验信息' }],
        items: { added: [], removed: [], changed: [] },
      },
    ]);

    const since2019 = (await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=current`, t.adminToken)).json();
    expect(since2019.summary).toEqual({ resourcesAdded: 1, resourcesRemoved: 1, resourcesChanged: 3, itemsAdded: 4, itemsRemoved: 4, itemsChanged: 1 });
    expect(since2019.changed.map((c: { code: string }) => c.code)).toEqual(['301001/00102', '301001/00103', '301001/00104']);
    const anon = (await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=current`)).json();
    expect(anon.changed.map((c: { code: string }) => c.code)).toEqual(['301001/00102', '301001/00103']);
  });

  it('reports unknown editions and missing parameters', async () => {
    const unknown = await get(`/api/v1/editions/diff?from=${editions.e2019.id}&to=no-such-edition`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
    expect((await get('/api/v1/editions/diff?from=no-such-edition')).statusCode).toBe(404);
    const missing = await get('/api/v1/editions/diff');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('VALIDATION_FAILED');
    expect((await get('/api/v1/editions/no-such-edition')).statusCode).toBe(404);
  });

  it('lists editions newest first with keyset pagination', async () => {
    const all = (await get('/api/v1/editions')).json();
    expect(all.items.map((e: { name: string }) => e.name)).toEqual(['2020版', '2019版']);
    const p1 = (await get('/api/v1/editions?limit=1')).json();
    expect(p1.items.map((e: { name: string }) => e.name)).toEqual(['2020版']);
    const p2 = (await get(`/api/v1/editions?limit=1&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((e: { name: string }) => e.name)).toEqual(['2019版']);
    expect(p2.nextCursor).toBeNull();
    expect((await get('/api/v1/editions?cursor=garbage')).json().code).toBe('INVALID_CURSOR');
  });

  it('publishes in batches: a small chunk size gives the same entries and hashes', async () => {
    const { db: kdb, dialect } = db;
    const chunked = createEditionsService({ db: kdb, dialect, clock: t.services.clock, auditor: t.services.auditor }, { chunkSize: 2 });
    const e = await chunked.publish(SYSTEM_ACTOR, { name: '分批发布' });
    expect(e).toMatchObject({ resourceCount: 5, itemCount: 15, shareableItemCount: 12 });
    const nothing = await chunked.diff(SYSTEM_ACTOR, e.id, 'current');
    expect(nothing.summary).toEqual({ resourcesAdded: 0, resourcesRemoved: 0, resourcesChanged: 0, itemsAdded: 0, itemsRemoved: 0, itemsChanged: 0 });
    const hashes = async (id: string) =>
      Object.fromEntries(
        (await kdb.selectFrom('edition_entries').select(['resource_code', 'content_hash']).where('edition_id', '=', id).execute()).map((r) => [
          r.resource_code,
          r.content_hash,
        ]),
      );
    const [now, then] = [await hashes(e.id), await hashes(editions.e2020.id)];
    expect(Object.keys(now).sort()).toEqual(Object.keys(then).sort());
    // Only r3 changed since 2020.
    expect(Object.keys(now).filter((code) => now[code] !== then[code])).toEqual(['301001/00103']);
  });
});

describe('edition content hash', () => {
  it('ignores ids, versions, timestamps, record counts, item order and tag order', () => {
    const item = (id: string, code: string, seq: number) => ({
      id,
      seq,
      code,
      name: code,
      nameEn: null,
      dataType: 'STRING' as const,
      legacyType: null,
      length: null,
      precision: null,
      primaryKey: false,
      nullable: true,
      codeSet: null,
      dataElement: null,
      shareType: 'CONDITIONAL' as const,
      shareCondition: null,
      openType: 'PROHIBITED' as const,
      openCondition: null,
      sensitivity: 'L2' as const,
      maskingRule: null,
      sourceField: null,
      description: null,
    });
    const base = {
      id: 'r-1',
      code: '301001/1',
      classificationCode: '301001',
      sequenceNo: '1',
      name: 'n',
      nameEn: null,
      category: 3,
      providerDepartmentId: 'd',
      regionCode: '330600',
      summary: 's',
      formatCategory: 3,
      formatType: null,
      shareType: 'CONDITIONAL' as const,
      shareCondition: 'c',
      notSharedBasis: null,
      shareModes: ['API', 'FILE'],
      openType: 'PROHIBITED' as const,
      openCondition: null,
      openDomain: null,
      updateFrequency: '02',
      publishedOn: null,
      relatedCodes: [],
      systemId: null,
      sensitivity: 'L2' as const,
      importance: 'GENERAL',
      classified: false,
      tags: ['a', 'b'],
      recordCounts: { total: 1, shared: 0, open: 0 },
      itemCount: 2,
      shareableItemCount: 2,
      version: 1,
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
      items: [item('i1', 'a', 1), item('i2', 'b', 2)],
    };
    const same = {
      ...base,
      id: 'r-2',
      version: 7,
      updatedAt: '2021-01-01T00:00:00.000Z',
      recordCounts: { total: 9, shared: 9, open: 9 },
      tags: ['b', 'a'],
      shareModes: ['FILE', 'API'],
      items: [item('i9', 'b', 1), item('i8', 'a', 2)],
    };
    expect(contentHash(same)).toBe(contentHash(base));
    expect(contentHash({ ...base, summary: 't' })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, items: [item('i1', 'a', 1)] })).not.toBe(contentHash(base));
  });
});
