import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

function orders(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '画像测试',
    items: [
      { code: 'code', name: '编号', dataType: 'STRING', length: 10, primaryKey: true },
      { code: 'name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'birth', name: '出生日期', dataType: 'DATE', primaryKey: false },
      { code: 'amount', name: '金额', dataType: 'DECIMAL', length: 12, precision: 2, primaryKey: false },
      { code: 'qty', name: '数量', dataType: 'INTEGER', primaryKey: false },
      { code: 'active', name: '有效', dataType: 'BOOLEAN', primaryKey: false },
      { code: 'updated', name: '更新时间', dataType: 'DATETIME', primaryKey: false },
    ],
    ...over,
  });
}

const HEADER = 'code,name,birth,amount,qty,active,updated';
const KEPT = [
  'A001,张三,1990-01-02,12.5,10,true,2024-02-29 08:30:00',
  'A002,李四,1985-12-31,-3.25,-2,false,2024-03-01 00:00:00',
  'A003,,2001-07-15,100,10,true,',
  'A004,Tom,1990-01-02,12.5,,true,2024-02-29 08:30:00',
  'A005,张三丰,,9.05,7,,2023-12-31 23:59:59.5',
  'a006,张三,1990-01-02,,100,false,',
];
// Extreme in every item: were deleted rows counted, every min/max, distinct and top value would show it.
const DELETED = 'Z999,王五,1970-01-01,99999.99,999,true,2030-01-01 00:00:00';

type Item = Record<string, unknown> & { itemCode: string };

describeEachDialect('quality profiles', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  let secretId: string;

  const load = async (id: string, csv: string, query = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=x.csv${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status, res.body).toBe('succeeded');
  };
  const profile = (id: string, token = t.adminToken) =>
    t.app.inject({ method: 'POST', url: `/api/v1/quality/profiles/${id}?wait=true`, headers: bearer(token) });
  const latest = (id: string, token = t.adminToken) => t.app.inject({ method: 'GET', url: `/api/v1/quality/profiles/${id}`, headers: bearer(token) });

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, orders(t.deptA.id))).id;
    await load(resourceId, `${HEADER}\n${[...KEPT, DELETED].join('\n')}\n`);
    // A full snapshot without Z999: it is marked deleted.
    await load(resourceId, `${HEADER}\n${KEPT.join('\n')}\n`, '&mode=snapshot&batchId=snap');
    secretId = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        orders(t.deptA.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    await load(secretId, `${HEADER}\n${KEPT[0]}\n`);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.services.qualityProfiles.idle();
    await t.app.close();
    await db.drop();
  });

  it('a resource never profiled answers 404 QUALITY_PROFILE_NOT_FOUND; profiles are made on demand only', async () => {
    const res = await latest(resourceId);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'QUALITY_PROFILE_NOT_FOUND', resourceId });
  });

  it('profiles every item of the live records in the worker pool: exact nulls, distinct, typed min/max, top values, lengths, patterns', async () => {
    const started = await profile(resourceId);
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ resourceId, status: 'succeeded', error: null, progress: { rowsRead: 6 } });

    const res = await latest(resourceId);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: started.json().id, resourceId, rows: 6, valuesShown: true });
    const items = new Map((body.items as Item[]).map((i) => [i.itemCode, i]));
    expect([...items.keys()]).toEqual(['code', 'name', 'birth', 'amount', 'qty', 'active', 'updated']);

    expect(items.get('code')).toEqual({
      itemCode: 'code',
      name: '编号',
      dataType: 'STRING',
      rows: 6,
      nulls: 0,
      empty: 0,
      nullRate: 0,
      distinct: 6,
      min: 'A001',
      max: 'a006', // code-point order: 'a' after 'A'
      topValues: ['A001', 'A002', 'A003', 'A004', 'A005', 'a006'].map((value) => ({ value, count: 1 })),
      lengths: { min: 4, max: 4, avg: 4, histogram: [{ from: 4, to: 4, count: 6 }] },
      patterns: {
        top: [
          { pattern: 'A999', count: 5 },
          { pattern: 'a999', count: 1 },
        ],
        tracked: 2,
        exact: true,
      },
    });
    expect(items.get('name')).toMatchObject({
      nulls: 1,
      empty: 0,
      nullRate: 0.1667,
      distinct: 4,
      min: 'Tom',
      max: '李四',
      topValues: [
        { value: '张三', count: 2 },
        { value: 'Tom', count: 1 },
        { value: '张三丰', count: 1 },
        { value: '李四', count: 1 },
      ],
      lengths: {
        min: 2,
        max: 3,
        avg: 2.4,
        histogram: [
          { from: 2, to: 2, count: 3 },
          { from: 3, to: 3, count: 2 },
        ],
      },
      patterns: {
        top: [
          { pattern: '汉汉', count: 3 },
          { pattern: 'Aaa', count: 1 },
          { pattern: '汉汉汉', count: 1 },
        ],
      },
    });
    expect(items.get('birth')).toMatchObject({
      dataType: 'DATE',
      nulls: 1,
      distinct: 3,
      min: '1985-12-31',
      max: '2001-07-15',
      topValues: [
        { value: '1990-01-02', count: 3 },
        { value: '1985-12-31', count: 1 },
        { value: '2001-07-15', count: 1 },
      ],
      patterns: { top: [{ pattern: '9999-99-99', count: 5 }] },
    });
    // Numbers numerically (a text order would say max '9.05' and '7').
    expect(items.get('amount')).toMatchObject({
      nulls: 1,
      distinct: 4,
      min: '-3.25',
      max: '100.00',
      topValues: [
        { value: '12.50', count: 2 },
        { value: '-3.25', count: 1 },
        { value: '9.05', count: 1 },
        { value: '100.00', count: 1 },
      ],
      lengths: { min: 4, max: 6, avg: 5 },
      patterns: {
        top: [
          { pattern: '99.99', count: 2 },
          { pattern: '-9.99', count: 1 },
          { pattern: '9.99', count: 1 },
          { pattern: '999.99', count: 1 },
        ],
      },
    });
    expect(items.get('qty')).toMatchObject({
      nulls: 1,
      distinct: 4,
      min: -2,
      max: 100,
      topValues: [
        { value: 10, count: 2 },
        { value: -2, count: 1 },
        { value: 7, count: 1 },
        { value: 100, count: 1 },
      ],
      lengths: { min: 1, max: 3, avg: 2 },
    });
    expect(items.get('active')).toMatchObject({
      nulls: 1,
      distinct: 2,
      min: false,
      max: true,
      topValues: [
        { value: true, count: 3 },
        { value: false, count: 2 },
      ],
      lengths: { min: 4, max: 5, avg: 4.4 },
      patterns: {
        top: [
          { pattern: 'aaaa', count: 3 },
          { pattern: 'aaaaa', count: 2 },
        ],
      },
    });
    expect(items.get('updated')).toMatchObject({
      nulls: 2,
      nullRate: 0.3333,
      distinct: 3,
      min: '2023-12-31T23:59:59.5',
      max: '2024-03-01T00:00:00',
      topValues: [
        { value: '2024-02-29T08:30:00', count: 2 },
        { value: '2023-12-31T23:59:59.5', count: 1 },
        { value: '2024-03-01T00:00:00', count: 1 },
      ],
      lengths: {
        min: 19,
        max: 21,
        avg: 19.5,
        histogram: [
          { from: 19, to: 19, count: 3 },
          { from: 20, to: 20, count: 0 },
          { from: 21, to: 21, count: 1 },
        ],
      },
      patterns: {
        top: [
          { pattern: '9999-99-99A99:99:99', count: 3 },
          { pattern: '9999-99-99A99:99:99.9', count: 1 },
        ],
      },
    });
  });

  it('only the latest profile is kept; profiling is audited', async () => {
    const first = (await latest(resourceId)).json().id;
    const again = await profile(resourceId);
    expect(again.json().status).toBe('succeeded');
    expect((await latest(resourceId)).json().id).toBe(again.json().id);
    const kept = await db.db.selectFrom('quality_profiles').select('id').where('resource_id', '=', resourceId).execute();
    expect(kept.map((r) => r.id)).toEqual([again.json().id]);
    expect(first).not.toBe(again.json().id);
    const audit = await db.db.selectFrom('audit_events').select(['action', 'target_id']).where('action', '=', 'quality.profile').execute();
    expect(audit.map((a) => a.target_id)).toEqual(expect.arrayContaining([first, again.json().id]));
  });

  it('another department sees the figures without values, cannot profile (403), and a classified resource it cannot see is 404', async () => {
    const other = await latest(resourceId, t.deptB.token);
    expect(other.statusCode).toBe(200);
    const name = (other.json().items as Item[]).find((i) => i.itemCode === 'name')!;
    expect(other.json().valuesShown).toBe(false);
    expect(name).toMatchObject({ nulls: 1, distinct: 4, min: null, max: null, topValues: [] });
    expect((await profile(resourceId, t.deptB.token)).statusCode).toBe(403);

    for (const res of [await latest(secretId, t.deptB.token), await profile(secretId, t.deptB.token)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    const unknown = await latest('0190c0de-0000-7000-8000-000000000000');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'NOT_FOUND']);
    // The provider department may profile its classified resource.
    expect((await profile(secretId, t.deptA.token)).json()).toMatchObject({ status: 'succeeded' });
    expect((await latest(secretId, t.deptA.token)).json()).toMatchObject({ rows: 1, valuesShown: true });
  });
});
