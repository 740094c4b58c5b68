import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleResource, PLATFORM_KEY } from './gateway-fixtures.js';

const base = '/api/v1/sharing/interfaces';

describeEachDialect('sharing interfaces: generated and upstream, audited, each with its OpenAPI description', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let people: string;
  let classified: string;
  const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { sources: { security: { secretKey: PLATFORM_KEY } } });
    people = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptB.id))).id;
    classified = (
      await t.services.resources.create(SYSTEM_ACTOR, {
        ...peopleResource(t.deptB.id),
        classified: true,
        openType: 'PROHIBITED',
        openCondition: null,
        openDomain: null,
      })
    ).id;
  });

  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it("generates a draft from a resource for its provider's officer: key items default to the primary key, filter items checked", async () => {
    const made = await req('POST', base, t.deptB.token, {
      resourceId: people,
      code: 'population',
      name: '人口信息查询',
      filterItems: ['district'],
      quotaPerDay: 1000,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      code: 'population',
      version: 'v1',
      kind: 'GENERATED',
      level: 'CITY',
      status: 'DRAFT',
      resourceId: people,
      departmentId: t.deptB.id,
      keyItems: ['person_id'],
      filterItems: ['district'],
      quotaPerDay: 1000,
      ratePerSecond: null,
      upstream: null,
      gatewayPath: '/gateway/population/v1',
    });
    const audit = await db.db.selectFrom('audit_events').selectAll().where('action', '=', 'sharing.interface.create').execute();
    expect(audit.map((a) => a.target_id)).toContain(made.json().id);

    const other = await req('POST', base, t.deptA.token, { resourceId: people, code: 'population2', name: '人口信息查询' });
    expect(other.statusCode).toBe(403);
    const badFilter = await req('POST', base, t.deptB.token, { resourceId: people, code: 'population3', name: '人口信息查询', filterItems: ['nope'] });
    expect(badFilter.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.filterItems.0' }] });
    const badKey = await req('POST', base, t.deptB.token, { resourceId: people, code: 'population3', name: '人口信息查询', keyItems: ['mobile'] });
    expect(badKey.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.keyItems' }] });
    const reserved = await req('POST', base, t.deptB.token, { resourceId: people, code: 'population3', name: '人口信息查询', filterItems: ['limit'] });
    expect(reserved.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.filterItems.0' }] });
    const twice = await req('POST', base, t.adminToken, { resourceId: people, code: 'population', name: '人口信息查询' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('DUPLICATE');
  });

  it('moves DRAFT → PUBLISHED → OFFLINE → PUBLISHED; code, version and deletion only while a draft', async () => {
    const id = (await req('POST', base, t.deptB.token, { resourceId: people, code: 'population-status', name: '人口信息查询' })).json().id;
    expect((await req('PATCH', `${base}/${id}`, t.deptB.token, { version: 'v2' })).json()).toMatchObject({ version: 'v2' });
    expect((await req('PATCH', `${base}/${id}`, t.deptB.token, { status: 'PUBLISHED' })).json()).toMatchObject({ status: 'PUBLISHED' });
    const recode = await req('PATCH', `${base}/${id}`, t.deptB.token, { code: 'renamed' });
    expect(recode.statusCode).toBe(409);
    expect(recode.json()).toMatchObject({ code: 'INTERFACE_TRANSITION_INVALID' });
    const back = await req('PATCH', `${base}/${id}`, t.deptB.token, { status: 'DRAFT' });
    expect(back.json()).toMatchObject({ code: 'INTERFACE_TRANSITION_INVALID', from: 'PUBLISHED', to: 'DRAFT', allowed: ['OFFLINE'] });
    expect((await req('DELETE', `${base}/${id}`, t.deptB.token)).statusCode).toBe(409);
    expect((await req('PATCH', `${base}/${id}`, t.deptB.token, { status: 'OFFLINE', ratePerSecond: 20 })).json()).toMatchObject({
      status: 'OFFLINE',
      ratePerSecond: 20,
    });
    expect((await req('PATCH', `${base}/${id}`, t.deptA.token, { status: 'PUBLISHED' })).statusCode).toBe(403);
    const draft = (await req('POST', base, t.deptB.token, { resourceId: people, code: 'population-draft', name: '人口信息查询' })).json().id;
    expect((await req('DELETE', `${base}/${draft}`, t.deptB.token)).statusCode).toBe(204);
    expect((await req('GET', `${base}/${draft}`, t.deptB.token)).statusCode).toBe(404);
    const actions = (await db.db.selectFrom('audit_events').select('action').where('target_id', 'in', [id, draft]).execute()).map((a) => a.action);
    expect(actions.filter((a) => a === 'sharing.interface.update').length).toBeGreaterThanOrEqual(3);
    expect(actions).toContain('sharing.interface.delete');
  });

  it('registers an upstream interface by URL with a sealed secret that is never returned', async () => {
    const secret = 'zj-app-secret-0123456789';
    const made = await req('POST', `${base}/upstream`, t.adminToken, {
      departmentId: t.deptA.id,
      code: 'zj-enterprise',
      name: '浙江省企业登记信息查询',
      url: 'https://api.example.gov.cn/enterprise',
      method: 'POST',
      auth: { scheme: 'zhejiang', appKey: 'APPKEY1', refreshUrl: 'https://api.example.gov.cn/refresh' },
      secret,
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.body).not.toContain(secret);
    expect(made.json()).toMatchObject({
      kind: 'UPSTREAM',
      level: 'PROVINCIAL',
      resourceId: null,
      keyItems: [],
      upstream: {
        url: 'https://api.example.gov.cn/enterprise',
        method: 'POST',
        timeoutMs: 5000,
        auth: { scheme: 'zhejiang', appKey: 'APPKEY1' },
        hasSecret: true,
      },
    });
    const row = await db.db.selectFrom('sharing_interfaces').selectAll().where('id', '=', made.json().id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).toMatch(/^v1:/);
    expect(row.secret_sealed).not.toContain(secret);
    const audit = await db.db.selectFrom('audit_events').selectAll().where('target_id', '=', made.json().id).execute();
    expect(JSON.stringify(audit)).not.toContain(secret);
    const cleared = await req('PATCH', `${base}/${made.json().id}`, t.deptA.token, { secret: null, timeoutMs: 2000 });
    expect(cleared.json().upstream).toMatchObject({ hasSecret: false, timeoutMs: 2000 });
    const noFilters = await req('PATCH', `${base}/${made.json().id}`, t.adminToken, { filterItems: ['x_y'] });
    expect(noFilters.statusCode).toBe(400);
    const noDepartment = await req('POST', `${base}/upstream`, t.adminToken, { code: 'zj-x', name: '浙江省接口', url: 'https://api.example.gov.cn/x' });
    expect(noDepartment.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.departmentId' }] });
    const notHttp = await req('POST', `${base}/upstream`, t.deptA.token, { code: 'zj-y', name: '浙江省接口', url: 'ftp://api.example.gov.cn/x' });
    expect(notHttp.statusCode).toBe(400);
  });

  it('describes each generated interface in its own OpenAPI document: gateway paths, key items as parameters, items with types', async () => {
    const id = (await req('POST', base, t.deptB.token, { resourceId: people, code: 'population-doc', name: '人口信息查询', filterItems: ['district'] })).json()
      .id;
    const res = await req('GET', `${base}/${id}/openapi.json`, t.deptA.token);
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/gateway/population-doc/v1', '/gateway/population-doc/v1/batch', '/gateway/population-doc/v1/records']);
    const lookup = doc.paths['/gateway/population-doc/v1'].get;
    expect(lookup.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required])).toEqual([
      ['X-Purpose', 'header', true],
      ['person_id', 'query', true],
      ['items', 'query', false],
    ]);
    const record = lookup.responses['200'].content['application/json'].schema.properties.data.anyOf[0];
    expect(record.properties.income).toMatchObject({ type: ['string', 'null'], title: '年收入' });
    expect(record.properties.district).toMatchObject({ type: ['string', 'null'] });
    expect(record.properties.full_name.description).toBe('masked (NAME)');
    const records = doc.paths['/gateway/population-doc/v1/records'].get.parameters.map((p: { name: string }) => p.name);
    expect(records).toEqual(['X-Purpose', 'district', 'items', 'cursor', 'limit']);
  });

  it("hides a classified resource's interfaces from other departments, in the list and by id", async () => {
    const id = (await req('POST', base, t.deptB.token, { resourceId: classified, code: 'secret-people', name: '涉密人口信息' })).json().id;
    expect((await req('GET', `${base}/${id}`, t.deptB.token)).statusCode).toBe(200);
    expect((await req('GET', `${base}/${id}`, t.deptA.token)).statusCode).toBe(404);
    expect((await req('GET', `${base}/${id}/openapi.json`, t.deptA.token)).statusCode).toBe(404);
    const codes = async (token: string) => (await req('GET', `${base}?limit=500`, token)).json().items.map((i: { code: string }) => i.code);
    expect(await codes(t.deptB.token)).toContain('secret-people');
    expect(await codes(t.deptA.token)).not.toContain('secret-people');
    expect(await codes(t.deptA.token)).toContain('population');
  });
});
