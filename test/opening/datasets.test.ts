import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpenCatalog } from '../../src/modules/opening/contracts.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { mixedCsv, mixedResource, publish, upload } from './opening-fixtures.js';

describeEachDialect('open datasets: publication', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let catalog: OpenCatalog;
  let mixedId: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    catalog = t.services.openCatalog;
    mixedId = (await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id))).id;
  });

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('publishes a resource with its open items only, and audits it', async () => {
    const res = await publish(
      t,
      { resourceId: mixedId, tags: ['企业', 'enterprise'], licenceId: 'CC-BY-4.0', temporal: { from: '2020-01-01', to: null } },
      t.deptA.token,
    );
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({
      title: '企业登记信息',
      domain: '15',
      domainName: '市场监管',
      openType: 'RESTRICTED',
      licenceId: 'CC-BY-4.0',
      recordCount: 0,
      temporal: { from: '2020-01-01', to: null },
    });
    expect(d.items.map((i: { code: string }) => i.code)).toEqual(['uscc', 'org_name', 'reg_capital', 'legal_rep', 'phone']);
    expect(d.items.find((i: { code: string }) => i.code === 'legal_rep')).toMatchObject({ masked: true, openType: 'UNCONDITIONAL' });
    expect(d.distributions.map((x: { format: string }) => x.format)).toEqual(['CSV', 'XLSX', 'JSON', 'API']);
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?action=open-dataset.publish', headers: bearer(t.adminToken) });
    expect(audit.body).toContain(d.id);
    expect((await catalog.datasets()).map((x) => x.id)).toEqual([d.id]);
    expect(await catalog.dataset(d.name)).toMatchObject({ id: d.id });
  });

  it('refuses another department, a second publication and resources whose open type forbids opening', async () => {
    const other = await publish(t, { resourceId: mixedId }, t.deptB.token);
    expect(other.statusCode).toBe(403);
    const again = await publish(t, { resourceId: mixedId });
    expect(again.statusCode).toBe(409);
    const prohibited = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        openType: 'PROHIBITED',
        openCondition: null,
        openDomain: null,
        sensitivity: 'L4',
        shareType: 'NOT_SHARED',
        shareCondition: null,
        notSharedBasis: '法律规定',
      }),
    );
    const refused = await publish(t, { resourceId: prohibited.id });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'OPEN_NOT_ALLOWED' });
    expect(refused.json().detail).toContain('PROHIBITED');
    const unknown = await publish(t, { resourceId: 'no-such-resource' });
    expect(unknown.statusCode).toBe(404);
    const bad = await publish(t, { resourceId: mixedId, licenceId: 'WTFPL' });
    expect(bad.statusCode).toBe(400);
  });

  it('is a live view: a load shows at once in the record count and modified time', async () => {
    const before = (await catalog.datasets())[0]!;
    await upload(t, mixedId, mixedCsv(1, 30));
    const after = (await catalog.datasets())[0]!;
    expect(after.recordCount).toBe(30);
    expect(after.modifiedAt > before.modifiedAt).toBe(true);
  });

  it('finds datasets by Chinese words and English tokens through the index', async () => {
    const d = (await catalog.datasets())[0]!;
    expect([...(await catalog.match('企业登记')).keys()]).toEqual([d.id]);
    expect([...(await catalog.match('ENTERPRISE')).keys()]).toEqual([d.id]);
    expect([...(await catalog.match('单位名称')).keys()]).toEqual([d.id]);
    // A PROHIBITED item's name is not indexed.
    expect((await catalog.match('内部备注')).size).toBe(0);
    expect((await catalog.match('气象')).size).toBe(0);
  });

  it('updates and withdraws: the index and the list follow', async () => {
    const d = (await catalog.datasets())[0]!;
    const upd = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/open/datasets/${d.id}`,
      headers: bearer(t.deptA.token),
      payload: { title: '市场主体名录', tags: ['名录'] },
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ title: '市场主体名录', tags: ['名录'] });
    expect((await catalog.match('名录')).has(d.id)).toBe(true);
    expect((await catalog.match('enterprise')).has(d.id)).toBe(false);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/open/datasets/${d.id}`, headers: bearer(t.deptB.token) });
    expect(del.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'DELETE', url: `/api/v1/open/datasets/${d.name}`, headers: bearer(t.adminToken) });
    expect(ok.statusCode, ok.body).toBe(204);
    expect(await catalog.datasets()).toEqual([]);
    expect((await catalog.match('名录')).size).toBe(0);
  });
});
