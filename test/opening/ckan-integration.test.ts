import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Resource } from '../../src/modules/catalog/index.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { mixedCsv, mixedResource, publish, upload } from './opening-fixtures.js';
import { readTurtle } from './turtle-reader.js';

/**
 * The CKAN Action API and the DCAT export over the real open catalogue, on every dialect:
 * datasets published through POST /api/v1/open/datasets from resources with UNCONDITIONAL,
 * RESTRICTED and PROHIBITED items, beside unpublished, classified, PROHIBITED and L4 resources.
 * Nothing that is not open may appear in any answer, facet, count or row.
 */
const SECRETS = ['内部备注', 'secret_note', '机密', 'HIDDEN-VALUE', '未发布资源', '涉密资源', '禁止开放资源', '敏感资源', '13800000001', 'phone'];

const prohibitedItems = () => mixedResource('x').items.map((i) => ({ ...i, openType: 'PROHIBITED' as const, openCondition: null }));

describeEachDialect('CKAN API and DCAT export: nothing non-open ever appears', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let mixed: Resource;
  let weather: Resource;
  let hidden: Resource[];
  const ids: Record<string, string> = {};
  const bodies: string[] = [];

  async function action(name: string, params: Record<string, string> = {}, status = 200) {
    const res = await t.app.inject({ method: 'GET', url: `/api/3/action/${name}?${new URLSearchParams(params).toString()}` });
    expect(res.statusCode, `${name} ${JSON.stringify(params)}: ${res.body.slice(0, 300)}`).toBe(status);
    // Only answers are collected for the leak check: an error may echo the caller's own input.
    if (status === 200) bodies.push(res.body);
    return res.json();
  }

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const create = (input: Parameters<typeof t.services.resources.create>[1]) => t.services.resources.create(SYSTEM_ACTOR, input);
    mixed = await create(mixedResource(t.deptA.id));
    weather = await create(
      resourceInput(t.deptB.id, {
        name: '空气质量监测数据',
        summary: '各监测站点的空气质量日报',
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        openType: 'UNCONDITIONAL',
        openCondition: null,
        openDomain: 10,
        sensitivity: 'L1',
        regionCode: '330602',
        tags: ['空气'],
        items: [
          { code: 'station', name: '监测站点', dataType: 'STRING', length: 50, primaryKey: true },
          { code: 'aqi', name: '空气质量指数', dataType: 'INTEGER', primaryKey: false },
        ],
      }),
    );
    hidden = [
      await create(mixedResource(t.deptA.id, { name: '未发布资源', tags: ['未发布'] })),
      await create(mixedResource(t.deptA.id, { name: '涉密资源', classified: true, openType: 'PROHIBITED', openDomain: null, items: prohibitedItems() })),
      await create(mixedResource(t.deptB.id, { name: '禁止开放资源', openType: 'PROHIBITED', openDomain: null, items: prohibitedItems() })),
      await create(mixedResource(t.deptB.id, { name: '敏感资源', sensitivity: 'L4', openType: 'PROHIBITED', openDomain: null, items: prohibitedItems() })),
    ];
    for (const r of [mixed, ...hidden]) await upload(t, r.id, mixedCsv(1, 12).replace(/机密1,/g, 'HIDDEN-VALUE,'));
    await upload(t, weather.id, 'station,aqi\n越城站,42\n柯桥站,57\n上虞站,88\n');
    for (const r of [mixed, weather]) {
      const res = await publish(t, { resourceId: r.id, tags: r.tags });
      expect(res.statusCode, res.body).toBe(201);
      ids[r.id] = res.json().id;
    }
    for (const r of hidden.slice(1)) expect((await publish(t, { resourceId: r.id })).statusCode).toBe(422);
  });

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('lists and searches exactly the published datasets, with counts, facets and tags from them only', async () => {
    const published = [ids[mixed.id]!, ids[weather.id]!].sort();
    const list = (await action('package_list')).result as string[];
    expect(list).toHaveLength(2);
    const all = (
      await action('package_search', { rows: '1000', 'facet.field': '["tags","organization","groups","res_format","license_id"]', 'facet.limit': '-1' })
    ).result;
    expect(all.count).toBe(2);
    expect(all.results.map((p: { id: string }) => p.id).sort()).toEqual(published);
    expect(all.results.map((p: { name: string }) => p.name).sort()).toEqual([...list].sort());
    expect(all.facets.tags).toEqual({ 企业: 1, 登记: 1, 空气: 1 });
    expect(all.facets.organization).toEqual({ [t.deptA.id]: 1, [t.deptB.id]: 1 });
    expect(all.facets.groups).toEqual({ 'domain-15': 1, 'domain-10': 1 });
    expect(all.facets.res_format).toEqual({ CSV: 2, XLSX: 2, JSON: 2, API: 2 });
    expect((await action('tag_list')).result).toEqual(['企业', '空气', '登记'].sort());
    const orgs = (await action('organization_list', { all_fields: 'true' })).result as { id: string; package_count: number }[];
    expect(orgs.map((o) => [o.id, o.package_count]).sort()).toEqual([
      [t.deptA.id, 1],
      [t.deptB.id, 1],
    ]);
    expect((await action('group_list')).result.sort()).toEqual(['domain-10', 'domain-15']);
    for (const q of ['内部备注', '机密', '未发布资源', '涉密资源', '禁止开放', '敏感资源']) {
      const res = await t.app.inject({ url: `/api/3/action/package_search?q=${encodeURIComponent(q)}` });
      expect(res.json().result, q).toMatchObject({ count: 0, results: [] });
    }
    expect((await action('package_search', { q: '空气质量' })).result.results.map((p: { id: string }) => p.id)).toEqual([ids[weather.id]]);
    expect((await action('package_search', { fq: `organization:${t.deptA.id} AND tags:企业` })).result.count).toBe(1);
    expect((await action('package_search', { fq: 'tags:未发布' })).result.count).toBe(0);
  });

  it('shows a package from the publication, and 404 for resources that are not published', async () => {
    const p = (await action('package_show', { id: ids[mixed.id]! })).result;
    expect(p).toMatchObject({
      id: ids[mixed.id],
      title: '企业登记信息',
      organization: { id: t.deptA.id },
      groups: [{ name: 'domain-15' }],
      num_resources: 4,
      private: false,
    });
    expect(p.tags.map((x: { name: string }) => x.name)).toEqual(['企业', '登记']);
    for (const r of p.resources) expect((await action('resource_show', { id: r.id })).result.package_id).toBe(p.id);
    for (const r of hidden) {
      await action('package_show', { id: r.id }, 404);
      await action('datastore_search', { resource_id: `${r.id}-csv` }, 404);
    }
    await action('package_show', { id: mixed.id }, 404);
  });

  it('reads rows with datastore_search: the open, unmasked-or-masked items the catalogue opens unconditionally, never RESTRICTED or PROHIBITED ones', async () => {
    const open = (mixed.items ?? []).filter((i) => i.openType === 'UNCONDITIONAL').map((i) => i.code);
    expect(open).toEqual(['uscc', 'org_name', 'reg_capital', 'legal_rep']);
    const r = (await action('datastore_search', { resource_id: `${ids[mixed.id]}-csv`, limit: '5' })).result;
    expect(r.fields.map((f: { id: string }) => f.id)).toEqual(open);
    expect(r.fields.find((f: { id: string }) => f.id === 'reg_capital').type).toBe('int');
    expect(r.total).toBe(12);
    expect(r.records).toHaveLength(5);
    for (const rec of r.records) expect(Object.keys(rec)).toEqual(open);
    expect(r.records[0].legal_rep).toMatch(/^张\*+$/);
    expect(r._links.next).toBe(`/api/3/action/datastore_search?resource_id=${ids[mixed.id]}-csv&limit=5&offset=5`);
    const page = (
      await action('datastore_search', {
        resource_id: `${ids[mixed.id]}-api`,
        filters: JSON.stringify({ org_name: ['企业2', '企业3'] }),
        sort: 'reg_capital desc',
      })
    ).result;
    expect(page.records.map((x: { org_name: string }) => x.org_name)).toEqual(['企业3', '企业2']);
    expect(page.total).toBe(2);
    // Not collected for the leak check: the answer echoes the caller's q.
    const secretText = await t.app.inject({ url: `/api/3/action/datastore_search?resource_id=${ids[mixed.id]}-csv&q=${encodeURIComponent('机密')}` });
    expect(secretText.json().result).toMatchObject({ total: 0, records: [] });
    const bads: Record<string, string>[] = [
      { filters: '{"secret_note":"x"}' },
      { filters: '{"phone":"13800000001"}' },
      { filters: '{"legal_rep":"张三1"}' },
      { sort: 'secret_note' },
      { fields: 'secret_note' },
    ];
    for (const bad of bads) {
      const res = await t.app.inject({
        url: `/api/3/action/datastore_search?${new URLSearchParams({ resource_id: `${ids[mixed.id]}-csv`, ...bad }).toString()}`,
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(409);
      expect(res.json()).toMatchObject({ success: false, error: { __type: 'Validation Error' } });
    }
    const withheld = await t.app.inject({ url: `/api/3/action/datastore_search?resource_id=${ids[mixed.id]}-csv&fields=phone` });
    expect(withheld.statusCode).toBe(403);
    expect(withheld.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
  });

  it('shows a new collection at once in datastore_search', async () => {
    await upload(t, weather.id, 'station,aqi\n新昌站,30\n');
    const r = (await action('datastore_search', { resource_id: `${ids[weather.id]}-json` })).result;
    expect(r.total).toBe(4);
    expect(r.records.map((x: { station: string }) => x.station)).toContain('新昌站');
  });

  it('exports exactly the published datasets as DCAT-AP Turtle and JSON-LD', async () => {
    const ttl = await t.app.inject({ url: '/catalog.ttl' });
    expect(ttl.statusCode).toBe(200);
    bodies.push(ttl.body);
    const { triples } = readTurtle(ttl.body);
    const datasets = triples.filter((x) => x.o === 'http://www.w3.org/ns/dcat#Dataset').map((x) => x.s.replace(/^.*\/dataset\//, ''));
    expect(datasets.sort()).toEqual([ids[mixed.id], ids[weather.id]].sort());
    expect(triples.filter((x) => x.o === 'http://www.w3.org/ns/dcat#Distribution')).toHaveLength(8);
    const jsonld = await t.app.inject({ url: '/catalog.jsonld' });
    bodies.push(jsonld.body);
    const graph = JSON.parse(jsonld.body)['@graph'] as { '@type'?: string[] }[];
    expect(graph.filter((n) => n['@type']?.includes('dcat:Dataset'))).toHaveLength(2);
  });

  it('never answers anything that is not open, in any of the responses above', () => {
    expect(bodies.length).toBeGreaterThan(15);
    for (const body of bodies) for (const s of SECRETS) expect(body.includes(s), `${s} in ${body.slice(0, 200)}`).toBe(false);
    for (const r of hidden) for (const body of bodies) expect(body.includes(r.id)).toBe(false);
  });
});
