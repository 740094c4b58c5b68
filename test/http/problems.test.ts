import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('problem+json at the edge', (fresh) => {
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

  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status, code });
    expect(typeof body.title).toBe('string');
    expect(typeof body.requestId).toBe('string');
    return body;
  };

  it('bad JSON → MALFORMED_JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('unknown fields → VALIDATION_FAILED naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.adminToken),
      payload: { ...resourceInput(t.deptA.id), colour: 'red' },
    });
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors.some((e: { path: string }) => e.path.includes('colour'))).toBe(true);
  });

  it('wrong types → VALIDATION_FAILED with the field path', async () => {
    const input = resourceInput(t.deptA.id);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: bearer(t.adminToken),
      payload: { ...input, category: 'three', items: [{ ...input.items[0], primaryKey: 'yes' }] },
    });
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('body.category');
    expect(paths).toContain('body.items.0.primaryKey');
  });

  it('unknown ids → NOT_FOUND', async () => {
    for (const url of ['/api/v1/resources/nope', '/api/v1/departments/nope', '/api/v1/systems/nope', '/api/v1/regions/110000']) {
      expectProblem(await t.app.inject({ method: 'GET', url }), 404, 'NOT_FOUND');
    }
  });

  it('unknown routes → ROUTE_NOT_FOUND; bad cursor → INVALID_CURSOR; bad query → VALIDATION_FAILED', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/nothing' }), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/resources?cursor=zzz' }), 400, 'INVALID_CURSOR');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/resources?limit=0' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/resources?shareType=SOMETIMES' }), 400, 'VALIDATION_FAILED');
  });

  it('an invalid USCC and a retired region code get their own codes', async () => {
    const dep = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: bearer(t.adminToken),
      payload: { name: '某某局', uscc: '91110000600037341N', regionCode: '330600' },
    });
    const body = expectProblem(dep, 422, 'INVALID_USCC');
    expect(body.detail).toContain("should be 'L'");
    const region = await t.app.inject({ method: 'POST', url: '/api/v1/regions', headers: bearer(t.adminToken), payload: { code: '330621' } });
    const rb = expectProblem(region, 422, 'INVALID_REGION_CODE');
    expect(rb.detail).toContain('绍兴县');
    expect(rb.detail).toContain('330603');
  });

  it('healthz and the OpenAPI document answer', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/resources'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/resources/{id}'].get.parameters[0].name).toBe('id');
  });
});
