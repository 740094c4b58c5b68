import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, syntheticUscc } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('regions, departments and the system census', (fresh) => {
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

  describe('regions', () => {
    it('lists the city and its districts with parents derived from GB/T 2260', async () => {
      const page = (await t.app.inject({ method: 'GET', url: '/api/v1/regions' })).json();
      expect(page.items.map((r: { code: string }) => r.code)).toEqual(['330600', '330602', '330603', '330604', '330624', '330681', '330683']);
      const keqiao = page.items.find((r: { code: string }) => r.code === '330603');
      expect(keqiao).toMatchObject({ name: '柯桥区', level: 'county', parentCode: '330600' });
      const districts = (await t.app.inject({ method: 'GET', url: '/api/v1/regions?parentCode=330600&limit=3' })).json();
      expect(districts.items).toHaveLength(3);
      expect(districts.nextCursor).not.toBeNull();
    });

    it('rejects a code that is not in force, a wrong name, and a duplicate', async () => {
      const retired = await t.app.inject({ method: 'POST', url: '/api/v1/regions', headers: bearer(t.adminToken), payload: { code: '330682' } });
      expect(retired.json().code).toBe('INVALID_REGION_CODE');
      expect(retired.json().detail).toContain('330604');
      const made = await t.app.inject({ method: 'POST', url: '/api/v1/regions', headers: bearer(t.adminToken), payload: { code: '999999' } });
      expect(made.json().code).toBe('INVALID_REGION_CODE');
      const wrongName = await t.app.inject({
        method: 'POST',
        url: '/api/v1/regions',
        headers: bearer(t.adminToken),
        payload: { code: '330100', name: '绍兴市' },
      });
      expect(wrongName.json().code).toBe('INVALID_REGION_CODE');
      const dup = await t.app.inject({ method: 'POST', url: '/api/v1/regions', headers: bearer(t.adminToken), payload: { code: '330602' } });
      expect(dup.statusCode).toBe(409);
    });

    it('only administrators manage regions', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/regions', headers: bearer(t.deptA.token), payload: { code: '330100' } });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('departments', () => {
    it('creates, reads, filters and updates a department; USCC normalised', async () => {
      const uscc = syntheticUscc();
      const spaced = `${uscc.slice(0, 2)} ${uscc.slice(2).toLowerCase()}`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: bearer(t.adminToken),
        payload: { name: '越城区民政局', uscc: spaced, regionCode: '330602', kind: 'GOVERNMENT', contactName: '张工' },
      });
      expect(res.statusCode).toBe(201);
      const dep = res.json();
      expect(dep.uscc).toBe(uscc);
      const list = (await t.app.inject({ method: 'GET', url: '/api/v1/departments?regionCode=330602' })).json();
      expect(list.items.map((d: { name: string }) => d.name)).toEqual(['越城区民政局']);
      const q = (await t.app.inject({ method: 'GET', url: `/api/v1/departments?q=${encodeURIComponent('民政')}` })).json();
      expect(q.items).toHaveLength(1);
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/departments/${dep.id}`,
        headers: bearer(t.adminToken),
        payload: { name: '越城区民政局', shortName: '越城民政', uscc, regionCode: '330602' },
      });
      expect(put.json().shortName).toBe('越城民政');
    });

    it('rejects an invalid USCC, an unknown region, a duplicate USCC; officers may not add departments', async () => {
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: bearer(t.adminToken),
        payload: departmentInput({ uscc: '91330106MA2AAAAA02' }),
      });
      expect(bad.json().code).toBe('INVALID_USCC');
      const region = await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: bearer(t.adminToken),
        payload: departmentInput({ regionCode: '330100' }),
      });
      expect(region.json().code).toBe('REFERENCE_NOT_FOUND');
      const input = departmentInput();
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: input })).statusCode).toBe(201);
      const dup = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.adminToken), payload: { ...input, name: '另一个名字' } });
      expect(dup.json().code).toBe('DUPLICATE');
      const officer = await t.app.inject({ method: 'POST', url: '/api/v1/departments', headers: bearer(t.deptA.token), payload: departmentInput() });
      expect(officer.statusCode).toBe(403);
    });

    it('refuses to delete a department that still provides resources', async () => {
      await t.services.resources.create({ userId: 'x', username: 'admin', role: 'ADMIN', departmentId: null }, resourceInput(t.deptA.id));
      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/departments/${t.deptA.id}`, headers: bearer(t.adminToken) });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('IN_USE');
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/departments/${t.deptA.id}` })).statusCode).toBe(200);
    });
  });

  describe('information systems (census)', () => {
    it('an officer registers a system of their own department, not of another', async () => {
      const own = await t.app.inject({
        method: 'POST',
        url: '/api/v1/systems',
        headers: bearer(t.deptA.token),
        payload: { name: '市场主体登记系统', departmentId: t.deptA.id, level: 'PROVINCIAL', connected: true, launchedOn: '2018-06-01' },
      });
      expect(own.statusCode).toBe(201);
      expect(own.json()).toMatchObject({ status: 'IN_USE', connected: true, level: 'PROVINCIAL' });
      const other = await t.app.inject({
        method: 'POST',
        url: '/api/v1/systems',
        headers: bearer(t.deptA.token),
        payload: { name: '医院信息系统', departmentId: t.deptB.id, level: 'CITY' },
      });
      expect(other.statusCode).toBe(403);
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/systems/${own.json().id}`,
        headers: bearer(t.deptB.token),
        payload: { name: '改名', departmentId: t.deptB.id, level: 'CITY' },
      });
      expect(put.statusCode).toBe(403);
    });

    it('filters by level and connection; a resource names its source system', async () => {
      const sys = (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/systems',
          headers: bearer(t.adminToken),
          payload: { name: '卫生监督系统', departmentId: t.deptB.id, level: 'COUNTY', connected: false },
        })
      ).json();
      const counties = (await t.app.inject({ method: 'GET', url: '/api/v1/systems?level=COUNTY&connected=false' })).json();
      expect(counties.items.map((s: { id: string }) => s.id)).toContain(sys.id);
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/resources',
        headers: bearer(t.adminToken),
        payload: resourceInput(t.deptB.id, { systemId: sys.id }),
      });
      expect(r.json().systemId).toBe(sys.id);
      const bySystem = (await t.app.inject({ method: 'GET', url: `/api/v1/resources?systemId=${sys.id}` })).json();
      expect(bySystem.items).toHaveLength(1);
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/systems/${sys.id}`, headers: bearer(t.adminToken) });
      expect(del.json().code).toBe('IN_USE');
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v1/resources',
        headers: bearer(t.adminToken),
        payload: resourceInput(t.deptB.id, { systemId: 'nope' }),
      });
      expect(unknown.json().code).toBe('REFERENCE_NOT_FOUND');
    });
  });
});
