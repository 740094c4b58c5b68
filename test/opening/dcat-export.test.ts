import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGraph } from '../../src/modules/opening/dcat/dcat-mapping.js';
import { toJsonLd } from '../../src/modules/opening/dcat/jsonld.js';
import { Graph, iri, plain, text, typed } from '../../src/modules/opening/dcat/rdf.js';
import { escapeIri, escapeLiteral, toTurtle } from '../../src/modules/opening/dcat/turtle.js';
import { NS } from '../../src/modules/opening/dcat/vocabularies.js';
import { fakeApp, fakeDataset } from './ckan-fakes.js';
import { readTurtle } from './turtle-reader.js';

const RDF_TYPE = `${NS.rdf}type`;
const tricky = 'He said "路\\口"\n第二行\r\tend \u0001 \ud800 😀';

describe('Turtle writer', () => {
  it('escapes quotes, backslashes, line breaks and control characters, keeps Chinese and astral characters, replaces lone surrogates', () => {
    expect(escapeLiteral(tricky)).toBe('He said \\"路\\\\口\\"\\n第二行\\r\\tend \\u0001 \uFFFD 😀');
    expect(escapeIri('http://x/a b<c>"d"{e}|f^g`h\\i')).toBe('<http://x/a%20b%3Cc%3E%22d%22%7Be%7D%7Cf%5Eg%60h%5Ci>');
    expect(escapeIri('http://x/数据')).toBe('<http://x/数据>');
  });

  it('writes a graph that reads back to the same triples', () => {
    const g = new Graph();
    const s = iri('http://example.org/d/1');
    const b = g.blank();
    g.add(s, 'rdf:type', iri(`${NS.dcat}Dataset`))
      .add(s, 'dct:title', text(tricky))
      .add(s, 'dct:description', plain('line1\nline2 "q" \\'))
      .add(s, 'dct:issued', typed('2024-01-01T00:00:00.000Z', 'dateTime'))
      .add(s, 'dct:temporal', b)
      .add(b, 'dcat:startDate', typed('2020-01-01', 'date'))
      .add(s, 'dcat:keyword', text('交通'))
      .add(s, 'dcat:keyword', text('bus'))
      .add(s, 'http://example.org/odd#p-1', iri('http://example.org/path with space'));
    const { prefixes, triples } = readTurtle(toTurtle(g));
    expect(prefixes.dcat).toBe(NS.dcat);
    const get = (p: string) => triples.filter((t) => t.s === s.value && t.p === p).map((t) => t.o);
    expect(get(RDF_TYPE)).toEqual([`${NS.dcat}Dataset`]);
    expect(get(`${NS.dct}title`)).toEqual([`"${tricky.replace('\ud800', '\uFFFD')}"@zh`]);
    expect(get(`${NS.dct}description`)).toEqual(['"line1\nline2 "q" \\"']);
    expect(get(`${NS.dct}issued`)).toEqual([`"2024-01-01T00:00:00.000Z"^^${NS.xsd}dateTime`]);
    expect(get(`${NS.dcat}keyword`)).toEqual(['"交通"@zh', '"bus"@zh']);
    expect(get('http://example.org/odd#p-1')).toEqual(['http://example.org/path%20with%20space']);
    const [temporal] = get(`${NS.dct}temporal`);
    expect(triples.find((t) => t.s === temporal && t.p === `${NS.dcat}startDate`)?.o).toBe(`"2020-01-01"^^${NS.xsd}date`);
  });
});

const datasets = Array.from({ length: 130 }, (_, i) =>
  fakeDataset({
    id: `d${String(i).padStart(3, '0')}`,
    title: i === 0 ? '公交 "站点"\n第二行 \\ 反斜杠' : `数据集 ${i}`,
    tags: ['交通', `t${i % 3}`],
    modifiedAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
    temporal: i % 2 ? null : { from: '2020-01-01', to: '2020-12' },
    updateFrequency: i % 5 === 0 ? null : '04',
  }),
);

describe('DCAT-AP 3 export', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await fakeApp(datasets);
  });
  afterAll(() => app.close());

  it('serves Turtle at /catalog.ttl: one dcat:Catalog, 100 newest datasets a page with their distributions and publishers, hydra paging', async () => {
    const res = await app.inject({ url: '/catalog.ttl' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/turtle; charset=utf-8');
    const { prefixes, triples } = readTurtle(res.body);
    expect(Object.keys(prefixes)).toEqual(expect.arrayContaining(['dcat', 'dct', 'foaf', 'hydra', 'xsd', 'skos']));
    const ofType = (t: string) => triples.filter((x) => x.p === RDF_TYPE && x.o === t).map((x) => x.s);
    expect(ofType(`${NS.dcat}Catalog`)).toEqual(['http://localhost/catalog']);
    const listed = ofType(`${NS.dcat}Dataset`);
    expect(listed).toHaveLength(100);
    expect(listed[0]).toBe('http://localhost/dataset/d129');
    const catalogDatasets = triples.filter((t) => t.p === `${NS.dcat}dataset`).map((t) => t.o);
    expect(catalogDatasets).toEqual(listed);
    expect(ofType(`${NS.dcat}Distribution`)).toHaveLength(300);
    for (const ds of listed) {
      const props = (p: string) => triples.filter((t) => t.s === ds && t.p === p).map((t) => t.o);
      expect(props(`${NS.dcat}distribution`), ds).toHaveLength(3);
      expect(props(`${NS.dct}title`)).toHaveLength(1);
      expect(props(`${NS.dcat}theme`)).toEqual(['http://localhost/catalog/domains/6']);
      expect(props(`${NS.dct}publisher`)).toEqual(['http://localhost/organization/dept-a']);
      expect(props(`${NS.dct}spatial`)).toEqual(['http://localhost/catalog/regions/330600']);
      expect(props(`${NS.dct}license`)).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
      expect(props(`${NS.dct}modified`)[0]).toMatch(/\^\^http:\/\/www.w3.org\/2001\/XMLSchema#dateTime$/);
    }
    expect(triples).toContainEqual({ s: 'http://localhost/organization/dept-a', p: RDF_TYPE, o: `${NS.foaf}Agent` });
    expect(triples).toContainEqual({ s: 'http://localhost/organization/dept-a', p: `${NS.foaf}name`, o: '"绍兴市交通运输局"@zh' });
    expect(triples).toContainEqual({
      s: 'http://localhost/dataset/d128',
      p: `${NS.dct}accrualPeriodicity`,
      o: 'http://publications.europa.eu/resource/authority/frequency/MONTHLY',
    });
    const dist = 'http://localhost/dataset/d128/resource/d128-csv';
    expect(triples).toContainEqual({ s: dist, p: `${NS.dcat}downloadURL`, o: 'http://localhost/api/v1/open/datasets/d128/download?format=csv' });
    expect(triples).toContainEqual({ s: dist, p: `${NS.dct}format`, o: 'http://publications.europa.eu/resource/authority/file-type/CSV' });
    expect(triples).toContainEqual({ s: dist, p: `${NS.dcat}mediaType`, o: 'http://www.iana.org/assignments/media-types/text/csv' });
    const page = 'http://localhost/catalog.ttl?page=1';
    expect(triples).toContainEqual({ s: page, p: `${NS.hydra}totalItems`, o: `"130"^^${NS.xsd}integer` });
    expect(triples).toContainEqual({ s: page, p: `${NS.hydra}next`, o: '"http://localhost/catalog.ttl?page=2"' });
    expect(triples).toContainEqual({ s: page, p: `${NS.hydra}lastPage`, o: '"http://localhost/catalog.ttl?page=2"' });
  });

  it('pages with ?page= and keeps text intact (quotes, newlines, backslashes, Chinese) through Turtle', async () => {
    const { triples } = readTurtle((await app.inject({ url: '/catalog.ttl?page=2' })).body);
    const listed = triples.filter((t) => t.p === RDF_TYPE && t.o === `${NS.dcat}Dataset`).map((t) => t.s);
    expect(listed).toHaveLength(30);
    expect(listed.at(-1)).toBe('http://localhost/dataset/d000');
    expect(triples).toContainEqual({ s: 'http://localhost/dataset/d000', p: `${NS.dct}title`, o: '"公交 "站点"\n第二行 \\ 反斜杠"@zh' });
    const temporal = triples.find((t) => t.s === 'http://localhost/dataset/d000' && t.p === `${NS.dct}temporal`)!.o;
    expect(triples).toContainEqual({ s: temporal, p: `${NS.dcat}endDate`, o: `"2020-12"^^${NS.xsd}gYearMonth` });
    expect(triples).toContainEqual({ s: 'http://localhost/catalog.ttl?page=2', p: `${NS.hydra}previous`, o: '"http://localhost/catalog.ttl?page=1"' });
    const empty = readTurtle((await app.inject({ url: '/catalog.ttl?page=9' })).body).triples;
    expect(empty.filter((t) => t.o === `${NS.dcat}Dataset`)).toHaveLength(0);
  });

  it('filters with modified_since and refuses bad parameters with problem+json', async () => {
    const { triples } = readTurtle((await app.inject({ url: '/catalog.ttl?modified_since=2024-05-08' })).body);
    expect(triples.filter((t) => t.o === `${NS.dcat}Dataset`)).toHaveLength(2);
    for (const url of ['/catalog.ttl?page=0', '/catalog.jsonld?page=x', '/catalog.ttl?modified_since=soon']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('serves the same graph as JSON-LD at /catalog.jsonld', async () => {
    const res = await app.inject({ url: '/catalog.jsonld' });
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    const doc = JSON.parse(res.body) as { '@context': Record<string, string>; '@graph': Record<string, unknown>[] };
    expect(doc['@context'].dcat).toBe(NS.dcat);
    const byType = (t: string) => doc['@graph'].filter((n) => (n['@type'] as string[] | undefined)?.includes(t));
    expect(byType('dcat:Catalog')).toHaveLength(1);
    expect(byType('dcat:Dataset')).toHaveLength(100);
    expect(byType('dcat:Distribution')).toHaveLength(300);
    const d = doc['@graph'].find((n) => n['@id'] === 'http://localhost/dataset/d129')!;
    expect(d['dct:title']).toEqual([{ '@value': '数据集 129', '@language': 'zh' }]);
    expect(d['dcat:keyword']).toEqual([
      { '@value': '交通', '@language': 'zh' },
      { '@value': 't0', '@language': 'zh' },
    ]);
    expect(d['dct:publisher']).toEqual([{ '@id': 'http://localhost/organization/dept-a' }]);
  });

  it('maps the same triples into both serialisations', () => {
    const g = catalogGraph(datasets.slice(0, 3), 'https://data.example.cn', null);
    const ttl = readTurtle(toTurtle(g)).triples.length;
    const jsonld = toJsonLd(g)['@graph'] as Record<string, unknown[] | string>[];
    const count = jsonld.reduce(
      (n, node) =>
        n +
        Object.entries(node)
          .filter(([k]) => k !== '@id')
          .reduce((m, [, v]) => m + (v as unknown[]).length, 0),
      0,
    );
    expect(count).toBe(ttl);
  });
});
