import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from './collection-fixtures.js';

type Figures = {
  scope: string;
  year: number;
  resources: number;
  resourcesWithData: number;
  coverage: number | null;
  records: number;
  recordsAddedInYear: number;
  cityLevel: { resources: number; resourcesWithData: number; records: number; coverage: number | null };
  districts: { resources: number; resourcesWithData: number; records: number; coverage: number | null };
  byRegion: { regionCode: string; records: number; resources: number; resourcesWithData: number }[];
  byDepartment: { departmentId: string; records: number; resourcesWithData: number; recordsAddedInYear: number }[];
  byResource: { resourceId: string; records: number }[];
};

describeEachDialect('collection figures', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let cityResource: string;
  let districtResource: string;
  let secretResource: string;
  let districtDept: string;

  const load = async (resourceId: string, csv: string, query = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=x.csv${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status).toBe('succeeded');
  };
  const figures = async (token?: string, query = ''): Promise<Figures> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/collection/stats${query}`, headers: token ? bearer(token) : {} });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    districtDept = (await t.services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '越城区民政局', regionCode: '330602' }))).id;
    cityResource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    districtResource = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(districtDept))).id;
    // Catalogued but never loaded: it lowers coverage.
    await t.services.resources.create(SYSTEM_ACTOR, peopleResource(districtDept));
    secretResource = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        peopleResource(t.deptB.id, { classified: true, openType: 'PROHIBITED', openCondition: undefined, openDomain: undefined }),
      )
    ).id;
    await load(cityResource, peopleCsv(1, 30));
    await load(districtResource, peopleCsv(1, 12));
    await load(districtResource, peopleCsv(1, 10), '&mode=snapshot&batchId=snap');
    await load(secretResource, peopleCsv(1, 5));
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('counts records, coverage (应归尽归) and records added this year, city level vs districts', async () => {
    const f = await figures(t.adminToken);
    expect(f).toMatchObject({ scope: 'all', year: new Date().getUTCFullYear(), resources: 4, resourcesWithData: 3, coverage: 0.75, records: 45 });
    // Added = first inserted: the snapshot's two deletions do not subtract.
    expect(f.recordsAddedInYear).toBe(47);
    expect(f.cityLevel).toMatchObject({ resources: 2, resourcesWithData: 2, records: 35, coverage: 1 });
    expect(f.districts).toMatchObject({ resources: 2, resourcesWithData: 1, records: 10, coverage: 0.5 });
    expect(f.byRegion.find((r) => r.regionCode === '330602')).toMatchObject({ resources: 2, resourcesWithData: 1, records: 10 });
    expect(f.byRegion.find((r) => r.regionCode === '330603')).toMatchObject({ resources: 0, records: 0 });
    expect(f.byDepartment.find((d) => d.departmentId === districtDept)).toMatchObject({ records: 10, resourcesWithData: 1, recordsAddedInYear: 12 });
    expect(f.byResource.map((r) => [r.resourceId, r.records])).toEqual([
      [cityResource, 30],
      [districtResource, 10],
      [secretResource, 5],
    ]);
  });

  it('another year has its own "added"; top limits the resource list', async () => {
    const f = await figures(t.adminToken, '?year=2001&top=1');
    expect(f).toMatchObject({ year: 2001, recordsAddedInYear: 0, records: 45 });
    expect(f.byResource).toHaveLength(1);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/collection/stats?year=abc' });
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('leaves classified resources out for the public, and keeps them for their own department', async () => {
    const anon = await figures();
    expect(anon).toMatchObject({ scope: 'public', resources: 3, resourcesWithData: 2, records: 40, recordsAddedInYear: 42 });
    expect(anon.byResource.map((r) => r.resourceId)).not.toContain(secretResource);
    const own = await figures(t.deptB.token);
    expect(own).toMatchObject({ scope: 'department', resources: 4, records: 45 });
    const other = await figures(t.deptA.token);
    expect(other).toMatchObject({ scope: 'department', resources: 3, records: 40 });
  });
});
