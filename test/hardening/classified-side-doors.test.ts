import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

type Call = { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: unknown };

/**
 * A classified (涉密) resource answers every route that names it exactly like a resource that does
 * not exist, for everyone who may not see it (issue 7 item 8). The routes are taken from the
 * OpenAPI document, so a route added later under /resources/{id} is covered without editing this.
 */
describeEachDialect('classified resources have no side doors', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let secret: { id: string; code: string; name: string };
  let plainOfB: { id: string; code: string };
  let routes: { method: Call['method']; path: string }[];

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptB.token),
      payload: resourceInput(t.deptB.id, { name: '涉密测试资源', classified: true, shareType: 'NOT_SHARED', notSharedBasis: '保密法', openType: 'PROHIBITED' }),
    });
    expect(created.statusCode).toBe(201);
    secret = created.json();
    const plain = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.deptB.token), payload: resourceInput(t.deptB.id) });
    plainOfB = plain.json();
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/resources/{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase() as Call['method'], path })));
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  /** A request that would succeed for someone allowed to make it: only visibility may stop it. */
  function call(route: { method: Call['method']; path: string }, id: string, token: string | null): Call {
    const url = route.path.replace('{id}', encodeURIComponent(id)).replace('{batchId}', 'batch-1');
    const auth = token ? bearer(token) : {};
    const method = route.method;
    if (route.path.endsWith('/uploads'))
      return { method, url: `${url}?format=csv`, headers: { ...auth, 'content-type': 'text/csv' }, payload: 'uscc,org_name\n' };
    if (route.path.includes('/batches/')) return { method, url: `${url}?format=json`, headers: { ...auth, 'content-type': 'application/json' }, payload: '[]' };
    if (route.path.endsWith('/column-mappings') && route.method === 'PUT') return { method, url, headers: auth, payload: { mappings: {} } };
    if (route.path === '/api/v1/resources/{id}' && route.method === 'PUT') {
      // An officer writing an entry for their own department: only the target's visibility can refuse it.
      const dept = token === t.deptA.token ? t.deptA.id : t.deptB.id;
      return { method, url, headers: auth, payload: resourceInput(dept) };
    }
    return { method, url, headers: auth };
  }

  const answer = async (c: Call) => {
    const res = await t.app.inject(c as InjectOptions);
    const body = res.body ? (res.json() as Record<string, unknown>) : {};
    return { status: res.statusCode, code: body.code, body: res.body };
  };

  it('finds the routes under /resources/{id} (so the checks below cover something)', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'GET /api/v1/resources/{id}',
      'PUT /api/v1/resources/{id}',
      'DELETE /api/v1/resources/{id}',
      'GET /api/v1/resources/{id}/column-mappings',
      'PUT /api/v1/resources/{id}/column-mappings',
      'GET /api/v1/resources/{id}/records',
      'POST /api/v1/resources/{id}/uploads',
      'PUT /api/v1/resources/{id}/batches/{batchId}',
    ])
      expect(paths).toContain(expected);
  });

  it("another department's officer gets 404 NOT_FOUND on every route, as for an id that does not exist", async () => {
    for (const route of routes) {
      const hidden = await answer(call(route, secret.id, t.deptA.token));
      const missing = await answer(call(route, '01missing-resource-id', t.deptA.token));
      expect({ route: `${route.method} ${route.path}`, status: hidden.status, code: hidden.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
        code: 'NOT_FOUND',
      });
      expect(hidden.status).toBe(missing.status);
      expect(hidden.body).not.toContain(secret.name);
    }
  });

  it('an anonymous caller gets the answer a missing id gets: 404 on public routes, 401 (before any lookup) on the others', async () => {
    for (const route of routes) {
      const hidden = await answer(call(route, secret.id, null));
      const missing = await answer(call(route, '01missing-resource-id', null));
      expect({ route: `${route.method} ${route.path}`, status: hidden.status, code: hidden.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: missing.status,
        code: missing.code,
      });
      expect([401, 404]).toContain(hidden.status);
    }
    expect((await answer({ method: 'GET', url: `/api/v1/resources/${secret.id}` })).status).toBe(404);
    const [classification, sequence] = secret.code.split('/');
    expect((await answer({ method: 'GET', url: `/api/v1/resources/by-code/${classification}/${sequence}` })).status).toBe(404);
  });

  it('a pull source naming a hidden resource is told it does not exist, as for a missing id (422 REFERENCE_NOT_FOUND, not 403)', async () => {
    const source = (resourceId: string) => ({
      resourceId,
      name: '接口',
      kind: 'http',
      schedule: 'manual',
      config: { url: 'https://api.example.gov.cn/people', itemsPath: 'data', paging: { kind: 'page', size: 5 } },
    });
    const post = (resourceId: string, token: string) =>
      answer({ method: 'POST', url: '/api/v1/collection/sources', headers: bearer(token), payload: source(resourceId) });
    const hidden = await post(secret.id, t.deptA.token);
    const missing = await post('01missing-resource-id', t.deptA.token);
    expect(hidden).toMatchObject({ status: 422, code: 'REFERENCE_NOT_FOUND' });
    expect({ ...JSON.parse(hidden.body), id: null, detail: null, requestId: null }).toEqual({
      ...JSON.parse(missing.body),
      id: null,
      detail: null,
      requestId: null,
    });
    expect((await post(secret.id, t.deptB.token)).status).toBe(201);
  });

  it('a non-classified resource of another department still answers 403 to writes (it is public, its existence is no secret)', async () => {
    const res = await answer(call({ method: 'PUT', path: '/api/v1/resources/{id}/column-mappings' }, plainOfB.id, t.deptA.token));
    expect(res).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it("reusing a classified resource's code answers the same 409 as any taken code, naming nothing", async () => {
    const onSecret = await answer({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { code: secret.code }),
    });
    const onPlain = await answer({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.deptA.token),
      payload: resourceInput(t.deptA.id, { code: plainOfB.code }),
    });
    expect(onSecret).toMatchObject({ status: 409, code: 'DUPLICATE' });
    const strip = (b: string) => {
      const { requestId: _r, ...rest } = JSON.parse(b) as Record<string, unknown>;
      return rest;
    };
    expect(strip(onSecret.body)).toEqual(strip(onPlain.body));
    for (const leak of [secret.id, secret.name, t.deptB.id]) expect(onSecret.body).not.toContain(leak);
  });

  it("the provider department's officer still reaches every route", async () => {
    const tok = t.deptB.token;
    const route = (method: Call['method'], path: string) => call({ method, path }, secret.id, tok);
    expect((await answer(route('GET', '/api/v1/resources/{id}'))).status).toBe(200);
    expect((await answer(route('PUT', '/api/v1/resources/{id}/column-mappings'))).status).toBe(200);
    expect((await answer(route('GET', '/api/v1/resources/{id}/column-mappings'))).status).toBe(200);
    const upload = await answer({
      method: 'POST',
      url: `/api/v1/resources/${secret.id}/uploads?format=csv&wait=true`,
      headers: { ...bearer(tok), 'content-type': 'text/csv' },
      payload: 'uscc,org_name,reg_date\nT1,甲,2024-01-01\n',
    });
    expect(upload.status).toBe(200);
    expect(JSON.parse(upload.body).job.status).toBe('succeeded');
    const records = await answer(route('GET', '/api/v1/resources/{id}/records'));
    expect(records.status).toBe(200);
    expect(JSON.parse(records.body).items).toHaveLength(1);
    const edit = resourceInput(t.deptB.id, {
      code: secret.code,
      name: '涉密测试资源（修订）',
      classified: true,
      shareType: 'NOT_SHARED',
      notSharedBasis: '保密法',
      openType: 'PROHIBITED',
    });
    expect((await answer({ method: 'PUT', url: `/api/v1/resources/${secret.id}`, headers: bearer(tok), payload: edit })).status).toBe(200);
    expect((await answer({ method: 'GET', url: `/api/v1/resources/${secret.id}`, headers: bearer(t.adminToken) })).status).toBe(200);
    // The loaded one keeps its records (deleting it is refused for that reason); an empty one goes.
    const spare = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(tok),
      payload: resourceInput(t.deptB.id, { classified: true, shareType: 'NOT_SHARED', notSharedBasis: '保密法', openType: 'PROHIBITED' }),
    });
    expect((await answer(call({ method: 'DELETE', path: '/api/v1/resources/{id}' }, spare.json().id, tok))).status).toBe(204);
  });
});
