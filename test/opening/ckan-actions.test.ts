import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeApp, fakeDataset, type RowCall } from './ckan-fakes.js';

// The CKAN Action API against in-memory fakes of OpenCatalog and OpenRows: envelopes, error
// types and status codes, the package shape, package_search's q/fq/sort/paging/facets.
const datasets = [
  fakeDataset({ id: 'a1', name: 'bus-stops', title: '公交站点', tags: ['交通', 'bus'], modifiedAt: '2024-03-01T00:00:00.000Z' }),
  fakeDataset({
    id: 'b2',
    name: 'air-quality',
    title: '空气质量 "AQI"',
    description: 'Hourly air',
    tags: ['环境'],
    domain: '10',
    domainName: '生态环境',
    departmentId: 'dept-b',
    departmentName: '绍兴市生态环境局',
    licenceId: 'CC0-1.0',
    modifiedAt: '2025-05-01T00:00:00.000Z',
  }),
  fakeDataset({ id: 'c3', name: 'road-works', title: 'Road works', tags: ['交通', 'roads'], modifiedAt: '2023-01-01T00:00:00.000Z', distributions: [] }),
];
const rows = {
  a1: [
    { ROAD: '人民路', LEN: '1.5' },
    { ROAD: '解放路', LEN: '2.25' },
    { ROAD: '中兴路', LEN: '0.75' },
  ],
};
const calls: RowCall[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  app = await fakeApp(datasets, rows, calls);
});
afterAll(() => app.close());

async function get(action: string, query: Record<string, string> = {}, prefix = '/api/3/action') {
  const res = await app.inject({ method: 'GET', url: `${prefix}/${action}?${new URLSearchParams(query).toString()}` });
  return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] };
}
const names = (body: { result: { results: { name: string }[] } }) => body.result.results.map((p) => p.name);

describe('CKAN envelope and errors', () => {
  it('answers {help, success: true, result} as JSON at both paths', async () => {
    for (const prefix of ['/api/3/action', '/api/action']) {
      const r = await get('status_show', {}, prefix);
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.body).toMatchObject({ success: true, help: 'http://localhost/api/3/action/help_show?name=status_show', result: { ckan_version: '2.10.0' } });
    }
    expect((await app.inject({ url: '/api/3' })).json()).toEqual({ version: 3 });
  });

  it('builds absolute URLs from a plain Host header only', async () => {
    const ok = await app.inject({ url: '/api/3/action/resource_show?id=a1-csv', headers: { host: 'data.example.cn:8080' } });
    expect(ok.json().result.url).toBe('http://data.example.cn:8080/api/v1/open/datasets/a1/download?format=csv');
    const evil = await app.inject({ url: '/api/3/action/resource_show?id=a1-csv', headers: { host: 'evil.example/"><script>' } });
    expect(evil.json().help).toBe('http://localhost/api/3/action/help_show?name=resource_show');
  });

  it('answers an unknown action 400 Bad Request, a write action 403 Authorization Error', async () => {
    const unknown = await get('package_frobnicate');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      success: false,
      error: { __type: 'Bad Request', message: 'Bad request - Action name not known: package_frobnicate' },
    });
    const write = await app.inject({ method: 'POST', url: '/api/3/action/package_create', payload: { name: 'x' } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
  });

  it('answers 404 Not Found Error and 409 Validation Error with field → messages', async () => {
    const missing = await get('package_show', { id: 'nope' });
    expect(missing).toMatchObject({ status: 404, body: { success: false, error: { __type: 'Not Found Error', message: 'Not found' } } });
    const noId = await get('package_show');
    expect(noId).toMatchObject({ status: 409, body: { success: false, error: { __type: 'Validation Error', id: ['Missing value'] } } });
    const badRows = await get('package_search', { rows: 'ten' });
    expect(badRows).toMatchObject({ status: 409, body: { error: { __type: 'Validation Error', rows: ['Invalid integer'] } } });
    expect(await get('package_search', { start: '-1' })).toMatchObject({ status: 409, body: { error: { start: ['Must be a natural number'] } } });
  });

  it('reads POST JSON bodies and form bodies; a broken body is 400 "Bad request - JSON Error"', async () => {
    const json = await app.inject({ method: 'POST', url: '/api/3/action/package_show', payload: { id: 'bus-stops' } });
    expect(json.json()).toMatchObject({ success: true, result: { id: 'a1' } });
    const form = await app.inject({
      method: 'POST',
      url: '/api/action/package_show',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'id=a1',
    });
    expect(form.json()).toMatchObject({ success: true, result: { name: 'bus-stops' } });
    const broken = await app.inject({ method: 'POST', url: '/api/3/action/package_show', headers: { 'content-type': 'application/json' }, payload: '{"id": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ success: false, error: { __type: 'Bad Request', message: expect.stringMatching(/^Bad request - JSON Error/) } });
    const list = await app.inject({ method: 'POST', url: '/api/3/action/package_show', headers: { 'content-type': 'application/json' }, payload: '[1]' });
    expect(list.statusCode).toBe(400);
    const nul = await app.inject({ method: 'POST', url: '/api/3/action/package_search', payload: { q: 'a\u0000b' } });
    expect(nul.json()).toMatchObject({ error: { __type: 'Validation Error', q: [expect.stringMatching(/NUL/)] } });
  });
});

describe('packages', () => {
  it('shows a package in CKAN 2.10 shape, found by id or name', async () => {
    const { body } = await get('package_show', { id: 'air-quality' });
    const p = body.result;
    expect(p).toMatchObject({
      id: 'b2',
      name: 'air-quality',
      title: '空气质量 "AQI"',
      notes: 'Hourly air',
      type: 'dataset',
      private: false,
      organization: { id: 'dept-b', name: 'dept-b', title: '绍兴市生态环境局', is_organization: true },
      groups: [{ name: 'domain-10', title: '生态环境' }],
      tags: [{ name: '环境' }],
      license_id: 'CC0-1.0',
      license_title: 'Creative Commons CCZero',
      metadata_created: '2024-01-01T00:00:00.000000',
      metadata_modified: '2025-05-01T00:00:00.000000',
      num_resources: 3,
      num_tags: 1,
    });
    expect(p.resources[0]).toEqual(
      expect.objectContaining({
        id: 'b2-csv',
        package_id: 'b2',
        url: 'http://localhost/api/v1/open/datasets/b2/download?format=csv',
        format: 'CSV',
        mimetype: 'text/csv',
        datastore_active: true,
      }),
    );
    expect(p.extras).toEqual(
      expect.arrayContaining([
        { key: 'frequency', value: 'http://publications.europa.eu/resource/authority/frequency/DAILY' },
        { key: 'temporal_start', value: '2020-01-01' },
        { key: 'spatial_text', value: '绍兴市' },
      ]),
    );
    expect((await get('package_show', { id: 'b2' })).body.result.name).toBe('air-quality');
  });

  it('lists package names sorted, with limit and offset', async () => {
    expect((await get('package_list')).body.result).toEqual(['air-quality', 'bus-stops', 'road-works']);
    expect((await get('package_list', { limit: '1', offset: '1' })).body.result).toEqual(['bus-stops']);
  });

  it('shows a resource, 404 for an unknown one', async () => {
    expect((await get('resource_show', { id: 'a1-json' })).body.result).toMatchObject({ id: 'a1-json', package_id: 'a1', format: 'JSON' });
    expect(await get('resource_show', { id: 'zz' })).toMatchObject({
      status: 404,
      body: { error: { __type: 'Not Found Error', message: 'Not found: Resource was not found.' } },
    });
  });
});

describe('package_search', () => {
  it('filters with fq: fields, negation, OR, parentheses, quotes, wildcards and ranges', async () => {
    const cases: [string, string[]][] = [
      ['tags:交通', ['bus-stops', 'road-works']],
      ['-tags:交通', ['air-quality']],
      ['tags:交通 AND -res_format:CSV', ['road-works']],
      ['tags:bus OR groups:domain-10', ['air-quality', 'bus-stops']],
      ['(tags:roads OR (tags:bus AND organization:dept-a)) NOT name:road*', ['bus-stops']],
      ['name:*-*s', ['bus-stops', 'road-works']],
      ['name:air\\-quality', ['air-quality']],
      ['title:"空气质量 \\"aqi\\""', ['air-quality']],
      ['tags:(环境 OR roads)', ['air-quality', 'road-works']],
      ['metadata_modified:[2024-01-01T00:00:00Z TO *]', ['air-quality', 'bus-stops']],
      ['metadata_modified:{* TO 2024-03-01T00:00:00Z}', ['road-works']],
      ['metadata_modified:[NOW-1YEAR TO NOW]', ['air-quality']],
      ['metadata_modified:[NOW/YEAR-2YEARS TO NOW-1YEAR]', ['bus-stops']],
      ['num_resources:[1 TO 3]', ['air-quality', 'bus-stops']],
      ['license_id:CC0-1.0', ['air-quality']],
      ['-dataset_type:harvest', ['air-quality', 'bus-stops', 'road-works']],
      ['*:*', ['air-quality', 'bus-stops', 'road-works']],
    ];
    for (const [fq, expected] of cases) {
      const r = await get('package_search', { fq, sort: 'name asc' });
      expect(r.status, fq).toBe(200);
      expect(names(r.body), fq).toEqual(expected);
      expect(r.body.result.count, fq).toBe(expected.length);
    }
  });

  it('searches q as text through the catalogue index, or as a query when it has field syntax', async () => {
    expect(names((await get('package_search', { q: '交通' })).body).sort()).toEqual(['bus-stops', 'road-works']);
    expect(names((await get('package_search', { q: 'tags:bus' })).body)).toEqual(['bus-stops']);
    expect(names((await get('package_search', { q: 'air OR roads', sort: 'name asc' })).body)).toEqual(['air-quality', 'road-works']);
    expect((await get('package_search', { q: 'nothing-like-this' })).body.result.count).toBe(0);
  });

  it('sorts, pages (rows default 10, at most 1000) and reports the sort', async () => {
    const r = await get('package_search', { sort: 'metadata_modified desc', rows: '2', start: '0' });
    expect(r.body.result).toMatchObject({ count: 3, sort: 'metadata_modified desc' });
    expect(names(r.body)).toEqual(['air-quality', 'bus-stops']);
    expect(names((await get('package_search', { sort: 'metadata_modified desc', rows: '2', start: '2' })).body)).toEqual(['road-works']);
    expect((await get('package_search', { rows: '5000' })).status).toBe(200);
    expect((await get('package_search', { sort: 'owner desc' })).body.error).toMatchObject({ __type: 'Validation Error', sort: [expect.any(String)] });
  });

  it('facets on facet.field (a JSON string) with facet.limit, in both shapes', async () => {
    const r = await get('package_search', { 'facet.field': '["tags","organization"]', 'facet.limit': '2', rows: '0' });
    expect(r.body.result.results).toEqual([]);
    expect(r.body.result.facets.tags).toEqual({ 交通: 2, bus: 1 });
    expect(r.body.result.facets.organization).toEqual({ 'dept-a': 2, 'dept-b': 1 });
    expect(r.body.result.search_facets.organization.items).toEqual([
      { name: 'dept-b', display_name: '绍兴市生态环境局', count: 1 },
      { name: 'dept-a', display_name: '绍兴市交通运输局', count: 2 },
    ]);
    expect((await get('package_search', { 'facet.field': '["tags"', rows: '0' })).body.error).toMatchObject({
      'facet.field': ['Could not parse as valid JSON'],
    });
    expect((await get('package_search', { 'facet.field': '["notes"]' })).status).toBe(409);
  });

  it('refuses unknown fields and broken queries with 409 Validation Error, unknown parameters with 409 Search Error', async () => {
    for (const fq of ['owner:x', '(tags:a', 'tags:[a TO b', 'tags:"a', 'title:[a TO b]', 'metadata_modified:[yesterday TO NOW]', 'num_resources:[x TO 2]']) {
      const r = await get('package_search', { fq });
      expect(r.status, fq).toBe(409);
      expect(r.body, fq).toMatchObject({ success: false, error: { __type: 'Validation Error', fq: [expect.any(String)] } });
    }
    expect((await get('package_search', { q: 'secret_field:1' })).body.error).toMatchObject({
      __type: 'Validation Error',
      q: [expect.stringMatching(/Unknown field/)],
    });
    expect(await get('package_search', { colour: 'red' })).toMatchObject({ status: 409, body: { error: { __type: 'Search Error' } } });
  });

  it('returns only the fields fl names', async () => {
    const r = await get('package_search', { fl: 'id,name metadata_modified', sort: 'name asc', rows: '1' });
    expect(r.body.result.results).toEqual([{ id: 'b2', name: 'air-quality', metadata_modified: '2025-05-01T00:00:00.000000' }]);
  });

  it('takes fq_list and POSTed typed values', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/3/action/package_search',
      payload: { fq_list: ['tags:交通', '-name:bus-stops'], rows: 5, 'facet.field': ['tags'] },
    });
    expect(names(r.json())).toEqual(['road-works']);
    expect(r.json().result.facets.tags).toEqual({ 交通: 1, roads: 1 });
  });
});

describe('organizations, groups, tags, licences', () => {
  it('lists organizations and groups from the open datasets, with counts', async () => {
    expect((await get('organization_list')).body.result).toEqual(['dept-a', 'dept-b']);
    const all = (await get('organization_list', { all_fields: 'true', sort: 'package_count desc' })).body.result;
    expect(all.map((o: { name: string; package_count: number }) => [o.name, o.package_count])).toEqual([
      ['dept-a', 2],
      ['dept-b', 1],
    ]);
    expect((await get('group_list', { sort: 'name asc' })).body.result).toEqual(['domain-10', 'domain-6']);
    const g = (await get('group_show', { id: 'domain-6', include_datasets: 'true' })).body.result;
    expect(g).toMatchObject({ name: 'domain-6', title: '交通运输', package_count: 2 });
    expect(g.packages.map((p: { name: string }) => p.name)).toEqual(['bus-stops', 'road-works']);
    expect((await get('organization_show', { id: 'dept-b' })).body.result).toMatchObject({ title: '绍兴市生态环境局', package_count: 1 });
    expect((await get('organization_show', { id: 'dept-z' })).status).toBe(404);
  });

  it('lists tags (with a query) and licences', async () => {
    expect((await get('tag_list')).body.result).toEqual(['bus', 'roads', '交通', '环境']);
    expect((await get('tag_list', { query: 'RO' })).body.result).toEqual(['roads']);
    const licences = (await get('license_list')).body.result;
    expect(licences.map((l: { id: string }) => l.id)).toContain('CC-BY-4.0');
    expect((await get('help_show', { name: 'package_search' })).body.result).toMatch(/fq/);
  });
});

describe('datastore_search', () => {
  it('reads rows through OpenRows as an anonymous viewer, with fields, total and _links', async () => {
    calls.length = 0;
    const r = await get('datastore_search', { resource_id: 'a1-csv', limit: '2', filters: '{"ROAD":["人民路","中兴路"]}' });
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({
      resource_id: 'a1-csv',
      fields: [
        { id: 'ROAD', type: 'text', info: { label: '道路' } },
        { id: 'LEN', type: 'numeric', info: { label: '长度' } },
      ],
      records: [
        { ROAD: '人民路', LEN: '1.5' },
        { ROAD: '中兴路', LEN: '0.75' },
      ],
      total: 2,
      limit: 2,
      _links: {
        start:
          '/api/3/action/datastore_search?resource_id=a1-csv&limit=2&filters=%7B%22ROAD%22%3A%5B%22%E4%BA%BA%E6%B0%91%E8%B7%AF%22%2C%22%E4%B8%AD%E5%85%B4%E8%B7%AF%22%5D%7D',
        next: expect.stringMatching(/offset=2$/),
      },
    });
    expect(calls[0]).toMatchObject({ datasetId: 'a1', viewer: null, q: { limit: 2, offset: 0, filters: { ROAD: ['人民路', '中兴路'] } } });
  });

  it('caps limit at 32000, passes q, fields and sort, and formats records as lists or CSV', async () => {
    calls.length = 0;
    const r = await app.inject({
      method: 'POST',
      url: '/api/action/datastore_search',
      payload: { resource_id: 'a1-api', limit: 99999, q: '路', fields: 'ROAD', sort: 'ROAD desc, "LEN"', records_format: 'csv' },
    });
    expect(r.json().result).toMatchObject({ limit: 32000, records: '人民路\n解放路\n中兴路\n', sort: 'ROAD desc, LEN' });
    expect(calls[0]!.q).toMatchObject({
      limit: 32000,
      text: '路',
      fields: ['ROAD'],
      sort: [
        { item: 'ROAD', desc: true },
        { item: 'LEN', desc: false },
      ],
    });
    const lists = await get('datastore_search', { resource_id: 'a1-csv', records_format: 'lists', limit: '1' });
    expect(lists.body.result.records).toEqual([['人民路', '1.5']]);
  });

  it('answers 404 for an unknown resource and 409 for bad parameters', async () => {
    expect(await get('datastore_search', { resource_id: 'nope' })).toMatchObject({ status: 404, body: { error: { __type: 'Not Found Error' } } });
    expect((await get('datastore_search')).body.error).toMatchObject({ __type: 'Validation Error', resource_id: ['Missing value'] });
    expect((await get('datastore_search', { resource_id: 'a1-csv', filters: '[1]' })).body.error).toMatchObject({ filters: ['Not a JSON object'] });
    expect((await get('datastore_search', { resource_id: 'a1-csv', filters: '{"ROAD":{"lt":1}}' })).status).toBe(409);
    expect((await get('datastore_search', { resource_id: 'a1-csv', limit: '-5' })).body.error).toMatchObject({ limit: ['Must be a natural number'] });
  });
});
